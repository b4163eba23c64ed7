# yanshou — make demo runs the main job on the built-in sample; make test runs vet and every test.
GO      ?= go
BIN     := bin/yanshou

# Every go command here builds with -tags nodynamic: without it the init of
# github.com/gen2brain/heic dlopens the system libheif through purego, which
# we never call (pipeline/format/heic runs gen2brain's WebAssembly module
# itself, or heif-convert) — `yanshou --help` peaks at 38 MB RSS instead of 25.
export GOFLAGS := $(strip $(GOFLAGS) -tags=nodynamic)

.PHONY: all build demo test vet fmt-check lint deps bench bench-all fuzz clean cross

all: build

build:
	$(GO) build -o $(BIN) ./cmd/yanshou

# System packages (scripts/debian-packages, each with why): CJK fonts for the
# PDFs, poppler-utils and qpdf (tests read PDFs back; pdftoppm renders scans for
# OCR), tesseract with simplified Chinese (OCR; optional: without it scans are
# listed for manual checking). Installed only when missing.
deps:
	scripts/deps.sh
	$(GO) mod download

demo: deps build
	./$(BIN) demo --inbox inbox --outbox outbox

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

test: deps fmt-check vet
	$(GO) test -count=1 -timeout 45m ./... # the daemon and fault tests of cmd/yanshou take minutes on a loaded 2-core machine

# staticcheck (installed from the Go module proxy when missing) and a go.mod that
# go mod tidy would leave as it is. CI runs it after make test.
STATICCHECK ?= $(shell $(GO) env GOPATH)/bin/staticcheck
lint:
	@[ -x $(STATICCHECK) ] || $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	$(STATICCHECK) ./...
	$(GO) mod tidy -diff

cross:
	GOOS=windows GOARCH=amd64 $(GO) build ./...
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./cmd/yanshou

# One table (Markdown) of every benchmark that matters, each in its own process
# with its peak memory, and the machine it ran on: scripts/bench.sh (15–20 min).
bench: deps
	scripts/bench.sh

# Every Go benchmark at its defaults, in one go (no table).
bench-all:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Every fuzz target for 60 s (scripts/fuzz.sh 10m for a longer run).
fuzz:
	scripts/fuzz.sh 60s

clean:
	rm -rf bin

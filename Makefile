# yanshou — make demo runs the main job on the built-in sample; make test runs vet and every test.
GO      ?= go
BIN     := bin/yanshou
FONT    := /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build demo test vet fmt-check lint deps fonts bench bench-all fuzz clean cross

all: build

build:
	$(GO) build -o $(BIN) ./cmd/yanshou

# System packages: a CJK TrueType font for the PDFs, poppler-utils (tests read the
# PDFs back; pdftoppm renders scanned pages for OCR) and tesseract with the
# simplified-Chinese data (OCR of scanned 批复 and notices; optional: without it
# scans are listed for manual checking); fonts-droid-fallback and
# fonts-dejavu-core draw the sans watermark strips of the generated watermark
# corpus (pipeline/testkit/watermarks). Installed only when missing.
deps:
	@if [ ! -f $(FONT) ] || ! command -v pdftotext >/dev/null || ! command -v qpdf >/dev/null || \
		! command -v tesseract >/dev/null || [ ! -f /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || \
		[ ! -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then \
		echo "installing fonts-arphic-gbsn00lp poppler-utils qpdf tesseract-ocr tesseract-ocr-chi-sim fonts-droid-fallback fonts-dejavu-core"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-arphic-gbsn00lp poppler-utils qpdf tesseract-ocr tesseract-ocr-chi-sim fonts-droid-fallback fonts-dejavu-core >/dev/null; \
	fi
	$(GO) mod download

demo: deps build
	./$(BIN) demo --inbox inbox --outbox outbox

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

test: deps fmt-check vet
	$(GO) test -count=1 ./...

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

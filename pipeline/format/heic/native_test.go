package heic

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cheers is the realworld phone HEIC (mif1 major brand, 1440×960).
var cheers = filepath.Join(realworld, "photos/metadata-extractor-images/heic/cheers_1440x960.heic")

// box is an ISO BMFF box of type typ holding body, for headers made in tests.
func box(typ string, body ...[]byte) []byte {
	var b []byte
	for _, x := range body {
		b = append(b, x...)
	}
	n := 8 + len(b)
	return append([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n), typ[0], typ[1], typ[2], typ[3]}, b...)
}

// TestPrimarySize reads the primary picture's size from the header, as the
// pixel limit needs before heif-convert runs; broken headers give none.
func TestPrimarySize(t *testing.T) {
	full := []byte{0, 0, 0, 0}
	ispe := func(w, h byte) []byte { return box("ispe", full, []byte{0, 0, 0x10, w, 0, 0, 0x10, h}) }
	ftyp := box("ftyp", []byte("mif1\x00\x00\x00\x00mif1heic"))
	pitm := box("pitm", full, []byte{0, 2})
	// item 1 (a thumbnail) has property 1, item 2 (primary) property 2.
	ipma := box("ipma", full, []byte{0, 0, 0, 2, 0, 1, 1, 0x81, 0, 2, 1, 0x82})
	file := func(boxes ...[]byte) []byte {
		return append(append([]byte{}, ftyp...), box("meta", append([][]byte{full}, boxes...)...)...)
	}
	for _, c := range []struct {
		name string
		data []byte
		w, h int
		ok   bool
	}{
		{"primary's ispe", file(pitm, box("iprp", box("ipco", ispe(1, 2), ispe(3, 4)), ipma)), 0x1003, 0x1004, true},
		{"no pitm", file(box("iprp", box("ipco", ispe(1, 2), ispe(3, 4)), ipma)), 0, 0, false},
		{"primary has no ispe", file(pitm, box("iprp", box("ipco", ispe(1, 2), box("colr", []byte("nclx"))), ipma)), 0, 0, false},
		{"index past ipco", file(pitm, box("iprp", box("ipco", ispe(1, 2)), ipma)), 0, 0, false},
		{"ipma cut", file(pitm, box("iprp", box("ipco", ispe(1, 2), ispe(3, 4)), box("ipma", full, []byte{0, 0, 0, 2, 0, 1}))), 0, 0, false},
		{"no meta", ftyp, 0, 0, false},
	} {
		w, h, ok := primarySize(c.data)
		if ok != c.ok || w != c.w || h != c.h {
			t.Errorf("%s: primarySize = %d×%d %v, want %d×%d %v", c.name, w, h, ok, c.w, c.h, c.ok)
		}
	}
	if data, err := os.ReadFile(cheers); err == nil {
		if w, h, ok := primarySize(data); !ok || w != 1440 || h != 960 {
			t.Errorf("cheers: primarySize = %d×%d %v, want 1440×960", w, h, ok)
		}
	}
}

// TestParseY4M takes heif-convert's output only when it is the picture the
// header announced.
func TestParseY4M(t *testing.T) {
	y4m := func(head string, n int) []byte { return append([]byte(head), make([]byte, n)...) }
	for _, c := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"as announced", y4m("YUV4MPEG2 W4 H2 F30:1\nFRAME\n", 8+2*2), true},
		{"turned", y4m("YUV4MPEG2 W2 H4 F30:1\nFRAME\n", 8+2*2), true},
		{"odd sides (cropped)", y4m("YUV4MPEG2 W3 H1 C420jpeg\nFRAME\n", 3+2*2), true},
		{"wider than announced", y4m("YUV4MPEG2 W5 H2 F30:1\nFRAME\n", 10+2*3), false},
		{"more pixels", y4m("YUV4MPEG2 W4 H4 F30:1\nFRAME\n", 16+2*4), false},
		{"cut", y4m("YUV4MPEG2 W4 H2 F30:1\nFRAME\n", 11), false},
		{"longer", y4m("YUV4MPEG2 W4 H2 F30:1\nFRAME\n", 13), false},
		{"4:4:4", y4m("YUV4MPEG2 W4 H2 C444\nFRAME\n", 24), false},
		{"no frame", y4m("YUV4MPEG2 W4 H2\n", 12), false},
		{"not y4m", y4m("P5 4 2 255\n", 8), false},
		{"bad number", y4m("YUV4MPEG2 Wx H2\nFRAME\n", 12), false},
	} {
		img, err := parseY4M(c.data, 4, 2)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok %v", c.name, err, c.ok)
		}
		if err == nil && len(img.Y) != img.Rect.Dx()*img.Rect.Dy() {
			t.Errorf("%s: luma of %d bytes for %v", c.name, len(img.Y), img.Rect)
		}
	}
}

// fakeTool puts a heif-convert on PATH that runs script (sh) instead.
func fakeTool(t *testing.T, script string) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, Tool), []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+":/usr/bin:/bin")
}

// TestNativeOutputChecked: a heif-convert that writes another picture than the
// header announces, or fails, is not believed: the WebAssembly libheif decodes
// instead; one that outlasts the deadline is stopped.
func TestNativeOutputChecked(t *testing.T) {
	data, err := os.ReadFile(cheers)
	if err != nil {
		t.Skip("shared/realworld is absent")
	}
	for _, c := range []struct{ name, script, want string }{
		{"too large", `printf 'YUV4MPEG2 W2000 H2000 F30:1\nFRAME\n' > "$3"; head -c 6000000 /dev/zero >> "$3"`, Tool}, // stopped by the kernel at the size bound, else refused by its size
		{"other size", `printf 'YUV4MPEG2 W1441 H900 F30:1\nFRAME\n' > "$3"; head -c 1945800 /dev/zero >> "$3"`, "不符"},
		{"fails", `echo 'Could not read HEIF/AVIF file: bad' >&2; exit 1`, "Could not read"},
		{"writes nothing", `exit 0`, "没有写出"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fakeTool(t, c.script)
			_, err := decodeNative(context.Background(), toolPath(), data, 0)
			var te toolError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("decodeNative: %v, want a tool error with %q", err, c.want)
			}
			img, err := Decode(data, 0)
			if err != nil || img.Bounds().Dx() != 1440 || img.Bounds().Dy() != 960 {
				t.Errorf("Decode: %v, %v; want the WebAssembly libheif's 1440×960", img, err)
			}
		})
	}
	t.Run("too slow", func(t *testing.T) {
		fakeTool(t, "exec sleep 30")
		ctx, cancel := context.WithTimeout(context.Background(), 50e6)
		defer cancel()
		if _, err := decodeNative(ctx, toolPath(), data, 0); !errors.Is(err, ErrTimeout) {
			t.Errorf("a tool past its deadline: %v, want ErrTimeout", err)
		}
	})
	t.Run("over the limit", func(t *testing.T) {
		ran := filepath.Join(t.TempDir(), "ran")
		fakeTool(t, "touch "+ran)
		if _, err := Decode(data, 1440*960-1); !errors.As(err, new(*TooLargeError)) {
			t.Errorf("%v, want TooLargeError", err)
		}
		if _, err := os.Stat(ran); err == nil {
			t.Error("heif-convert was run for a picture over the limit")
		}
	})
}

// TestWithoutTool: with heif-convert hidden from PATH the WebAssembly libheif
// decodes, to the same size.
func TestWithoutTool(t *testing.T) {
	data, err := os.ReadFile(cheers)
	if err != nil {
		t.Skip("shared/realworld is absent")
	}
	t.Setenv("PATH", t.TempDir())
	if Backend() != "WebAssembly" {
		t.Fatalf("Backend = %s with an empty PATH", Backend())
	}
	img, err := Decode(data, 0)
	if err != nil || img.Bounds().Dx() != 1440 {
		t.Fatalf("%v, %v", img, err)
	}
}

// FuzzPrimarySize: any bytes give a size (and the primary's place among the
// top-level pictures) or none, never a panic.
func FuzzPrimarySize(f *testing.F) {
	if data, err := os.ReadFile(cheers); err == nil {
		f.Add(data[:min(len(data), 4096)])
	}
	f.Add([]byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic\x00\x00\x00\x0cmeta\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if w, h, ok := primarySize(data); ok && (w < 0 || h < 0) {
			t.Errorf("size %d×%d", w, h)
		}
		if index, count, ok := primaryOutput(data); ok && (index < 1 || index > count) {
			t.Errorf("primary %d of %d", index, count)
		}
		parseY4M(data, 64, 64)
	})
}

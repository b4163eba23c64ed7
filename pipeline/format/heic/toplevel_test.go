package heic

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestPrimaryOutput finds the primary's place among the top-level pictures as
// libheif counts them: pictures by item ID, without hidden items, thumbnails
// and auxiliary pictures.
func TestPrimaryOutput(t *testing.T) {
	// infe version 2: flags (1 = hidden), 16-bit ID, protection index, type.
	infe := func(id byte, typ string, hidden bool) []byte {
		flags := byte(0)
		if hidden {
			flags = 1
		}
		return box("infe", []byte{2, 0, 0, flags, 0, id, 0, 0}, []byte(typ), []byte{0})
	}
	infe3 := func(id byte, typ string) []byte {
		return box("infe", []byte{3, 0, 0, 0, 0, 0, 0, id, 0, 0}, []byte(typ), []byte{0})
	}
	iinf := func(items ...[]byte) []byte {
		return box("iinf", append([][]byte{{0, 0, 0, 0, 0, byte(len(items))}}, items...)...)
	}
	ref := func(typ string, from, to byte) []byte { return box(typ, []byte{0, from, 0, 1, 0, to}) }
	iref := func(refs ...[]byte) []byte { return box("iref", append([][]byte{{0, 0, 0, 0}}, refs...)...) }
	pitm := func(id byte) []byte { return box("pitm", []byte{0, 0, 0, 0, 0, id}) }
	file := func(boxes ...[]byte) []byte {
		return box("meta", append([][]byte{{0, 0, 0, 0}}, boxes...)...)
	}
	ftyp := box("ftyp", []byte("mif1\x00\x00\x00\x00mif1heic"))
	with := func(meta []byte) []byte { return append(append([]byte{}, ftyp...), meta...) }
	for _, c := range []struct {
		name         string
		data         []byte
		index, count int
		ok           bool
	}{
		{"one picture", with(file(pitm(1), iinf(infe(1, "hvc1", false)))), 1, 1, true},
		{"grid of hidden tiles", with(file(pitm(5), iinf(infe(1, "hvc1", true), infe(2, "hvc1", true), infe(5, "grid", false), infe(6, "Exif", false)))), 1, 1, true},
		{"burst, primary second", with(file(pitm(3), iinf(infe(2, "hvc1", false), infe(3, "hvc1", false), infe(4, "hvc1", false)))), 2, 3, true},
		{"by ID, not by order", with(file(pitm(3), iinf(infe(9, "hvc1", false), infe(3, "hvc1", false)))), 1, 2, true},
		{"thumbnail and depth left out", with(file(pitm(2), iinf(infe(1, "hvc1", false), infe(2, "hvc1", false), infe(3, "hvc1", false)),
			iref(ref("thmb", 1, 2), ref("auxl", 3, 2)))), 1, 1, true},
		{"32-bit IDs", with(file(box("pitm", []byte{1, 0, 0, 0, 0, 0, 0, 7}), iinf(infe3(4, "hvc1"), infe3(7, "av01")))), 2, 2, true},
		{"hidden primary", with(file(pitm(1), iinf(infe(1, "hvc1", true)))), 0, 0, false},
		{"ID twice", with(file(pitm(1), iinf(infe(1, "hvc1", false), infe(1, "hvc1", false)))), 0, 0, false},
		{"no iinf", with(file(pitm(1))), 0, 0, false},
		{"no meta", ftyp, 0, 0, false},
	} {
		index, count, ok := primaryOutput(c.data)
		if index != c.index || count != c.count || ok != c.ok {
			t.Errorf("%s: primaryOutput = %d of %d %v, want %d of %d %v", c.name, index, count, ok, c.index, c.count, c.ok)
		}
	}
	if data, err := os.ReadFile(cheers); err == nil {
		if index, count, ok := primaryOutput(data); !ok || index != 1 || count != 1 {
			t.Errorf("cheers: primaryOutput = %d of %d %v, want 1 of 1", index, count, ok)
		}
	}
}

// TestSeveralPictures: a HEIC holding two top-level pictures (heif-enc of two
// JPEGs) decodes through heif-convert to its primary — the first, or the
// second once pitm names it — as the WebAssembly libheif decodes it.
func TestSeveralPictures(t *testing.T) {
	if _, err := exec.LookPath("heif-enc"); err != nil || Backend() != Tool {
		t.Skip("heif-enc / heif-convert (libheif-examples) are not installed")
	}
	dir := t.TempDir()
	var srcs []string
	for i, shade := range []func(x, y int) uint8{
		func(x, y int) uint8 { return uint8(x) },       // dark left, light right
		func(x, y int) uint8 { return uint8(255 - y) }, // light top, dark bottom
	} {
		img := image.NewGray(image.Rect(0, 0, 256, 192))
		for y := range 192 {
			for x := range 256 {
				img.SetGray(x, y, color.Gray{shade(x, y)})
			}
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		src := filepath.Join(dir, []string{"a.jpg", "b.jpg"}[i])
		if err := os.WriteFile(src, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	dst := filepath.Join(dir, "two.heic")
	if out, err := exec.Command("heif-enc", "-q", "80", srcs[0], srcs[1], "-o", dst).CombinedOutput(); err != nil {
		t.Fatalf("heif-enc: %v\n%s", err, out)
	}
	data, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	index, count, ok := primaryOutput(data)
	if !ok || count != 2 || index != 1 {
		t.Fatalf("primaryOutput = %d of %d %v, want 1 of 2", index, count, ok)
	}
	// The same file with pitm naming the other picture.
	second := append([]byte{}, data...)
	first, other := pictureIDs(t, data)
	setPrimary(t, second, first, other)
	if index, count, ok := primaryOutput(second); !ok || count != 2 || index != 2 {
		t.Fatalf("pitm changed: primaryOutput = %d of %d %v, want 2 of 2", index, count, ok)
	}
	path := os.Getenv("PATH")
	light := func(img image.Image, x, y int) uint32 { r, _, _, _ := img.At(x, y).RGBA(); return r >> 8 }
	for _, c := range []struct {
		name       string
		data       []byte
		leftDarker bool // picture a: dark on the left
		topLighter bool // picture b: light at the top
	}{{"first primary", data, true, false}, {"second primary", second, false, true}} {
		native, err := decodeNative(t.Context(), toolPath(), c.data, 0)
		if err != nil {
			t.Fatalf("%s: heif-convert: %v", c.name, err)
		}
		if got := light(native, 10, 96) < light(native, 245, 96); got != c.leftDarker {
			t.Errorf("%s: heif-convert gave the other picture (left darker: %v)", c.name, got)
		}
		if got := light(native, 128, 5) > light(native, 128, 186); got != c.topLighter {
			t.Errorf("%s: heif-convert gave the other picture (top lighter: %v)", c.name, got)
		}
		t.Setenv("PATH", t.TempDir())
		wasm, err := Decode(c.data, 0)
		if err != nil {
			t.Fatalf("%s: WebAssembly: %v", c.name, err)
		}
		if mean := meanDiff(native, wasm); mean > 1 {
			t.Errorf("%s: heif-convert and the WebAssembly libheif differ by %.2f levels", c.name, mean)
		}
		t.Setenv("PATH", path)
	}
}

// pictureIDs reads the IDs of a two-picture file's pictures from its iinf:
// the primary's and the other's.
func pictureIDs(t *testing.T, data []byte) (primary, other uint32) {
	t.Helper()
	kids := children(topBox(data, "meta")[4:])
	pics, ok := visiblePictures(kids["iinf"])
	if !ok || len(pics) != 2 {
		t.Fatalf("iinf: %v %v", pics, ok)
	}
	pitm := kids["pitm"]
	primary = uint32(be(pitm[4:6]))
	for id := range pics {
		if id != primary {
			other = id
		}
	}
	return primary, other
}

// setPrimary rewrites data's 16-bit pitm from one item ID to another in place.
func setPrimary(t *testing.T, data []byte, from, to uint32) {
	t.Helper()
	i := bytes.Index(data, []byte("pitm"))
	if i < 0 || data[i+4] != 0 || uint32(be(data[i+8:i+10])) != from {
		t.Fatal("no version 0 pitm naming the primary")
	}
	data[i+8], data[i+9] = byte(to>>8), byte(to)
}

package pdfdoc

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"yanshou/pipeline/format/exifwrite"
)

// TestPrepareImage: the red block stored at the top-left corner must end up
// where the EXIF orientation says the viewer sees it, and the long side at most
// maxSide.
func TestPrepareImage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name        string
		w, h, o     int
		maxSide     int
		wantW       int
		wantH       int
		redX, redY  float64 // where the red block is, as a share of width and height
		passThrough bool
	}{
		{"upright, large", 2400, 1200, 1, 1600, 1600, 800, 0.1, 0.1, false},
		{"upside down (3)", 800, 400, 3, 1600, 800, 400, 0.9, 0.9, false},
		{"rotate 90 cw (6)", 2000, 1000, 6, 1600, 800, 1600, 0.9, 0.1, false},
		{"rotate 90 ccw (8)", 800, 400, 8, 1600, 400, 800, 0.1, 0.9, false},
		{"mirrored (2)", 800, 400, 2, 1600, 800, 400, 0.9, 0.1, false},
		{"small upright JPEG passed through", 640, 480, 1, 1600, 640, 480, 0.1, 0.1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := photoJPEG(t, tt.w, tt.h, exifwrite.Tags{Make: "Test", Orientation: tt.o})
			path := filepath.Join(dir, tt.name+".jpg")
			os.WriteFile(path, src, 0o644)
			if got := jpegOrientation(src); got != max(tt.o, 1) {
				t.Errorf("jpegOrientation = %d, want %d", got, tt.o)
			}
			img, err := PrepareImage(path, 0, tt.maxSide)
			if err != nil {
				t.Fatal(err)
			}
			if img.Width != tt.wantW || img.Height != tt.wantH {
				t.Errorf("size %d×%d, want %d×%d", img.Width, img.Height, tt.wantW, tt.wantH)
			}
			if tt.passThrough != bytes.Equal(img.JPEG, src) {
				t.Errorf("passed through: %v, want %v", !tt.passThrough, tt.passThrough)
			}
			dec, err := jpeg.Decode(bytes.NewReader(img.JPEG))
			if err != nil {
				t.Fatal(err)
			}
			b := dec.Bounds()
			if b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Fatalf("JPEG is %v", b)
			}
			r, g, _, _ := dec.At(int(tt.redX*float64(b.Dx())), int(tt.redY*float64(b.Dy()))).RGBA()
			if r>>8 < 180 || g>>8 > 80 {
				t.Errorf("no red block at (%.1f, %.1f): rgb %d %d", tt.redX, tt.redY, r>>8, g>>8)
			}
		})
	}
}

func TestPrepareImageRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.jpg")
	os.WriteFile(big, photoJPEG(t, 400, 300, exifwrite.Tags{}), 0o644)
	if _, err := PrepareImage(big, 100*100, 1600); err == nil {
		t.Error("a picture over the pixel limit was decoded")
	} else if _, ok := err.(*TooLargeError); !ok {
		t.Errorf("err = %v, want TooLargeError", err)
	}
	junk := filepath.Join(dir, "junk.jpg")
	os.WriteFile(junk, []byte("\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00MM\x00*\x00\x00\xff\xff"), 0o644)
	if _, err := PrepareImage(junk, 0, 1600); err == nil {
		t.Error("junk decoded")
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 10, 10)), nil)
	if jpegOrientation(buf.Bytes()) != 1 {
		t.Error("a JPEG without EXIF is not upright")
	}
	// Crafted EXIF offsets point outside the segment: read as upright, no panic.
	for _, b := range [][]byte{
		[]byte("\xFF\xD8\xFF\xE1\x00\x16Exif\x00\x00II*\x00\xff\xff\x00\x00\x01\x00\x12\x01"),
		[]byte("\xFF\xD8\xFF\xE1\xff\xffExif"),
		[]byte("\xFF\xD8"),
	} {
		if o := jpegOrientation(b); o != 1 {
			t.Errorf("jpegOrientation(%q) = %d", b, o)
		}
	}
}

// photoJPEG encodes a w×h picture with a red block at its stored top-left corner
// and the given EXIF tags.
func photoJPEG(t testing.TB, w, h int, tags exifwrite.Tags) []byte {
	t.Helper()
	b, err := exifwrite.Marked(w, h, tags)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPrepareImageHEIC: a real phone HEIC becomes a JPEG of the asked side;
// over the pixel limit it is refused as any picture, and a cut one fails.
func TestPrepareImageHEIC(t *testing.T) {
	src := "../../../../shared/realworld/photos/metadata-extractor-images/heic/cheers_1440x960.heic"
	data, err := os.ReadFile(src)
	if err != nil {
		t.Skip("shared/realworld is absent")
	}
	img, err := PrepareImage(src, 100e6, 240)
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != 240 || img.Height != 160 {
		t.Errorf("size %d×%d, want 240×160", img.Width, img.Height)
	}
	dec, err := jpeg.Decode(bytes.NewReader(img.JPEG))
	if err != nil || dec.Bounds().Dx() != 240 {
		t.Fatalf("not a 240-wide JPEG: %v", err)
	}
	if _, err := PrepareImage(src, 1440*960-1, 240); err == nil {
		t.Error("a HEIC over the pixel limit was decoded")
	} else if _, ok := err.(*TooLargeError); !ok {
		t.Errorf("err = %v, want TooLargeError", err)
	}
	cut := filepath.Join(t.TempDir(), "cut.heic")
	os.WriteFile(cut, data[:len(data)/2], 0o644)
	if _, err := PrepareImage(cut, 0, 240); err == nil {
		t.Error("a HEIC cut in half decoded")
	}
}

package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/stage/photo"
	"yanshou/pipeline/testkit/watermarks"
)

// TestPhotoWatermarks: in a check, a watermark-camera photo without EXIF
// takes the time printed on it (TimeSource watermark) and is judged by it; the
// same picture with an EXIF time three hours off keeps its EXIF time and
// carries the watermark's for the cross-check; a second check of the same
// files scans no photo again (the scans are cached by content). Without
// tesseract the photo keeps no time and says why.
func TestPhotoWatermarks(t *testing.T) {
	dir := t.TempDir()
	corpus, err := watermarks.Write(dir, 3, 0, 7)
	if err != nil {
		t.Skipf("no corpus (a CJK font is needed: make deps): %v", err)
	}
	if !photo.CanReadWatermarks() {
		t.Skip("tesseract with chi_sim not installed: TestWatermarkCorpus covers the path without it")
	}
	// The first of the photos the reader reads right (the corpus test measures how many).
	var pic *watermarks.Photo
	for i := range corpus {
		w := photo.Interpret(photo.ScanWatermark(corpus[i].Path, 0), time.FixedZone("CST", 8*3600), "wgs84")
		if w != nil && w.Taken != nil && w.Taken.Equal(corpus[i].When) {
			pic = &corpus[i]
			break
		}
	}
	if pic == nil {
		t.Fatal("no photo of the corpus read right")
	}
	jpg, err := os.ReadFile(pic.Path)
	if err != nil {
		t.Fatal(err)
	}
	withExif, err := exifwrite.Insert(jpg, exifwrite.Tags{Make: "HUAWEI", Model: "ALN-AL00",
		DateTimeOriginal: pic.When.Add(3 * time.Hour), WithOffset: true})
	if err != nil {
		t.Fatal(err)
	}
	exifPath := filepath.Join(dir, "exif.jpg")
	if err := os.WriteFile(exifPath, withExif, 0o644); err != nil {
		t.Fatal(err)
	}
	file := func(rel, abs string) yanshou.File {
		data, _ := os.ReadFile(abs)
		sum := sha256.Sum256(data)
		return yanshou.File{Rel: rel, Abs: abs, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Kind: yanshou.SitePhotos}
	}
	sub := &yanshou.Submission{Files: []yanshou.File{file("现场照片/水印.jpg", pic.Path), file("现场照片/有EXIF.jpg", exifPath)}}

	var scanned atomic.Int32 // photos are read a few at a time
	scanWatermark = func(path string, d *photo.Decoded, maxPixels int64) photo.WatermarkScan {
		scanned.Add(1)
		return photo.ScanWatermarkDecoded(path, d, maxPixels)
	}
	t.Cleanup(func() { scanWatermark = photo.ScanWatermarkDecoded })
	p := open(t, filepath.Join(t.TempDir(), "outbox"))
	got := p.readPhotos(sub, nil, 0)
	if scans := scanned.Load(); scans != 2 || len(got) != 2 {
		t.Fatalf("%d scans for %d photos", scans, len(got))
	}
	if w := got[0]; w.TimeSource != yanshou.TimeSourceWatermark || w.Taken == nil || !w.Taken.Equal(pic.When) {
		t.Errorf("watermark photo: time %v from %q, printed %v", w.Taken, w.TimeSource, pic.When)
	}
	if e := got[1]; e.TimeSource != "DateTimeOriginal" || e.Watermark == nil || e.Watermark.Taken == nil ||
		!e.Watermark.Taken.Equal(pic.When) || e.Taken.Sub(*e.Watermark.Taken) != 3*time.Hour {
		t.Errorf("EXIF photo: %v from %q, watermark %+v", e.Taken, e.TimeSource, e.Watermark)
	}
	again := p.readPhotos(sub, nil, 0)
	if scans := scanned.Load(); scans != 2 {
		t.Errorf("a second check scanned %d photos again", scans-2)
	}
	if again[0].TimeSource != yanshou.TimeSourceWatermark || !again[0].Taken.Equal(*got[0].Taken) {
		t.Errorf("from the cache: %v from %q", again[0].Taken, again[0].TimeSource)
	}

	// Without tesseract: scanned again (the cache keeps the two apart), no time, a note.
	t.Setenv("PATH", t.TempDir())
	bare := p.readPhotos(sub, nil, 0)
	if scans := scanned.Load(); scans != 4 || bare[0].Taken != nil || bare[0].Watermark == nil || bare[0].Watermark.Note == "" {
		t.Errorf("without tesseract: %d scans, %+v", scans, bare[0])
	}
}

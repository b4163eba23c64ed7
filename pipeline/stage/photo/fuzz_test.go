package photo

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// FuzzReadHEIF walks the ISOBMFF boxes of HEIF files (meta, iinf, iloc, iprp,
// idat) with seeds of both Exif layouts and the realworld HEIC files, damaged
// ones included. Read must not panic (readFrom's recover is bypassed: readMeta
// is called directly), loop or allocate without bound.
func FuzzReadHEIF(f *testing.F) {
	block := exifBlock(f, exifwrite.Tags{Make: "Apple", Model: "iPhone 14", DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai),
		WithOffset: true, GPS: &yanshou.LatLon{Lat: 33.5, Lon: 114.6}, GPSTime: time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)})
	f.Add(buildHEIF(f, block, false, 4032, 3024))
	f.Add(buildHEIF(f, block, true, 4032, 3024))
	paths, _ := filepath.Glob(filepath.Join(realworld, "photos/metadata-extractor-images/heic/*"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && len(data) < 1<<20 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _ := readMeta(bytes.NewReader(data), int64(len(data)))
		if len(m.tiff) > maxMetaBytes {
			t.Fatalf("EXIF block of %d bytes", len(m.tiff))
		}
	})
}

package hostile

import (
	"bytes"
	"os"
	"time"

	"yanshou/pipeline/format/exifwrite"
)

// Sample kinds for Samples.
const (
	SamplePhoto  = "photo"  // whole picture files (JPEG, PNG, HEIC, WebP)
	SampleExif   = "exif"   // bare TIFF/EXIF blocks
	SampleZip    = "zip"    // zip archives
	SamplePDF    = "pdf"    // PDF files
	SampleOffice = "office" // Office Open XML packages and what pretends to be one
	SampleYAML   = "yaml"   // manifest.yaml bodies
)

// Samples returns the corpus's hostile files of one kind as bytes, small enough
// to seed fuzz targets (the zip bomb is 1 MiB of zeros here).
func Samples(kind string) [][]byte {
	must := func(b []byte, err error) []byte {
		if err != nil {
			panic(err)
		}
		return b
	}
	shot := must(Photo(320, 240, 77, exifwrite.Tags{Make: "OPPO", Model: "PCLM10",
		DateTimeOriginal: Start.Add(time.Hour), WithOffset: true, GPS: &Venue}))
	plain := plainJPEG(64, 48)
	entries := func() []zipFile {
		return []zipFile{{Name: "班/manifest.yaml", Body: []byte("institution: 甲\n")}, {Name: "班/情况总结.txt", Body: []byte("总结")}}
	}
	switch kind {
	case SamplePhoto:
		zero := bytes.ReplaceAll(shot, []byte(Start.Add(time.Hour).Format("2006:01:02 15:04:05")), []byte("0000:00:00 00:00:00"))
		return [][]byte{shot, shot[:len(shot)/2], corruptScan(shot), zero, withAPP1(plain, exifLoop()), withAPP1(plain, exifHugeCount()),
			pngHeader(60000, 60000), jpegBomb(shot), heicBroken(), webpLying()}
	case SampleExif:
		return [][]byte{exifLoop(), exifHugeCount()}
	case SampleZip:
		good := must(zipBytes(entries()))
		slip := must(zipBytes(append(entries(), zipFile{Name: "../../../../tmp/逃逸.txt", Body: []byte("x")}, zipFile{Name: "/etc/逃逸", Body: []byte("x")})))
		link := must(zipBytes(append(entries(), zipFile{Name: "班/链接", Body: []byte("/etc/passwd"), Mode: os.ModeSymlink | 0o777})))
		dup := must(zipBytes(append(entries(), zipFile{Name: "班/情况总结.txt", Body: []byte("另一个")})))
		enc := must(encryptedZipBytes(entries(), "情况总结.txt", "123456"))
		bomb := must(zipBytes([]zipFile{{Name: "零", Body: make([]byte, 1<<20)}}))
		return [][]byte{good, slip, link, dup, enc, bomb, good[:len(good)*6/10]}
	case SamplePDF:
		pdf := minimalPDF("sample")
		return [][]byte{pdf, brokenXref(pdf), pdf[:len(pdf)/2], must(encryptPDF(pdf, "1234"))}
	case SampleOffice:
		return [][]byte{must(macroBookBytes()), oleHeader(), []byte("姓名,身份证号\n")}
	case SampleYAML:
		return [][]byte{yamlBomb(), randomBytes(512, 8),
			[]byte("institution: 甲\nclass: 第1期\nstart: 2026-03-10\nend: 2026-03-01\n"),
			[]byte("institution: 甲\nclass: 第1期\nstart: 2026-02-30\nend: 2026-03-01\n")}
	}
	return nil
}

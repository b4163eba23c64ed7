package papersheet

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"os"

	"github.com/signintech/gopdf"
)

// JPEG encodes a scanned page as a scanner does (quality 85).
func JPEG(img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		panic(err) // a grey image of our own
	}
	return b.Bytes()
}

// ScanPDF writes pages (JPEG bytes) as an image-only A4 PDF at path, as a
// scanner does: each page one picture filling the page.
func ScanPDF(path string, pages [][]byte) error {
	data, err := ScanPDFBytes(pages)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// ScanPDFBytes is ScanPDF's file, in memory.
func ScanPDFBytes(pages [][]byte) ([]byte, error) {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	for i, b := range pages {
		h, err := gopdf.ImageHolderByBytes(b)
		if err != nil {
			return nil, err
		}
		gp.AddPage()
		if err := gp.ImageByHolder(h, 0, 0, &gopdf.Rect{W: gopdf.PageSizeA4.W, H: gopdf.PageSizeA4.H}); err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
	}
	var out bytes.Buffer
	if _, err := gp.WriteTo(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

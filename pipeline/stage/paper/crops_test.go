package paper

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/signform"
)

func TestPaperBoxes(t *testing.T) {
	crop := image.NewGray(image.Rect(0, 0, 240, 34))
	for i := range crop.Pix {
		crop.Pix[i] = 255
	}
	crop.Pix[0], crop.Pix[1], crop.Pix[crop.Stride], crop.Pix[crop.Stride+1] = 0, 0, 0, 0 // one block of ink
	res := &Result{Boxes: []Box{
		{Session: "s1", Page: 1, Row: 1, Trainee: 0, State: signform.Signed, Crop: crop},
		{Session: "s1", Page: 1, Row: 2, Trainee: 1, State: signform.Empty, Crop: crop},
		{Session: "s1", Page: 1, Row: 3, Trainee: 2, State: signform.Unsure},
		{Session: "s1", Page: 1, Row: 20, Trainee: -1, State: signform.Signed, Crop: crop, NameCrop: crop},
	}}
	got := res.PaperBoxes()
	want := []yanshou.PaperBoxState{yanshou.BoxSigned, yanshou.BoxEmpty, yanshou.BoxUnsure, yanshou.BoxSigned}
	if len(got) != len(want) {
		t.Fatalf("%d boxes, want %d", len(got), len(want))
	}
	for i, b := range got {
		if b.State != want[i] || b.Row != res.Boxes[i].Row || b.Trainee != res.Boxes[i].Trainee {
			t.Errorf("box %d: %+v", i, b)
		}
		if (b.PNG == nil) != (res.Boxes[i].Crop == nil) || (b.NamePNG == nil) != (b.Trainee >= 0) {
			t.Errorf("box %d: crops %d/%d bytes", i, len(b.PNG), len(b.NamePNG))
		}
	}
	img, err := png.Decode(bytes.NewReader(got[0].PNG))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok || g.Bounds().Dx() != 240*yanshou.PaperCropPerMM/signform.CropPerMM || g.Bounds().Dy() != 34*yanshou.PaperCropPerMM/signform.CropPerMM {
		t.Fatalf("crop %T %v, want grey at %d px/mm", img, img.Bounds(), yanshou.PaperCropPerMM)
	}
	if g.Pix[0] != 0 || g.Pix[1] != 255 {
		t.Errorf("the ink block averaged to %d, its neighbour %d", g.Pix[0], g.Pix[1])
	}
	if (&Result{}).PaperBoxes() != nil {
		t.Error("boxes from no sheets")
	}
}

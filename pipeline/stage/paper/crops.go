package paper

import (
	"bytes"
	"image"
	"image/png"

	"yanshou"
	"yanshou/pipeline/format/signform"
)

// PaperBoxes gives the boxes read for the report (签字核对): each crop shrunk
// to yanshou.PaperCropPerMM by averaging and encoded as a grey PNG, so that the
// result keeps about a kilobyte a box whatever the pictures were.
func (res *Result) PaperBoxes() []yanshou.PaperBox {
	if len(res.Boxes) == 0 {
		return nil
	}
	out := make([]yanshou.PaperBox, 0, len(res.Boxes))
	for _, b := range res.Boxes {
		pb := yanshou.PaperBox{Session: b.Session, Trainee: b.Trainee, File: b.File, Page: b.Page, Row: b.Row,
			State: boxState(b.State), PNG: smallPNG(b.Crop)}
		if b.Trainee < 0 {
			pb.NamePNG = smallPNG(b.NameCrop)
		}
		out = append(out, pb)
	}
	return out
}

// boxState is the domain's name of a box state.
func boxState(s signform.State) yanshou.PaperBoxState {
	switch s {
	case signform.Signed:
		return yanshou.BoxSigned
	case signform.Empty:
		return yanshou.BoxEmpty
	}
	return yanshou.BoxUnsure
}

// smallPNG shrinks g from signform.CropPerMM to yanshou.PaperCropPerMM samples
// a millimetre (the mean of each block), stretches its paper to white and
// encodes it as a grey PNG; nil for no crop.
func smallPNG(g *image.Gray) []byte {
	if g == nil || g.Bounds().Empty() {
		return nil
	}
	f := max(1, signform.CropPerMM/yanshou.PaperCropPerMM)
	b := g.Bounds()
	w, h := max(1, b.Dx()/f), max(1, b.Dy()/f)
	small := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			sum, n := 0, 0
			for dy := range f {
				for dx := range f {
					px, py := b.Min.X+x*f+dx, b.Min.Y+y*f+dy
					if px < b.Max.X && py < b.Max.Y {
						sum += int(g.GrayAt(px, py).Y)
						n++
					}
				}
			}
			small.Pix[y*small.Stride+x] = uint8((sum + n/2) / n)
		}
	}
	// Paper white: the box's bright level (its 90th percentile) is stretched to
	// white, so a shaded photo reads like a scan.
	var hist [256]int
	for _, v := range small.Pix {
		hist[v]++
	}
	paper, seen := 255, 0
	for v := 255; v >= 0; v-- {
		seen += hist[v]
		if seen*10 >= len(small.Pix) {
			paper = v
			break
		}
	}
	if paper >= 40 && paper < 255 {
		for i, v := range small.Pix {
			small.Pix[i] = uint8(min(255, int(v)*255/paper))
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if enc.Encode(&buf, small) != nil {
		return nil
	}
	return buf.Bytes()
}

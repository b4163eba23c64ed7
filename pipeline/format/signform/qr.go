package signform

import (
	"fmt"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// Modules is the QR code of text, error correction level M, as a square of
// dark (true) modules, without quiet zone.
func Modules(text string) ([][]bool, error) {
	if len(text) > MaxPayload {
		return nil, fmt.Errorf("二维码内容过长（%d 字节，上限 %d）", len(text), MaxPayload)
	}
	code, err := encoder.Encoder_encode(text, decoder.ErrorCorrectionLevel_M,
		map[gozxing.EncodeHintType]interface{}{})
	if err != nil {
		return nil, fmt.Errorf("生成二维码失败：%w", err)
	}
	m := code.GetMatrix()
	out := make([][]bool, m.GetHeight())
	for y := range out {
		out[y] = make([]bool, m.GetWidth())
		for x := range out[y] {
			out[y][x] = m.Get(x, y) == 1
		}
	}
	return out, nil
}

// QRModule is the side of one module, in millimetres, when a code of n
// modules (quiet zone excluded) is printed in QRBox.
func QRModule(n int) float64 { return QRBox.W / float64(n+2*QRQuiet) }

// QRFinders are the centres, on the page, of the QR code's three finder
// patterns (bottom-left, top-left, top-right: the order gozxing reports them)
// for a code of n modules printed in QRBox.
func QRFinders(n int) [3]Point {
	m := QRModule(n)
	near := QRBox.X + (QRQuiet+3.5)*m
	far := QRBox.X + (QRQuiet+float64(n)-3.5)*m
	top := QRBox.Y + (QRQuiet+3.5)*m
	bottom := QRBox.Y + (QRQuiet+float64(n)-3.5)*m
	return [3]Point{{near, bottom}, {near, top}, {far, top}}
}

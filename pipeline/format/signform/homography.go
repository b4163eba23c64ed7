package signform

import (
	"errors"
	"math"
)

// Homography maps page millimetres to picture pixels: (x, y) → (u/w, v/w) with
// (u, v, w) = H·(x, y, 1), H[2][2] = 1.
type Homography [3][3]float64

// Apply maps a page point to the picture.
func (h Homography) Apply(p Point) Point {
	w := h[2][0]*p.X + h[2][1]*p.Y + h[2][2]
	return Point{(h[0][0]*p.X + h[0][1]*p.Y + h[0][2]) / w, (h[1][0]*p.X + h[1][1]*p.Y + h[1][2]) / w}
}

// errDegenerate says the points do not determine a mapping.
var errDegenerate = errors.New("定位点共线或重合，无法确定页面位置")

// FitHomography is the homography taking the four page points to the four
// picture points (direct linear transform, float64, partial pivoting).
func FitHomography(page, pic [4]Point) (Homography, error) {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := page[i].X, page[i].Y, pic[i].X, pic[i].Y
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	h, err := solve8(a)
	if err != nil {
		return Homography{}, err
	}
	return Homography{{h[0], h[1], h[2]}, {h[3], h[4], h[5]}, {h[6], h[7], 1}}, nil
}

// Affine is the affine map (a homography with no perspective) taking three
// page points to three picture points.
func Affine(page, pic [3]Point) (Homography, error) {
	// [x y 1] rows; solve for the two rows of the map by Cramer's rule
	d := page[0].X*(page[1].Y-page[2].Y) - page[0].Y*(page[1].X-page[2].X) + (page[1].X*page[2].Y - page[2].X*page[1].Y)
	if math.Abs(d) < 1e-9 {
		return Homography{}, errDegenerate
	}
	row := func(t [3]float64) [3]float64 {
		var out [3]float64
		m := [3][3]float64{{page[0].X, page[0].Y, 1}, {page[1].X, page[1].Y, 1}, {page[2].X, page[2].Y, 1}}
		for c := 0; c < 3; c++ {
			mc := m
			for r := 0; r < 3; r++ {
				mc[r][c] = t[r]
			}
			out[c] = det3(mc) / d
		}
		return out
	}
	r0 := row([3]float64{pic[0].X, pic[1].X, pic[2].X})
	r1 := row([3]float64{pic[0].Y, pic[1].Y, pic[2].Y})
	return Homography{r0, r1, {0, 0, 1}}, nil
}

func det3(m [3][3]float64) float64 {
	return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) - m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) + m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
}

// solve8 solves an 8×8 system given as an augmented matrix.
func solve8(a [8][9]float64) ([8]float64, error) {
	var x [8]float64
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return x, errDegenerate
		}
		a[c], a[p] = a[p], a[c]
		for r := c + 1; r < 8; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < 9; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	for r := 7; r >= 0; r-- {
		s := a[r][8]
		for k := r + 1; k < 8; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x, nil
}

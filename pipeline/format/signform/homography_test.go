package signform

import (
	"math"
	"testing"
)

func TestFitHomography(t *testing.T) {
	page := [4]Point{{14, 14}, {196, 14}, {14, 283}, {196, 283}}
	tests := []struct {
		name string
		pic  [4]Point
	}{
		{"scale", [4]Point{{140, 140}, {1960, 140}, {140, 2830}, {1960, 2830}}},
		{"half turn", [4]Point{{1960, 2830}, {140, 2830}, {1960, 140}, {140, 140}}},
		{"perspective", [4]Point{{300, 200}, {1700, 260}, {180, 2600}, {1900, 2900}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := FitHomography(page, tt.pic)
			if err != nil {
				t.Fatal(err)
			}
			for i := range page {
				q := h.Apply(page[i])
				if math.Hypot(q.X-tt.pic[i].X, q.Y-tt.pic[i].Y) > 1e-6 {
					t.Errorf("corner %d → %v, want %v", i, q, tt.pic[i])
				}
			}
			inv, err := FitHomography(tt.pic, page)
			if err != nil {
				t.Fatal(err)
			}
			p := Point{105, 150}
			if r := inv.Apply(h.Apply(p)); math.Hypot(r.X-p.X, r.Y-p.Y) > 1e-6 {
				t.Errorf("round trip of %v gave %v", p, r)
			}
		})
	}
	if _, err := FitHomography(page, [4]Point{{1, 1}, {2, 2}, {3, 3}, {4, 4}}); err == nil {
		t.Error("collinear picture points: no error")
	}
}

func TestAffine(t *testing.T) {
	page := [3]Point{{0, 10}, {0, 0}, {10, 0}}
	pic := [3]Point{{100, 300}, {100, 100}, {300, 100}}
	h, err := Affine(page, pic)
	if err != nil {
		t.Fatal(err)
	}
	if q := h.Apply(Point{10, 10}); math.Hypot(q.X-300, q.Y-300) > 1e-9 {
		t.Errorf("(10,10) → %v, want (300,300)", q)
	}
	if _, err := Affine([3]Point{{0, 0}, {1, 1}, {2, 2}}, pic); err == nil {
		t.Error("collinear: no error")
	}
}

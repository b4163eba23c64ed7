// Package zh formats numbers for Chinese documents and messages, one way
// everywhere: a share in a rule's finding reads as it does in the report's table.
package zh

import (
	"math"
	"strconv"
	"strings"
)

// Percent formats a share (0.658 → "65.8%") rounded to one decimal, a
// trailing ".0" dropped (0.8 → "80%"). NaN and infinities read "—".
func Percent(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Round(share*1000)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s + "%"
}

package main

import (
	"strings"
	"testing"
)

func TestTableAlignsChinese(t *testing.T) {
	var tb table
	tb.add("结论", "机构")
	tb.add("一票否决", "ab")
	tb.add("pass", "商水")
	var b strings.Builder
	tb.write(&b)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	// The second column starts at the same terminal cell on every line.
	for _, l := range lines {
		second := strings.LastIndex(l, "  ") + 2
		if got := displayWidth(l[:second]); got != 10 {
			t.Errorf("line %q: second column at cell %d, want 10", l, got)
		}
	}
	if displayWidth("合格ok") != 6 {
		t.Error("displayWidth wrong")
	}
}

package fonts

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/signintech/gopdf"
)

const (
	gbsn  = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
	droid = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	wqy   = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
)

func need(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s not installed", p)
		}
	}
}

// makeTTC wraps the given TrueType fonts into a collection, the way .ttc files
// are laid out: one table directory per face, offsets from the file start.
func makeTTC(t *testing.T, fonts ...[]byte) []byte {
	t.Helper()
	head := 12 + 4*len(fonts)
	var body bytes.Buffer
	offsets := make([]uint32, len(fonts))
	for i, f := range fonts {
		d, err := readDirectory(byteReader(f), 0)
		if err != nil {
			t.Fatal(err)
		}
		dirLen := 12 + 16*len(d.tables)
		faceOff := head + body.Len()
		offsets[i] = uint32(faceOff)
		dir := make([]byte, dirLen)
		copy(dir, f[:12])
		dataStart := faceOff + dirLen
		var data bytes.Buffer
		for j, tb := range d.tables {
			e := dir[12+16*j:]
			copy(e, tb.tag)
			binary.BigEndian.PutUint32(e[4:], tb.sum)
			binary.BigEndian.PutUint32(e[8:], uint32(dataStart+data.Len()))
			binary.BigEndian.PutUint32(e[12:], tb.size)
			data.Write(f[tb.off : tb.off+tb.size])
			for data.Len()%4 != 0 {
				data.WriteByte(0)
			}
		}
		body.Write(dir)
		body.Write(data.Bytes())
	}
	out := make([]byte, head, head+body.Len())
	copy(out, "ttcf\x00\x01\x00\x00")
	binary.BigEndian.PutUint32(out[8:], uint32(len(fonts)))
	for i, o := range offsets {
		binary.BigEndian.PutUint32(out[12+4*i:], o)
	}
	return append(out, body.Bytes()...)
}

func TestFind(t *testing.T) {
	need(t, gbsn, droid)
	dir := t.TempDir()
	otf := filepath.Join(dir, "cff.otf")
	os.WriteFile(otf, []byte("OTTOrest of a CFF font"), 0o644)
	junk := filepath.Join(dir, "junk.ttf")
	os.WriteFile(junk, []byte("\x00\x01\x00\x00 not really"), 0o644)
	gb, _ := os.ReadFile(gbsn)
	dr, _ := os.ReadFile(droid)
	ttc := filepath.Join(dir, "pair.ttc")
	os.WriteFile(ttc, makeTTC(t, dr, gb), 0o644) // face 0 lacks digits, face 1 is complete

	saved, savedFB := Candidates, FallbackCandidates
	defer func() { Candidates, FallbackCandidates = saved, savedFB }()
	Candidates, FallbackCandidates = nil, nil

	tests := []struct {
		name       string
		configured []string
		want       string
		wantErr    bool
	}{
		{"configured TrueType first", []string{filepath.Join(dir, "missing.ttf"), gbsn}, gbsn, false},
		{"Droid Sans Fallback has no digits: never primary", []string{droid, gbsn}, gbsn, false},
		{"collection: first complete face", []string{ttc}, ttc + "#1", false},
		{"explicit face without digits refused", []string{ttc + "#0"}, "", true},
		{"CFF, junk and nothing refused", []string{otf, junk}, "", true},
		{"nothing", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Find(tt.configured)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("Find = %q, %v; want %q, err=%v", got, err, tt.want, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrNoFont) {
				t.Fatalf("error %v does not wrap ErrNoFont", err)
			}
		})
	}
	fb := Fallbacks([]string{ttc, droid}, ttc+"#1")
	if len(fb) != 2 || fb[0] != ttc+"#0" || fb[1] != droid {
		t.Errorf("Fallbacks = %q, want the other face and Droid", fb)
	}
}

// TestLoadCollection cuts each face out of a collection; gopdf must accept the
// result and find the same glyphs as in the original font.
func TestLoadCollection(t *testing.T) {
	need(t, gbsn, droid)
	gb, _ := os.ReadFile(gbsn)
	dr, _ := os.ReadFile(droid)
	path := filepath.Join(t.TempDir(), "pair.ttc")
	os.WriteFile(path, makeTTC(t, dr, gb), 0o644)
	tests := []struct {
		spec   string
		digits bool
	}{{path + "#0", false}, {path + "#1", true}, {path, false}, {gbsn, true}}
	for _, tt := range tests {
		data, err := Load(tt.spec)
		if err != nil {
			t.Fatalf("Load(%s): %v", tt.spec, err)
		}
		pdf := &gopdf.GoPdf{}
		pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
		if err := pdf.AddTTFFontData("f", data); err != nil {
			t.Fatalf("gopdf refuses %s: %v", tt.spec, err)
		}
		pdf.AddPage()
		if err := pdf.SetFont("f", "", 12); err != nil {
			t.Fatal(err)
		}
		zh, _ := pdf.IsCurrFontContainGlyph('中')
		d, _ := pdf.IsCurrFontContainGlyph('7')
		if !zh || d != tt.digits {
			t.Errorf("%s: 中 %v, 7 %v; want true, %v", tt.spec, zh, d, tt.digits)
		}
	}
	if _, err := Load(path + "#5"); err == nil {
		t.Error("face 5 of a 2-face collection loaded")
	}
}

// TestWenQuanYi uses the real WenQuanYi Zen Hei collection when it is installed.
func TestWenQuanYi(t *testing.T) {
	need(t, wqy)
	got, err := Find([]string{wqy})
	if err != nil || got != wqy+"#0" {
		t.Fatalf("Find = %q, %v", got, err)
	}
	data, err := Load(got)
	if err != nil {
		t.Fatal(err)
	}
	var fc gopdf.FontContainer
	if err := fc.AddTTFFontData("wqy", data); err != nil {
		t.Fatalf("gopdf refuses the cut face: %v", err)
	}
}

func TestSplitSpec(t *testing.T) {
	tests := []struct {
		in, path string
		index    int
		has      bool
	}{
		{"/a/b.ttc#2", "/a/b.ttc", 2, true},
		{"/a/b.ttf", "/a/b.ttf", 0, false},
		{"/a/#x/b.ttf", "/a/#x/b.ttf", 0, false},
	}
	for _, tt := range tests {
		p, i, h := SplitSpec(tt.in)
		if p != tt.path || i != tt.index || h != tt.has {
			t.Errorf("SplitSpec(%q) = %q %d %v", tt.in, p, i, h)
		}
	}
}

// TestFindStyle: a style with a candidate on this machine finds it, one
// without falls back (ok false), Song is always the primary's.
func TestFindStyle(t *testing.T) {
	saved := StyleCandidates
	defer func() { StyleCandidates = saved }()
	dir := t.TempDir()
	notAFont := filepath.Join(dir, "fake.ttf")
	if err := os.WriteFile(notAFont, []byte("not a font"), 0o644); err != nil {
		t.Fatal(err)
	}
	primary, err := Find(nil)
	if err != nil {
		t.Skip("no CJK font on this machine")
	}
	path, _, _ := SplitSpec(primary)
	StyleCandidates = map[Style][]string{
		Hei:  {filepath.Join(dir, "missing.ttc"), notAFont, path},
		Fang: {notAFont},
	}
	tests := []struct {
		style  Style
		want   string
		wantOK bool
	}{
		{Hei, path, true},
		{Fang, "", false},
		{Kai, "", false},
		{Song, "", false},
	}
	for _, tt := range tests {
		got, ok := FindStyle(tt.style)
		if p, _, _ := SplitSpec(got); p != tt.want || ok != tt.wantOK {
			t.Errorf("FindStyle(%v) = %q, %v; want %q, %v", tt.style, got, ok, tt.want, tt.wantOK)
		}
	}
}

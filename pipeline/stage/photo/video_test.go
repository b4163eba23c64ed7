package photo

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func mp4Box(typ string, body ...[]byte) []byte {
	n := 8
	for _, b := range body {
		n += len(b)
	}
	out := make([]byte, 8, n)
	binary.BigEndian.PutUint32(out, uint32(n))
	copy(out[4:], typ)
	for _, b := range body {
		out = append(out, b...)
	}
	return out
}

// mvhd v0 with a creation time.
func mvhd(t time.Time) []byte {
	body := make([]byte, 100)
	binary.BigEndian.PutUint32(body[4:], uint32(t.Sub(mp4Epoch)/time.Second))
	return mp4Box("mvhd", body)
}

func tkhd(w, h int) []byte {
	body := make([]byte, 84)
	binary.BigEndian.PutUint32(body[76:], uint32(w)<<16)
	binary.BigEndian.PutUint32(body[80:], uint32(h)<<16)
	return mp4Box("tkhd", body)
}

func xyz(s string) []byte {
	body := append(append([]byte{}, byte(len(s)>>8), byte(len(s)), 0x15, 0xc7), s...)
	return mp4Box("\xa9xyz", body)
}

// appleMeta builds the mdta keys and their values.
func appleMeta(kv [][2]string) []byte {
	var keys, items []byte
	keys = append(keys, u32(0)...)
	keys = append(keys, u32(uint32(len(kv)))...)
	for i, e := range kv {
		keys = append(keys, u32(uint32(8+len(e[0])))...)
		keys = append(keys, "mdta"...)
		keys = append(keys, e[0]...)
		data := mp4Box("data", u32(1), u32(0), []byte(e[1]))
		items = append(items, mp4Box(string(u32(uint32(i+1))), data)...)
	}
	return mp4Box("meta", mp4Box("keys", keys), mp4Box("ilst", items))
}

// TestReadVideo: the recording time and place of MP4/MOV videos as Android
// phones (mvhd in UTC, ©xyz) and iPhones (QuickTime keys with the offset)
// write them; a truncated file, one without a movie box and an empty one are
// findings, never panics.
func TestReadVideo(t *testing.T) {
	dir := t.TempDir()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	at := time.Date(2026, 3, 10, 1, 30, 0, 0, time.UTC) // 09:30 in 商水
	ftyp := mp4Box("ftyp", []byte("isom"), u32(0), []byte("isommp41"))
	mdat := mp4Box("mdat", make([]byte, 4096))
	write := func(name string, parts ...[]byte) string {
		p := filepath.Join(dir, name)
		var b []byte
		for _, x := range parts {
			b = append(b, x...)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	android := write("VID_20260310_093000.mp4", ftyp, mdat, mp4Box("moov", mvhd(at), mp4Box("trak", tkhd(1920, 1080)), mp4Box("udta", xyz("+33.5440+114.6100/"))))
	iphone := write("IMG_0042.MOV", ftyp, mp4Box("moov", mvhd(at.Add(8*time.Hour)), appleMeta([][2]string{
		{"com.apple.quicktime.make", "Apple"}, {"com.apple.quicktime.model", "iPhone 15"},
		{"com.apple.quicktime.creationdate", "2026-03-10T09:30:00+0800"},
		{"com.apple.quicktime.location.ISO6709", "+33.5441+114.6101+052.000/"}})), mdat)
	bare := write("bare.mp4", ftyp, mp4Box("moov", mp4Box("mvhd", make([]byte, 100))), mdat)
	cut := write("cut.mp4", ftyp, mdat[:100])
	noMoov := write("nomoov.mp4", ftyp, mdat)
	empty := write("empty.mp4")

	p := ReadVideo(android, "现场视频/VID.mp4", shanghai)
	if p.Error != nil || p.Taken == nil || !p.Taken.Equal(at) || p.TimeSource != "mvhd" || p.Lat == nil || *p.Lat != 33.544 || *p.Lon != 114.61 || p.Width != 1920 {
		t.Errorf("Android video: %+v", p)
	}
	p = ReadVideo(iphone, "IMG_0042.MOV", shanghai)
	if p.Error != nil || p.Taken == nil || !p.Taken.Equal(at) || p.TimeSource != "QuickTime:CreationDate" || p.Make != "Apple" || p.Model != "iPhone 15" || p.Lat == nil || *p.Lat != 33.5441 {
		t.Errorf("iPhone video: %+v", p)
	}
	if p := ReadVideo(bare, "bare.mp4", shanghai); p.Error != nil || p.Taken != nil {
		t.Errorf("a video without a time is no error: %+v", p)
	}
	for _, tt := range []struct{ path, want string }{
		{cut, "被截断"}, {noMoov, "没有 moov"}, {empty, "没有 moov"}, {filepath.Join(dir, "missing.mp4"), "不存在"},
	} {
		if p := ReadVideo(tt.path, filepath.Base(tt.path), shanghai); p.Error == nil || !strings.Contains(*p.Error, tt.want) {
			t.Errorf("%s: %+v, want an error with %q", filepath.Base(tt.path), p, tt.want)
		}
	}
	if !IsVideo("a.MOV") || !IsVideo("b.mp4") || IsVideo("c.jpg") {
		t.Error("IsVideo")
	}
}

// FuzzReadVideo: any bytes named .mp4 read to a Photo, an error at worst.
func FuzzReadVideo(f *testing.F) {
	at := time.Date(2026, 3, 10, 1, 30, 0, 0, time.UTC)
	ftyp := mp4Box("ftyp", []byte("isom"), u32(0), []byte("isommp41"))
	f.Add(append(ftyp, mp4Box("moov", mvhd(at), mp4Box("udta", xyz("+33.5440+114.6100/")))...))
	f.Add(append(ftyp, mp4Box("moov", appleMeta([][2]string{{"com.apple.quicktime.creationdate", "2026-03-10T09:30:00+0800"}}))...))
	f.Add([]byte{0, 0, 0, 1, 'm', 'o', 'o', 'v', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "v.mp4")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ReadVideo(p, "v.mp4", time.UTC)
	})
}

// TestMvhdDuration reads the movie's length from both header versions.
func TestMvhdDuration(t *testing.T) {
	v0 := func(scale, dur uint32) []byte {
		b := make([]byte, 100)
		binary.BigEndian.PutUint32(b[12:], scale)
		binary.BigEndian.PutUint32(b[16:], dur)
		return b
	}
	v1 := make([]byte, 112)
	v1[0] = 1
	binary.BigEndian.PutUint32(v1[20:], 600)
	binary.BigEndian.PutUint64(v1[24:], 600*75)
	for _, c := range []struct {
		name string
		b    []byte
		want float64
	}{
		{"v0 12.5 s", v0(1000, 12500), 12.5},
		{"v1 75 s", v1, 75},
		{"no timescale", v0(0, 100), 0},
		{"unknown length", v0(1000, 0xFFFFFFFF), 0},
		{"over 100 hours", v0(1, 400000), 0},
		{"cut", v0(1000, 5)[:18], 0},
	} {
		if got := mvhdDuration(c.b); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// BenchmarkReadVideo: the time, place and length of a phone video from its
// movie box (an iPhone-style MOV with 8 MB of media data before the moov).
func BenchmarkReadVideo(b *testing.B) {
	at := time.Date(2026, 3, 10, 1, 30, 0, 0, time.UTC)
	ftyp := mp4Box("ftyp", []byte("qt  "), u32(0), []byte("qt  "))
	moov := mp4Box("moov", mvhd(at), mp4Box("trak", tkhd(1920, 1080), mp4Box("mdia", make([]byte, 64<<10))),
		appleMeta([][2]string{{"com.apple.quicktime.make", "Apple"}, {"com.apple.quicktime.model", "iPhone 15"},
			{"com.apple.quicktime.creationdate", "2026-03-10T09:30:00+0800"},
			{"com.apple.quicktime.location.ISO6709", "+33.5441+114.6101+052.000/"}}))
	path := filepath.Join(b.TempDir(), "IMG_0042.MOV")
	data := append(append(ftyp, mp4Box("mdat", make([]byte, 8<<20))...), moov...)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if p := ReadVideo(path, "IMG_0042.MOV", time.UTC); p.Error != nil || p.Taken == nil {
			b.Fatalf("%+v", p)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

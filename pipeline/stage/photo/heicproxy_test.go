package photo

import (
	"crypto/sha256"
	"encoding/hex"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"yanshou/pipeline/format/heic"
)

// TestHEICProxy: hashing a HEIC leaves its proxy (an upright JPEG within
// ProxySide, the same picture: the hashes of the proxy are those of the HEIC
// within a few bits), names the bytes it decoded by their SHA-256 (so that the
// hashes are cached), and a second call decodes nothing for the proxy.
func TestHEICProxy(t *testing.T) {
	src := filepath.Join(realworldDir(t), cheersHEIC)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if !IsHEIC(src) {
		t.Fatal("IsHEIC false for a HEIC")
	}
	proxy := filepath.Join(t.TempDir(), "proxies", "x.jpg")
	hs, sum, _, err := HashesSumProxy(src, 100e6, proxy)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(data)
	if sum != hex.EncodeToString(want[:]) {
		t.Errorf("sum %s, the file's SHA-256 is %x", sum, want)
	}
	f, err := os.Open(proxy)
	if err != nil {
		t.Fatalf("no proxy: %v", err)
	}
	cfg, err := jpeg.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 1440 || cfg.Height != 960 {
		t.Errorf("proxy %v %v, want a 1440×960 JPEG", cfg, err)
	}
	if IsHEIC(proxy) {
		t.Error("IsHEIC true for the proxy JPEG")
	}
	ph, err := Hashes(proxy, 100e6)
	if err != nil {
		t.Fatal(err)
	}
	if d := setDistance(hs, ph); d > 2 {
		t.Errorf("proxy's hashes %d bits from the HEIC's", d)
	}
	before := heic.Decodes()
	if err := WriteProxy(src, 100e6, proxy); err != nil {
		t.Fatal(err)
	}
	if heic.Decodes() != before {
		t.Error("WriteProxy decoded with the proxy already there")
	}
	os.Remove(proxy)
	if err := WriteProxy(src, 100e6, proxy); err != nil || heic.Decodes() != before+1 {
		t.Errorf("WriteProxy without a proxy: %v, %d decodes", err, heic.Decodes()-before)
	}
	if err := WriteProxy(src, 1000, filepath.Join(t.TempDir(), "big.jpg")); err == nil {
		t.Error("WriteProxy over the pixel limit: no error")
	}
}

// TestTrimProxies keeps the newest files.
func TestTrimProxies(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	for i, name := range []string{"a", "b", "c", "d"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(name), 0o644)
		os.Chtimes(p, now, now.Add(time.Duration(i)*time.Minute)) // d is the newest
	}
	if err := TrimProxies(dir, 2); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 2 || filepath.Base(left[0]) != "c" || filepath.Base(left[1]) != "d" {
		t.Errorf("left %v, want c d", left)
	}
	if err := TrimProxies(filepath.Join(dir, "none"), 2); err != nil {
		t.Errorf("missing folder: %v", err)
	}
}

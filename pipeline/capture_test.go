package pipeline

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nfnt/resize"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/stage/photo"
)

// TestReusedMirroredCopy: a photo of an earlier class, mirrored, shrunk and
// re-encoded with the later class's time and place in its
// EXIF, is found through the originals the pipeline kept of the earlier class
// and compared cell by cell: photos.reused, a veto, quoting the share.
func TestReusedMirroredCopy(t *testing.T) {
	first, later := forgeCopy(t, func(img image.Image) image.Image {
		b := img.Bounds()
		mirrored := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				mirrored.Set(b.Dx()-1-x, y, img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
		return resize.Resize(uint(b.Dx()*7/10), 0, mirrored, resize.Bilinear)
	})
	// Also as after an upgrade of the hashes: the earlier class judged under
	// another algorithm (its recorded hashes differ in every bit, none cached of
	// this one)
	// is hashed again from the originals kept, never compared as recorded.
	for _, earlier := range []string{"this algorithm", "another algorithm"} {
		t.Run(earlier, func(t *testing.T) {
			p := open(t, t.TempDir())
			if r, err := p.Check(context.Background(), first, CheckOptions{}); err != nil || r.Verdict != yanshou.Pass {
				t.Fatalf("first class: %v %v", r, err)
			}
			if earlier == "another algorithm" {
				db, err := sql.Open("sqlite", "file:"+p.Ledger.Path())
				if err != nil {
					t.Fatal(err)
				}
				_, err = db.Exec(`DELETE FROM photo_hash_cache; UPDATE photos SET phash = -phash - 1 WHERE phash <> 0`)
				db.Close()
				if err != nil {
					t.Fatal(err)
				}
			}
			r, err := p.Check(context.Background(), later, CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var reused *yanshou.Finding
			for i := range r.Findings {
				if r.Findings[i].Rule == "photos.reused" {
					reused = &r.Findings[i]
				}
			}
			if r.Verdict != yanshou.Veto || reused == nil || len(reused.Evidence) != 1 || !strings.Contains(reused.Evidence[0].Detail, "对齐后") {
				t.Fatalf("verdict %s, reuse finding %+v; findings %+v", r.Verdict, reused, r.Findings)
			}
			t.Logf("%s", reused.Evidence[0].Detail)
			// The pair behind the veto: the other photo with its measure, found
			// in the originals store for the documents, and in verdict.json.
			var pair *yanshou.PhotoPair
			for i := range r.PhotoPairs {
				for j := range r.PhotoPairs[i].Pairs {
					if q := &r.PhotoPairs[i].Pairs[j]; q.Kind == yanshou.PairReused && q.ClassID != "" {
						pair = q
					}
				}
			}
			if pair == nil || pair.Share <= 0 || pair.Label == "" || pair.File == "" {
				t.Fatalf("verdict.json has no reused pair with its measure: %+v", r.PhotoPairs)
			}
			o := p.pairOriginals(&yanshou.Submission{}, r.PhotoPairs)[pair.SHA256]
			if o.Path == "" || !strings.Contains(o.Path, "originals") || o.Taken == nil {
				t.Errorf("other photo %+v not found in the originals store with its time", o)
			}
		})
	}
}

// forgeCopy writes the sample and replaces the first on-site photo of its
// last passing class by edit of the first passing class's first on-site
// photo, re-encoded (quality 75) with the EXIF time and place of the photo it
// replaces. It returns the two classes' folders.
func forgeCopy(t *testing.T, edit func(image.Image) image.Image) (first, later string) {
	t.Helper()
	inbox, cases := writeSample(t)
	var passing []string
	for _, c := range cases {
		if c.Verdict == yanshou.Pass {
			passing = append(passing, filepath.Join(inbox, c.Dir))
		}
	}
	if len(passing) < 2 {
		t.Fatal("the sample needs two passing classes")
	}
	first, later = passing[0], passing[len(passing)-1]
	photos := func(dir string) []string {
		var out []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(p, "现场") && photo.IsPhoto(p) {
				out = append(out, p)
			}
			return nil
		})
		return out
	}
	src, dst := photos(first), photos(later)
	if len(src) == 0 || len(dst) == 0 {
		t.Fatal("no on-site photos in the sample classes")
	}
	f, err := os.Open(src[0])
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	was := photo.Read(dst[0], "x.jpg", nil)
	tags := exifwrite.Tags{Make: "OPPO"}
	if was.Taken != nil {
		tags.DateTimeOriginal = *was.Taken
	}
	if was.Lat != nil {
		tags.GPS = &yanshou.LatLon{Lat: *was.Lat, Lon: *was.Lon}
	}
	data, err := exifwrite.Encode(edit(img), 75, tags)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	return first, later
}

// TestReusedCutBetweenCrops: a copy of an earlier class's photo cut by an
// amount between the standard crops comes further than phash_max_distance
// (8 bits for 12% off one side in TestReuseCorpus's rooms), yet within
// photo_compare_max_distance: it is compared cell by cell and vetoed as the
// same capture. The sample's smooth scenes come nearer (4 bits), so here
// phash_max_distance is lowered below the copy's distance: within the
// compare band it is a veto; without the band (the compare distance lowered
// too) only the similar warning it was before. Judged again, the comparison
// is read from the ledger: nothing is decoded for it.
func TestReusedCutBetweenCrops(t *testing.T) {
	first, later := forgeCopy(t, func(img image.Image) image.Image {
		b := img.Bounds()
		out := image.NewRGBA(image.Rect(0, 0, b.Dx()*88/100, b.Dy())) // 12% off the right
		draw.Draw(out, out.Rect, img, b.Min, draw.Src)
		return out
	})
	for _, c := range []struct {
		name         string
		compare      int
		veto         bool
		wantPairKind string
	}{
		{"within the compare band", 10, true, yanshou.PairReused},
		{"without it", 1, false, yanshou.PairSimilar},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := open(t, t.TempDir())
			th := &p.Config.Thresholds
			th.PhashMaxDistance, th.PhotoCompareMaxDistance = 1, c.compare
			if r, err := p.Check(context.Background(), first, CheckOptions{}); err != nil || r.Verdict != yanshou.Pass {
				t.Fatalf("first class: %v %v", r, err)
			}
			r, err := p.Check(context.Background(), later, CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var pair *yanshou.PhotoPair
			for i := range r.PhotoPairs {
				for j := range r.PhotoPairs[i].Pairs {
					if q := &r.PhotoPairs[i].Pairs[j]; q.ClassID != "" {
						pair = q
					}
				}
			}
			if pair == nil || pair.Distance <= th.PhashMaxDistance || pair.Distance > 10 {
				t.Fatalf("pair %+v: the copy must come between phash_max_distance and 10 bits for this test", pair)
			}
			t.Logf("%s: %d bits, %.0f%% of cells", pair.Kind, pair.Distance, 100*pair.Share)
			if got := r.Verdict == yanshou.Veto; got != c.veto || pair.Kind != c.wantPairKind {
				t.Errorf("verdict %s, pair %+v; want veto %v, pair %s", r.Verdict, pair, c.veto, c.wantPairKind)
			}
			if !c.veto {
				return
			}
			// Judged again (as a batch under changed rules does): the pair's
			// comparison comes from the ledger, no photo is decoded for it.
			var decoded atomic.Int64
			was := loadPicture
			loadPicture = func(path string, maxPixels int64) (*photo.Picture, error) {
				decoded.Add(1)
				return was(path, maxPixels)
			}
			defer func() { loadPicture = was }()
			again, err := p.Check(context.Background(), later, CheckOptions{Recheck: true})
			if err != nil || again.Verdict != yanshou.Veto {
				t.Fatalf("judged again: %v %v", again.Verdict, err)
			}
			if n := decoded.Load(); n != 0 {
				t.Errorf("judged again, %d pictures decoded for the comparison; want none (cached)", n)
			}
		})
	}
}

// TestVideoOnSite: a video recorded at the class (MP4 with its creation time
// and ©xyz position) among the on-site photos is judged like a photo — in the
// dates, at the venue — and the class still passes.
func TestVideoOnSite(t *testing.T) {
	inbox, cases := writeSample(t)
	var dir string
	for _, c := range cases {
		if c.Verdict == yanshou.Pass {
			dir = filepath.Join(inbox, c.Dir)
			break
		}
	}
	var sitePhoto string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(p, "现场") && photo.IsPhoto(p) && sitePhoto == "" {
			sitePhoto = p
		}
		return nil
	})
	was := photo.Read(sitePhoto, "x.jpg", nil)
	if was.Taken == nil || was.Lat == nil {
		t.Fatalf("sample photo without time or place: %+v", was)
	}
	before, err := open(t, t.TempDir()).Check(context.Background(), dir, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	video := filepath.Join(filepath.Dir(sitePhoto), "VID_0001.mp4")
	if err := os.WriteFile(video, mp4(*was.Taken, *was.Lat, *was.Lon), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := open(t, t.TempDir()).Check(context.Background(), dir, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Photos.Total != before.Photos.Total+1 || r.Photos.Verified != before.Photos.Verified+1 || r.Photos.OutsideVenue != 0 {
		t.Errorf("photos before %+v, with the video %+v: the video is not a verified on-site record", before.Photos, r.Photos)
	}
	if r.Verdict != yanshou.Pass {
		t.Errorf("verdict %s with the video: %+v", r.Verdict, r.Findings)
	}
}

// mp4 is a minimal MP4: ftyp, mdat, and a moov with mvhd (creation time) and
// udta/©xyz (position).
func mp4(at time.Time, lat, lon float64) []byte {
	box := func(typ string, body ...[]byte) []byte {
		n := 8
		for _, b := range body {
			n += len(b)
		}
		out := binary.BigEndian.AppendUint32(nil, uint32(n))
		out = append(out, typ...)
		for _, b := range body {
			out = append(out, b...)
		}
		return out
	}
	mv := make([]byte, 100)
	binary.BigEndian.PutUint32(mv[4:], uint32(at.Sub(time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC))/time.Second))
	pos := fmt.Sprintf("%+08.4f%+09.4f/", lat, lon)
	xyz := append([]byte{0, byte(len(pos)), 0x15, 0xc7}, pos...)
	var out []byte
	out = append(out, box("ftyp", []byte("isom\x00\x00\x00\x00isommp41"))...)
	out = append(out, box("mdat", make([]byte, 2048))...)
	out = append(out, box("moov", box("mvhd", mv), box("udta", box("\xa9xyz", xyz)))...)
	return out
}

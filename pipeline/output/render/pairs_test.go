package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// withPair gives photo 0 of r a readable file and a pair with another class's
// photo at other ("" : its original is not kept).
func withPair(t *testing.T, r *yanshou.Result, q yanshou.PhotoPair, other string) {
	t.Helper()
	mine := filepath.Join(t.TempDir(), "mine.jpg")
	os.WriteFile(mine, mustMarked(t, 1200, 900, exifwrite.Tags{}), 0o644)
	for j := range r.Submission.Files {
		if r.Submission.Files[j].Rel == r.Photos[0].File {
			r.Submission.Files[j].Abs = mine
		}
	}
	r.Photos[0].Pairs = append(r.Photos[0].Pairs, q)
	at := time.Date(2025, 11, 3, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	r.PairOriginals = map[string]yanshou.PairOriginal{q.SHA256: {Path: other, Taken: &at}}
	if other == "" {
		r.PairOriginals[q.SHA256] = yanshou.PairOriginal{}
	}
}

// pairImageSizes are the sizes of the pictures of pairs in the PDF at path (a
// long side of pairSide), leaving out thumbnails and figures.
func pairImageSizes(t *testing.T, path string) []string {
	var out []string
	for _, im := range images(t, path) {
		if strings.HasPrefix(im, "480x") || strings.HasSuffix(im, "x480") {
			out = append(out, im)
		}
	}
	return out
}

// TestReportPairs: the report shows each pair side by side with the other
// class named and the measure in Chinese; an original not kept is said in its
// place (the report is still written); a HEIC other photo is decoded.
func TestReportPairs(t *testing.T) {
	jpeg := filepath.Join(t.TempDir(), "other.jpg")
	os.WriteFile(jpeg, mustMarked(t, 1200, 900, exifwrite.Tags{}), 0o644)
	heic := "../../../../shared/realworld/photos/metadata-extractor-images/heic/cheers_1440x960.heic"
	reused := yanshou.PhotoPair{Kind: "reused", Label: "别的机构 第1期", ClassID: "S1", Version: 2, File: "05现场照片/旧.jpg",
		SHA256: strings.Repeat("ab", 32), Distance: 3, Share: 0.96}
	similar := reused
	similar.Kind, similar.Share, similar.Distance = "similar", 0, 9
	tests := []struct {
		name   string
		pair   yanshou.PhotoPair
		other  string
		want   []string
		images []string
	}{
		{"reused, aligned", reused, jpeg, []string{"重复使用（同一张照片）", "本班照片：05现场照片/IMG_0001.jpg",
			"别的机构 第1期 第2版：05现场照片/旧.jpg", "拍摄时间：2025-11-03 09:30", "图像指纹汉明距离 3 位，对齐后相同区块 96%"},
			[]string{"480x360", "480x360"}},
		{"similar, not aligned", similar, jpeg, []string{"画面相似（同一场地，请人工比对）", "汉明距离 9 位（未做逐区块对齐比对）"},
			[]string{"480x360", "480x360"}},
		{"original not kept", reused, "", []string{"该照片原件未存档，无法显示", "拍摄时间：不详"}, []string{"480x360"}},
		{"HEIC other photo", reused, heic, []string{"别的机构 第1期"}, []string{"480x360", "480x320"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.HasSuffix(tt.other, ".heic") {
				if _, err := os.Stat(tt.other); err != nil {
					t.Skip("shared/realworld is absent: no HEIC to show")
				}
			}
			r := sampleResult(yanshou.Fail)
			withPair(t, r, tt.pair, tt.other)
			if tt.other == "" {
				tt.want = append(tt.want[:1:1], "拍摄时间：不详")
				r.PairOriginals = map[string]yanshou.PairOriginal{}
			}
			path := filepath.Join(t.TempDir(), ReportName)
			if err := Report(path, r, testConfig(t)); err != nil {
				t.Fatal(err)
			}
			text := squeeze(pdfText(t, path))
			for _, w := range append([]string{"重复与相似照片对照"}, tt.want...) {
				if !strings.Contains(text, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			if got := pairImageSizes(t, path); strings.Join(got, " ") != strings.Join(tt.images, " ") {
				t.Errorf("pair images %v, want %v", got, tt.images)
			}
		})
	}
}

// TestReportNoPairs: without pairs the report has no pair section.
func TestReportNoPairs(t *testing.T) {
	path := filepath.Join(t.TempDir(), ReportName)
	if err := Report(path, sampleResult(yanshou.Fail), testConfig(t)); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, path); strings.Contains(text, "照片对照") {
		t.Error("a report without pairs has a pair section")
	}
}

// TestVetoNoticePairs: the veto notice for photos.reused shows the earlier
// photo beside the class's with the measure; another institution's class is
// not named to this one (其他培训班), the institution's own earlier class is;
// similar pairs and a veto for another reason show none.
func TestVetoNoticePairs(t *testing.T) {
	other := filepath.Join(t.TempDir(), "other.jpg")
	os.WriteFile(other, mustMarked(t, 1200, 900, exifwrite.Tags{}), 0o644)
	foreign := yanshou.PhotoPair{Kind: "reused", Label: "别的机构 第1期", ClassID: "S1", Version: 1, File: "05现场照片/旧.jpg",
		SHA256: strings.Repeat("cd", 32), Distance: 2, Share: 0.97}
	own := foreign
	own.Label = "商水县某某职业培训学校 第1期"
	similar := foreign
	similar.Kind = "similar"
	tests := []struct {
		name           string
		pair           yanshou.PhotoPair
		rule           string
		want, unwanted []string
		images         int
	}{
		{"another institution's class", foreign, yanshou.EvPhotosReused,
			[]string{"附：重复使用的照片对照", "其他培训班的照片", "拍摄时间：2025-11-03 09:30", "汉明距离 2 位，对齐后相同区块 97%"}, []string{"别的机构"}, 2},
		{"its own earlier class", own, yanshou.EvPhotosReused, []string{"本机构第1期照片：05现场照片/旧.jpg"}, nil, 2},
		{"similar only", similar, yanshou.EvPhotosReused, nil, []string{"照片对照"}, 0},
		{"vetoed for another reason", foreign, "attendance.rate", nil, []string{"照片对照"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleResult(yanshou.Veto)
			var kept []yanshou.Finding // the sample's own photos.reused veto out: this case's reason in
			for _, fd := range r.Findings {
				if fd.Rule != yanshou.EvPhotosReused {
					kept = append(kept, fd)
				}
			}
			r.Findings = append(kept, yanshou.Finding{Rule: tt.rule, Severity: yanshou.SevVeto, Article: "第十二条", Message: "照片重复使用"})
			withPair(t, r, tt.pair, other)
			dir := t.TempDir()
			name, err := Notice(dir, r, testConfig(t))
			if err != nil || name != VetoNoticeName {
				t.Fatal(name, err)
			}
			path := filepath.Join(dir, name)
			text := squeeze(pdfText(t, path))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("notice lacks %q", w)
				}
			}
			for _, w := range tt.unwanted {
				if strings.Contains(text, w) {
					t.Errorf("notice says %q", w)
				}
			}
			if got := pairImageSizes(t, path); len(got) != tt.images {
				t.Errorf("pair images %v, want %d", got, tt.images)
			}
		})
	}
}

package archive

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/signintech/gopdf"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/format/fonts"
	"yanshou/pipeline/platform/config"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

func ptr[T any](v T) *T { return &v }

// needTools skips the test when a command-line tool it checks with is missing.
func needTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (apt-get install poppler-utils qpdf)", tool)
		}
	}
}

// run runs a tool and returns its combined output, failing the test on error.
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// makePDF writes a PDF of the given pages of Chinese text with gopdf.
func makePDF(t testing.TB, path string, pages ...string) {
	t.Helper()
	font, err := fonts.Find(nil)
	if err != nil {
		t.Skip(err)
	}
	data, err := fonts.Load(font)
	if err != nil {
		t.Fatal(err)
	}
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	if err := gp.AddTTFFontData("f", data); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		gp.AddPage()
		if err := gp.SetFont("f", "", 16); err != nil {
			t.Fatal(err)
		}
		gp.SetXY(72, 100)
		if err := gp.Cell(nil, p); err != nil {
			t.Fatal(err)
		}
		gp.SetLineWidth(2)
		gp.Line(72, 140, 520, 140)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := gp.WritePdf(path); err != nil {
		t.Fatal(err)
	}
}

// photoJPEG encodes a w×h picture with a red block at its stored top-left corner
// and the given EXIF tags.
func photoJPEG(t testing.TB, w, h int, tags exifwrite.Tags) []byte {
	t.Helper()
	b, err := exifwrite.Marked(w, h, tags)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// minimalDOCX is a Word document with one paragraph, as small as Word accepts.
func minimalDOCX(t testing.TB, text string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`,
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := z.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rosterXLSX writes a roster with a merged title row, a header and n trainees.
func rosterXLSX(t testing.TB, path string, n int) {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	s := "Sheet1"
	x.SetCellValue(s, "A1", "商水县某某职业培训学校 第3期 培训学员名单")
	x.MergeCell(s, "A1", "E1")
	for i, h := range []string{"序号", "姓名", "身份证号", "联系电话", "乡镇"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		x.SetCellValue(s, cell, h)
	}
	for i := 0; i < n; i++ {
		r := i + 3
		x.SetCellValue(s, fmt.Sprintf("A%d", r), i+1)
		x.SetCellValue(s, fmt.Sprintf("B%d", r), fmt.Sprintf("学员%03d", i+1))
		x.SetCellStr(s, fmt.Sprintf("C%d", r), fmt.Sprintf("4116231990%08d", i))
		x.SetCellStr(s, fmt.Sprintf("D%d", r), fmt.Sprintf("138%08d", i))
		x.SetCellValue(s, fmt.Sprintf("E%d", r), "城关乡")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// fixture is a submission on disk with every kind of file the archive meets.
type fixture struct {
	root string
	r    *yanshou.Result
	cfg  *yanshou.Config
}

// newFixture writes the submission's files and builds the result by hand.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	root := t.TempDir()
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }

	makePDF(t, p("01申请报告/申请报告.pdf"), "关于举办农村电商培训班的申请报告", "申请报告第二页：培训计划")
	// A page turned with /Rotate 90 (a landscape scan).
	makePDF(t, p("tmp/land.pdf"), "附件：培训场地租赁协议（横向扫描）")
	if err := api.RotateFile(p("tmp/land.pdf"), p("01申请报告/附件-横向.pdf"), 90, nil, normalConfig()); err != nil {
		t.Fatal(err)
	}
	// Object and cross-reference streams (what qpdf and many writers produce).
	makePDF(t, p("tmp/plain.pdf"), "商电商办〔2026〕12号 关于同意举办培训的批复")
	for _, d := range []string{"02批复", "03培训通知"} {
		os.MkdirAll(p(d), 0o755)
	}
	conf := normalConfig()
	conf.WriteObjectStream, conf.WriteXRefStream = true, true
	if err := api.OptimizeFile(p("tmp/plain.pdf"), p("02批复/批复.pdf"), conf); err != nil {
		t.Fatal(err)
	}
	// Encrypted with an empty user password: opens without one, so it is bound.
	makePDF(t, p("tmp/notice.pdf"), "培训通知：请各学员按时参加")
	enc := normalConfig()
	enc.OwnerPW, enc.UserPW = "owner-secret", ""
	if err := api.EncryptFile(p("tmp/notice.pdf"), p("03培训通知/培训通知.pdf"), enc); err != nil {
		t.Fatal(err)
	}
	// Encrypted with a user password: cannot be opened, so it is not bound.
	enc2 := normalConfig()
	enc2.OwnerPW, enc2.UserPW = "owner-secret", "user-secret"
	if err := api.EncryptFile(p("tmp/notice.pdf"), p("03培训通知/加密通知.pdf"), enc2); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(p("tmp"))
	write(t, p("04培训课件/第一讲 网店运营.docx"), minimalDOCX(t, "第一讲 网店运营课件正文"))

	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 15, 0, 0, shanghai) }
	gps := &yanshou.LatLon{Lat: 33.5440, Lon: 114.6100}
	write(t, p("05现场照片/IMG_0001.jpg"), photoJPEG(t, 2000, 1500, exifwrite.Tags{Make: "HUAWEI", DateTimeOriginal: day(10, 9), GPS: gps}))
	write(t, p("05现场照片/IMG_0002.jpg"), photoJPEG(t, 2000, 1500, exifwrite.Tags{Make: "HUAWEI", DateTimeOriginal: day(11, 9), GPS: gps, Orientation: 6}))
	write(t, p("05现场照片/IMG_0003.jpg"), photoJPEG(t, 800, 600, exifwrite.Tags{}))
	write(t, p("05现场照片/IMG_0004.jpg"), []byte("\xFF\xD8\xFF\xE0 not really a JPEG"))
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewRGBA(image.Rect(0, 0, 300, 200)))
	write(t, p("06合影照片/合影.png"), pngBuf.Bytes())
	rosterXLSX(t, p("07学员名单/培训学员名单.xlsx"), 90)
	csvText := "场次,姓名,身份证号,签到时间\n3月10日上午,学员001,411623199000000000,08:55\n3月10日上午,学员002,411623199000000001,08:58\n"
	gbk, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(csvText))
	write(t, p("08签到表/签到表.csv"), gbk)
	good, _ := os.ReadFile(p("01申请报告/申请报告.pdf"))
	write(t, p("09培训内容/课程安排.pdf"), good[:len(good)/3]) // truncated: broken
	rosterXLSX(t, p("10电话回访/回访记录.xlsx"), 5)
	write(t, p("11情况总结/总结.docx"), minimalDOCX(t, "培训情况总结正文"))
	write(t, p("培训信息表.xlsx"), []byte("manifest placeholder"))
	write(t, p("说明.txt"), []byte("其他说明"))

	kinds := map[string]yanshou.MaterialKind{"01": yanshou.Application, "02": yanshou.Approval, "03": yanshou.Notice,
		"04": yanshou.Courseware, "05": yanshou.SitePhotos, "06": yanshou.GroupPhoto, "07": yanshou.Roster,
		"08": yanshou.SignInSheets, "09": yanshou.Content, "10": yanshou.FollowUp, "11": yanshou.Summary}
	var files []yanshou.File
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		data, _ := os.ReadFile(path)
		sum := sha256.Sum256(data)
		k := yanshou.Other
		if kk, ok := kinds[rel[:2]]; ok {
			k = kk
		} else if rel == "培训信息表.xlsx" {
			k = yanshou.Manifest
		}
		files = append(files, yanshou.File{Rel: rel, Abs: path, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Kind: k})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%s\n", f.Rel, f.SHA256)
	}
	taken1, taken2 := day(10, 9), day(11, 9)
	r := &yanshou.Result{
		Submission: &yanshou.Submission{Origin: root, Root: root, Files: files, ContentHash: hex.EncodeToString(h.Sum(nil)),
			Class: &yanshou.ClassInfo{Institution: "商水县某某职业培训学校", Title: "农村电商实用技能培训班", Class: "第3期",
				Start: yanshou.Date{Time: time.Date(2026, 3, 10, 0, 0, 0, 0, shanghai)},
				End:   yanshou.Date{Time: time.Date(2026, 3, 12, 0, 0, 0, 0, shanghai)},
				Venue: "商水县电子商务公共服务中心", ApprovalNo: "商电商办〔2026〕12号"}},
		ID: "S0TESTARCHIVE1", Version: 1, CheckedAt: time.Date(2026, 3, 20, 10, 30, 0, 0, shanghai), Verdict: yanshou.Pass,
		Photos: []yanshou.Photo{
			{File: "05现场照片/IMG_0001.jpg", Taken: &taken1, InWindow: ptr(true), DistanceM: ptr(35.0), InVenue: ptr(true), InCounty: ptr(true)},
			{File: "05现场照片/IMG_0002.jpg", Taken: &taken2, InWindow: ptr(true), DistanceM: ptr(1240.0), InVenue: ptr(false), InCounty: ptr(true)},
			{File: "05现场照片/IMG_0003.jpg"},
		},
	}
	return &fixture{root: root, r: r, cfg: config.Default()}
}

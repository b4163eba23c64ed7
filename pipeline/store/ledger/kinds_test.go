package ledger

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/hanzi"
)

// fixtureKinds is what testdata/mkfixture gave each file of the fixture ledger.
var fixtureKinds = map[string]yanshou.MaterialKind{
	"00培训信息表.xlsx": yanshou.Manifest, "01申请报告.pdf": yanshou.Application, "02批复.pdf": yanshou.Approval,
	"03培训通知.pdf": yanshou.Notice, "04培训课件/第1讲.pptx": yanshou.Courseware, "05现场照片/IMG_0001.jpg": yanshou.SitePhotos,
	"06合影照片/合影.jpg": yanshou.GroupPhoto, "07培训学员名单.xlsx": yanshou.Roster, "08签到表.xlsx": yanshou.SignInSheets,
	"09培训内容.pdf": yanshou.Content, "10电话回访记录.xlsx": yanshou.FollowUp, "11情况总结.pdf": yanshou.Summary,
	"说明.txt": yanshou.Other,
}

// fixtureCopy copies the ordinal ledger written by commit 42ac429 into a new
// state folder, optionally changing it with SQL first.
func fixtureCopy(t *testing.T, tamper string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ordinals-v3", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ledger.db"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if tamper != "" {
		db := rawDB(t, dir)
		if _, err := db.Exec(tamper); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	return dir
}

func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// dump is every row of the tables a migration must not change, and the files
// table without its kind column, as text.
func dump(t *testing.T, dir string) (rows string, userVersion int) {
	t.Helper()
	db := rawDB(t, dir)
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		`SELECT * FROM submissions ORDER BY id`,
		`SELECT * FROM versions ORDER BY content_hash`,
		`SELECT content_hash, file, sha256, phash FROM photos ORDER BY content_hash, file`,                                    // the columns of version 3
		`SELECT content_hash, id_number, name, trained, poor, category, local FROM trainees ORDER BY content_hash, id_number`, // the columns of version 3
		`SELECT content_hash, rel, sha256, size FROM files ORDER BY content_hash, rel`,
		`SELECT sha256, content_hash, holder, copy_n, copies, path, size, created_at FROM archives ORDER BY sha256`,
	} {
		rs, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%v\n", vals)
		}
		rs.Close()
	}
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&userVersion); err != nil {
		t.Fatal(err)
	}
	return b.String(), userVersion
}

func TestMigrateKindCodes(t *testing.T) {
	dir := fixtureCopy(t, "")
	before, v := dump(t, dir)
	if v != 3 {
		t.Fatalf("fixture at schema version %d, want 3", v)
	}
	for pass := 1; pass <= 2; pass++ { // opening twice is harmless
		l, err := Open(dir)
		if err != nil {
			t.Fatalf("open %d: %v", pass, err)
		}
		after, v := dump(t, dir)
		if v != len(migrations)+1 {
			t.Errorf("open %d: schema version %d, want %d", pass, v, len(migrations)+1)
		}
		if after != before {
			t.Errorf("open %d: rows changed beyond the kinds:\nbefore:\n%s\nafter:\n%s", pass, before, after)
		}
		checkMigrated(t, l, dir)
		checkTraineeKeys(t, dir)
		checkSerials(t, l, dir)
		l.Close()
	}
}

// checkTraineeKeys: the trainees a version-3 ledger holds get their name key
// (and an empty phone), so that they are found by name in later classes.
func checkTraineeKeys(t *testing.T, dir string) {
	t.Helper()
	db := rawDB(t, dir)
	defer db.Close()
	rows, err := db.Query(`SELECT name, name_key, phone FROM trainees`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, key, phone string
		if err := rows.Scan(&name, &key, &phone); err != nil {
			t.Fatal(err)
		}
		n++
		if key != hanzi.Simplified(name) || key == "" || phone != "" {
			t.Errorf("trainee %q: name_key %q phone %q", name, key, phone)
		}
	}
	if n == 0 {
		t.Error("the fixture has no trainees")
	}
}

// checkSerials: the photos a version-3 ledger holds get an empty camera serial
// (their cameras unknown), and the migrated ledger records and finds serials.
func checkSerials(t *testing.T, l *Ledger, dir string) {
	t.Helper()
	db := rawDB(t, dir)
	var n, blank int
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(CASE WHEN serial = '' THEN 1 END) FROM photos`).Scan(&n, &blank); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if n == 0 || blank != n {
		t.Errorf("photos: %d, with an empty serial %d", n, blank)
	}
	if got, err := l.PhotosBySerial("nobody", "", []string{""}); err != nil || len(got) != 0 {
		t.Errorf("PhotosBySerial of an empty serial = %+v, %v", got, err)
	}
}

func checkMigrated(t *testing.T, l *Ledger, dir string) {
	t.Helper()
	db := rawDB(t, dir)
	defer db.Close()
	var notText int
	if err := db.QueryRow(`SELECT COUNT(*) FROM files WHERE typeof(kind) != 'text'`).Scan(&notText); err != nil || notText != 0 {
		t.Errorf("files.kind not all text: %d, %v", notText, err)
	}
	var js string
	if err := db.QueryRow(`SELECT group_concat(files_json) FROM archives`).Scan(&js); err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`"kind":\d`).MatchString(js) || !strings.Contains(js, `"kind":"group_photo"`) {
		t.Errorf("archives.files_json not converted: %.300s", js)
	}

	versions, err := l.Versions()
	if err != nil {
		t.Fatal(err)
	}
	var verdicts []string
	seen := map[yanshou.MaterialKind]bool{}
	for _, v := range versions {
		verdicts = append(verdicts, string(v.Verdict))
		files, err := l.Files(v.ContentHash)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) < 10 {
			t.Errorf("version %s v%d: %d files", v.SubmissionID, v.Version, len(files))
		}
		for _, f := range files {
			if want, ok := fixtureKinds[f.Rel]; !ok || f.Kind != want {
				t.Errorf("%s: kind %q, want %q", f.Rel, f.Kind, want)
			}
			seen[f.Kind] = true
		}
		archives, err := l.ArchivesOf(v.ContentHash)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range archives {
			if len(a.Files) != len(fixtureKinds) {
				t.Errorf("archive %s: %d files", a.Holder, len(a.Files))
			}
			for _, f := range a.Files {
				if f.Kind != fixtureKinds[f.Rel] {
					t.Errorf("archive %s, %s: kind %q, want %q", a.Holder, f.Rel, f.Kind, fixtureKinds[f.Rel])
				}
			}
		}
	}
	if len(seen) != len(yanshou.MaterialTable) {
		t.Errorf("kinds read back: %d, want all %d", len(seen), len(yanshou.MaterialTable))
	}
	if got := strings.Join(verdicts, ","); got != "pass,fail,pass,veto" {
		t.Errorf("verdicts %s", got)
	}
	classes, err := l.Classes(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.UTC, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range classes {
		last := c.Latest()
		got = append(got, fmt.Sprintf("%s %s v%d %s %s facts=%v", c.Institution, c.Class, last.Version, last.Verdict,
			last.Report.VerdictZh, last.Facts != nil && last.Facts.Attendance.Trained == 2))
	}
	want := []string{
		"周口市农商电子商务培训中心 第3期 v1 veto 一票否决 facts=true",
		"商水县宏达职业培训学校 第1期 v1 pass 合格 facts=true",
		"商水县巾帼电商创业服务站 第1期 v2 pass 合格 facts=true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("classes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMigrateRefusesUnknownOrdinals(t *testing.T) {
	tests := []struct {
		name, tamper, want string
	}{
		{"files", `UPDATE files SET kind = 13 WHERE rel = '02批复.pdf'`, "无法识别的材料序号 13"},
		{"negative", `UPDATE files SET kind = -1 WHERE rel = '说明.txt'`, "无法识别的材料序号 -1"},
		{"text", `UPDATE files SET kind = 'photo' WHERE rel = '说明.txt'`, `无法识别的材料代码 "photo"`},
		{"archive", `UPDATE archives SET files_json = replace(files_json, '"kind":6', '"kind":42')`, "无法识别的材料序号 42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fixtureCopy(t, tt.tamper)
			before, _ := dump(t, dir)
			l, err := Open(dir)
			if err == nil {
				l.Close()
				t.Fatal("opened a ledger with an unknown kind")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "无法升级") {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			after, v := dump(t, dir)
			if v != 3 || after != before {
				t.Errorf("a refused migration changed the ledger (schema version %d)", v)
			}
		})
	}
}

func TestStoredKind(t *testing.T) {
	tests := []struct {
		in   any
		want yanshou.MaterialKind
		ok   bool
	}{
		{"group_photo", yanshou.GroupPhoto, true},
		{[]byte("signin"), yanshou.SignInSheets, true},
		{int64(6), yanshou.GroupPhoto, true}, // written by an older yanshou into a newer ledger
		{int64(0), yanshou.Other, true},
		{int64(12), yanshou.Manifest, true},
		{"8", yanshou.SignInSheets, true},
		{int64(13), "", false},
		{"合影照片", "", false},
		{nil, "", false},
	}
	for _, tt := range tests {
		got, err := storedKind(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("storedKind(%v) = %q, %v", tt.in, got, err)
		}
	}
}

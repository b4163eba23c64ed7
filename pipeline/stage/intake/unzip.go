// Package intake takes submissions from where institutions put them: it finds
// submission folders and zips under the inbox and unpacks zips safely into the
// state folder (never into the inbox), refusing entries that escape, links, and
// archives past the configured limits.
package intake

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/templates"
)

// completeMark is written last into an unpacked folder; a folder without it is
// a leftover of an interrupted unpack and is redone.
const completeMark = ".yanshou-unpacked"

// Unzip extracts the zip at zipPath into dest (a folder in the state folder that
// is created, replaced if incomplete, reused if complete). Entries are checked
// before anything is written: more entries, more total bytes or a higher
// compression ratio than the limits refuse the whole archive with an error.
// A single entry that escapes its folder, is a link, or is itself damaged is
// skipped and reported. rel is the zip's name shown in problems.
func Unzip(zipPath, rel, dest string, lim yanshou.Intake) ([]yanshou.Evidence, error) {
	if _, err := os.Stat(filepath.Join(dest, completeMark)); err == nil {
		return nil, nil
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, errors.New(templates.Say("intake.zip_unopenable", rel, err))
	}
	defer zr.Close()
	st, err := os.Stat(zipPath)
	if err != nil {
		return nil, err
	}
	if lim.MaxZipEntries > 0 && len(zr.File) > lim.MaxZipEntries {
		return nil, errors.New(templates.Say("intake.zip_entries", rel, len(zr.File), lim.MaxZipEntries))
	}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
	}
	if lim.MaxZipBytes > 0 && declared > uint64(lim.MaxZipBytes) {
		return nil, errors.New(templates.Say("intake.zip_bytes", rel, declared, lim.MaxZipBytes))
	}
	if lim.MaxZipRatio > 0 && st.Size() > 0 && float64(declared)/float64(st.Size()) > lim.MaxZipRatio {
		return nil, errors.New(templates.Say("intake.zip_ratio", rel, float64(declared)/float64(st.Size()), lim.MaxZipRatio))
	}

	tmp := dest + ".partial"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, err
	}
	var problems []yanshou.Evidence
	budget := int64(declared)
	if lim.MaxZipBytes > 0 {
		budget = lim.MaxZipBytes
	}
	seen := map[string]bool{}
	for _, f := range zr.File {
		name := EntryName(f)
		where := rel + "/" + name
		clean, why := safeEntryPath(name)
		switch {
		case why != "":
			problems = append(problems, yanshou.Evidence{File: where, Detail: templates.Say("intake.entry_refused", why)})
			continue
		case f.Mode()&os.ModeSymlink != 0:
			problems = append(problems, yanshou.Evidence{File: where, Detail: templates.Say("intake.entry_symlink")})
			continue
		case f.FileInfo().IsDir():
			continue
		case !f.Mode().IsRegular() && f.Mode().Type() != 0:
			problems = append(problems, yanshou.Evidence{File: where, Detail: templates.Say("intake.entry_not_regular")})
			continue
		case f.Flags&0x1 != 0:
			problems = append(problems, yanshou.Evidence{File: where, Detail: templates.Say("intake.entry_password")})
			continue
		case seen[strings.ToLower(clean)]:
			problems = append(problems, yanshou.Evidence{File: where, Detail: templates.Say("intake.entry_duplicate")})
			continue
		}
		seen[strings.ToLower(clean)] = true
		n, err := extract(f, filepath.Join(tmp, filepath.FromSlash(clean)), budget)
		budget -= n
		if errors.Is(err, errBudget) {
			os.RemoveAll(tmp)
			return nil, errors.New(templates.Say("intake.zip_lied", rel, lim.MaxZipBytes))
		}
		if err != nil {
			problems = append(problems, yanshou.Evidence{File: where, Detail: templates.Say("intake.entry_failed", err.Error())})
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, completeMark), nil, 0o644); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(dest); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return nil, err
	}
	return problems, nil
}

var errBudget = errors.New("over the size budget")

func extract(f *zip.File, target string, budget int64) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return 0, err
	}
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, budget+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if n > budget {
		return n, errBudget
	}
	if err != nil {
		os.Remove(target)
		return n, err
	}
	os.Chtimes(target, f.Modified, f.Modified)
	return n, nil
}

// EntryName decodes a zip entry's name: UTF-8 when flagged or valid (macOS,
// Linux and 7-Zip write UTF-8 without the flag), else GB18030 (what Windows zip
// tools in China write without the flag).
func EntryName(f *zip.File) string {
	name := f.Name
	if !utf8.ValidString(name) {
		if dec, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil && utf8.ValidString(dec) {
			name = dec
		}
	}
	return strings.ReplaceAll(name, `\`, "/")
}

// safeEntryPath cleans a zip entry name, or says why it cannot be written.
func safeEntryPath(name string) (string, string) {
	if !utf8.ValidString(name) {
		return "", templates.Say("intake.name_encoding")
	}
	if strings.HasPrefix(name, "/") || (len(name) >= 2 && name[1] == ':') {
		return "", templates.Say("intake.name_absolute")
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", templates.Say("intake.name_escapes")
		}
	}
	clean := path.Clean(name)
	if clean == "." || clean == "" {
		return "", templates.Say("intake.name_empty")
	}
	for _, r := range clean {
		if r < 0x20 {
			return "", templates.Say("intake.name_control")
		}
	}
	return clean, ""
}

// SubmissionRoot returns the folder of an unpacked zip that holds the submission:
// the folder itself, or the single folder it wraps (zips made by right-clicking a
// folder hold one top-level folder).
func SubmissionRoot(dir string) string {
	for i := 0; i < MaxDepth; i++ {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return dir
		}
		var dirs []string
		files := 0
		for _, e := range entries {
			switch {
			case e.Name() == completeMark || e.Name() == "__MACOSX":
			case e.IsDir():
				dirs = append(dirs, e.Name())
			default:
				files++
			}
		}
		if files > 0 || len(dirs) != 1 {
			return dir
		}
		dir = filepath.Join(dir, dirs[0])
	}
	return dir
}

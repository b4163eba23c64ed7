// Package inventory lists the files of a submission folder, recognises the
// materials of 第十一条 by folder or file-name keyword, hashes every file and
// computes the submission's content hash. It never follows a symbolic link and
// never modifies what it reads.
package inventory

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/pipeline/platform/digest"
	"yanshou/pipeline/platform/oserr"
	"yanshou/templates"
)

// Ignored reports whether a base name is an editor lock file, partial download or
// system file that is never part of a submission.
func Ignored(base string) bool {
	vocab := current.Load()
	for _, p := range vocab.Ignore.Prefixes {
		if strings.HasPrefix(base, p) {
			return true
		}
	}
	lower := strings.ToLower(base)
	for _, s := range vocab.Ignore.Suffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	for _, n := range vocab.Ignore.Names {
		if strings.EqualFold(base, n) {
			return true
		}
	}
	return false
}

// IgnoredDir reports whether a folder is skipped entirely (e.g. __MACOSX).
func IgnoredDir(base string) bool {
	vocab := current.Load()
	for _, d := range vocab.Ignore.Dirs {
		if strings.EqualFold(base, d) {
			return true
		}
	}
	return false
}

// Scan lists, classifies and hashes every regular file under root. Symbolic links
// and other non-regular files are not followed; each becomes a problem naming it.
// The submission's Origin is set to root; the caller may change it.
func Scan(root string) (*yanshou.Submission, []yanshou.Evidence, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, nil, fmt.Errorf("无法读取提交目录 %s: %w", root, err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s 不是目录", root)
	}
	sub := &yanshou.Submission{Origin: root, Root: root}
	var problems []yanshou.Evidence
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel, bad := ReadableName(filepath.ToSlash(rel))
		if bad && (d == nil || !d.IsDir()) {
			problems = append(problems, yanshou.Evidence{File: rel, Detail: templates.Say("inventory.name_encoding")})
		}
		if err != nil {
			problems = append(problems, yanshou.Evidence{File: rel, Detail: templates.Say("inventory.unreadable", oserr.Reason(err))})
			if d != nil && d.IsDir() && p != root {
				return fs.SkipDir
			}
			return nil
		}
		if p == root {
			return nil
		}
		if d.IsDir() {
			if IgnoredDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if Ignored(d.Name()) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			problems = append(problems, yanshou.Evidence{File: rel, Detail: templates.Say("inventory.symlink")})
			return nil
		}
		if !d.Type().IsRegular() {
			problems = append(problems, yanshou.Evidence{File: rel, Detail: templates.Say("inventory.not_regular")})
			return nil
		}
		sum, size, err := digest.File(p)
		if err != nil {
			problems = append(problems, yanshou.Evidence{File: rel, Detail: templates.Say("inventory.unreadable", oserr.Reason(err))})
			return nil
		}
		r := Recognise(rel)
		sub.Files = append(sub.Files, yanshou.File{Rel: rel, Abs: p, Size: size, SHA256: sum, Kind: r.Kind, Also: r.Also})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Slice(sub.Files, func(i, j int) bool { return sub.Files[i].Rel < sub.Files[j].Rel })
	sub.ContentHash = ContentHash(sub.Files)
	return sub, problems, nil
}

// ContentHash is the SHA-256 over the sorted (path, file hash) pairs: two folders
// with the same files under the same names have the same content hash.
func ContentHash(files []yanshou.File) string {
	pairs := make([]string, len(files))
	for i, f := range files {
		pairs[i] = f.Rel + "\x00" + f.SHA256
	}
	sort.Strings(pairs)
	h := sha256.New()
	for _, p := range pairs {
		io.WriteString(h, p)
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Missing returns the required materials with no file, in the order of 第十一条.
func Missing(s *yanshou.Submission) []yanshou.MaterialKind {
	have := map[yanshou.MaterialKind]bool{}
	for _, f := range s.Files {
		have[f.Kind] = true
	}
	var out []yanshou.MaterialKind
	for _, k := range yanshou.Materials {
		if k.Required() && !have[k] {
			out = append(out, k)
		}
	}
	return out
}

// ReadableName returns a slash-separated path as it should be shown and
// classified: valid UTF-8 as it is; a part in GBK/GB18030 (names written by old
// Windows zip tools) decoded; any other byte that is not UTF-8 written as \xNN,
// with bad set, so that two such names stay different.
func ReadableName(rel string) (name string, bad bool) {
	if utf8.ValidString(rel) {
		return rel, false
	}
	parts := strings.Split(rel, "/")
	for i, part := range parts {
		if utf8.ValidString(part) {
			continue
		}
		if s, err := simplifiedchinese.GB18030.NewDecoder().String(part); err == nil && utf8.ValidString(s) && !strings.ContainsRune(s, utf8.RuneError) {
			parts[i] = s
			continue
		}
		var b strings.Builder
		for len(part) > 0 {
			r, size := utf8.DecodeRuneInString(part)
			if r == utf8.RuneError && size <= 1 {
				fmt.Fprintf(&b, "\\x%02X", part[0])
			} else {
				b.WriteString(part[:size])
			}
			part = part[size:]
		}
		parts[i] = b.String()
		bad = true
	}
	return strings.Join(parts, "/"), bad
}

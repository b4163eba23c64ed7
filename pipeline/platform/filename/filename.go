// Package filename makes names taken from a submission (an institution, a
// class, a holder of an archive copy) safe as one file or folder name on
// Windows and Linux file systems. Names from a submission are never trusted as
// paths: every separator and every character a file system refuses becomes _.
package filename

import "strings"

// forbidden are the characters Windows refuses in a file name ('/' and '\'
// separate folders everywhere).
const forbidden = `<>:"/\|?*`

// Safe keeps the letters, digits and harmless punctuation of s, at most
// maxRunes of them (maxRunes <= 0: no limit), after trimming spaces around it:
// control characters, the characters Windows forbids and spaces (also the
// ideographic space) become _, leading and trailing dots and _ are dropped (no
// hidden file, no name Windows strips), and a name Windows reserves for a
// device (CON, NUL, COM1 …, also with an extension: NUL.txt) gets a _ after
// the device name (NUL_.txt). The result may be empty: the caller chooses the
// name to use then.
func Safe(s string, maxRunes int) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if maxRunes > 0 && n >= maxRunes {
			break
		}
		switch {
		case r < 0x20 || r == 0x7f || strings.ContainsRune(forbidden, r):
			r = '_'
		case r == ' ' || r == '\u3000':
			r = '_'
		}
		b.WriteRune(r)
		n++
	}
	name := strings.Trim(b.String(), "._")
	if base, _, _ := strings.Cut(name, "."); reserved(base) {
		name = base + "_" + strings.TrimPrefix(name, base)
	}
	return name
}

// reserved reports whether Windows reserves base (a name's part before its
// first dot) for a device.
func reserved(base string) bool {
	switch strings.ToUpper(base) {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(base) == 4 {
		prefix := strings.ToUpper(base[:3])
		return (prefix == "COM" || prefix == "LPT") && base[3] >= '1' && base[3] <= '9'
	}
	return false
}

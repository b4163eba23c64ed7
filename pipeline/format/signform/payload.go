package signform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// PayloadVersion is the version of the QR payload written today.
const PayloadVersion = 1

// payloadTag starts every payload: a QR code without it is not one of ours.
const payloadTag = "YS"

// Payload is what a page's QR code says: which class, session and page it is,
// and which rows of the list it holds. Rows map to the list by position: row k
// of the page (from 0) is entry First+k of the list, for k < Rows; the Blank
// rows after them are for walk-ins. Check is a digest of the entries' keys (see
// Digest), so that a page read against another list (the roster changed after
// printing) is told, not matched wrongly.
type Payload struct {
	Version int
	Class   string // short id of the class: lower-case hex (ClassID)
	Session string // the session label as printed
	Page    int    // from 1
	Pages   int
	First   int    // list index (from 0) of the page's first row
	Rows    int    // list entries on the page
	Blank   int    // blank rows after them
	Check   string // lower-case hex (Digest)
}

// MaxPayload is the longest payload text accepted: short enough for a QR code
// read from a phone photo of a whole page.
const MaxPayload = 150

// ErrNotOurs says a QR code's text is not a sign-in sheet payload.
var ErrNotOurs = errors.New("不是本程序打印的签到表二维码")

// String is the QR text, YS1:CLASS:SESSION:PAGE/PAGES:FIRST:ROWS:BLANK:CHECK, in
// the characters of the QR code's alphanumeric mode (5.5 bits a character, so
// the code has fewer and larger modules than in byte mode): the session
// "2026-03-10 上午" as 20260310A (下午 P, 中午 N, 晚上 E, no part of day: no
// letter), any other label URL-escaped in upper case.
func (p Payload) String() string {
	return fmt.Sprintf("%s%d:%s:%s:%d/%d:%d:%d:%d:%s", payloadTag, p.Version, strings.ToUpper(p.Class),
		sessionCode(p.Session), p.Page, p.Pages, p.First, p.Rows, p.Blank, strings.ToUpper(p.Check))
}

// parts are the parts of day given a letter in a session code.
var parts = map[string]string{"上午": "A", "下午": "P", "中午": "N", "晚上": "E"}

var reSession = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?: (上午|下午|中午|晚上))?$`)
var reSessionCode = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})([APNE]?)$`)

func sessionCode(s string) string {
	if m := reSession.FindStringSubmatch(s); m != nil {
		return m[1] + m[2] + m[3] + parts[m[4]]
	}
	return "~" + url.QueryEscape(s) // its hex is upper case; a label with lower-case letters makes a byte-mode code
}

func sessionLabel(c string) (string, error) {
	if rest, ok := strings.CutPrefix(c, "~"); ok {
		return url.QueryUnescape(rest)
	}
	m := reSessionCode.FindStringSubmatch(c)
	if m == nil {
		return "", fmt.Errorf("%w：场次 %q", ErrNotOurs, c)
	}
	label := m[1] + "-" + m[2] + "-" + m[3]
	for part, letter := range parts {
		if letter == m[4] && m[4] != "" {
			label += " " + part
		}
	}
	return label, nil
}

// ParsePayload reads a QR text. It returns ErrNotOurs (wrapped) for any text
// that is not a payload of a known version, and never panics.
func ParsePayload(s string) (Payload, error) {
	var p Payload
	if len(s) > MaxPayload || !strings.HasPrefix(s, payloadTag) {
		return p, ErrNotOurs
	}
	f := strings.Split(s, ":")
	if len(f) != 8 {
		return p, fmt.Errorf("%w：字段数 %d", ErrNotOurs, len(f))
	}
	v, err := strconv.Atoi(strings.TrimPrefix(f[0], payloadTag))
	if err != nil || v != PayloadVersion {
		return p, fmt.Errorf("%w：版本 %q", ErrNotOurs, f[0])
	}
	p.Version, p.Class, p.Check = v, strings.ToLower(f[1]), strings.ToLower(f[7])
	if p.Session, err = sessionLabel(f[2]); err != nil {
		return p, fmt.Errorf("%w：场次 %q", ErrNotOurs, f[2])
	}
	pg, pgs, ok := strings.Cut(f[3], "/")
	nums := []*int{&p.Page, &p.Pages, &p.First, &p.Rows, &p.Blank}
	for i, t := range []string{pg, pgs, f[4], f[5], f[6]} {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || n > 100000 {
			return p, fmt.Errorf("%w：数字 %q", ErrNotOurs, t)
		}
		*nums[i] = n
	}
	if !ok || p.Page < 1 || p.Page > p.Pages || p.Rows+p.Blank > RowsPerPage || p.Class == "" {
		return p, fmt.Errorf("%w：页码或行数不合理", ErrNotOurs)
	}
	return p, nil
}

// Digest is the check of a page's entries: the first 6 hex digits of the
// SHA-256 of their keys (e.g. ID numbers) joined by newlines.
func Digest(keys []string) string {
	h := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return hex.EncodeToString(h[:3])
}

// ClassID is a short id for a class made of its list's keys and its dates:
// the first 8 hex digits of their SHA-256.
func ClassID(keys []string, start, end string) string {
	h := sha256.Sum256([]byte(start + "|" + end + "|" + strings.Join(keys, "\n")))
	return hex.EncodeToString(h[:4])
}

// PageRows is one page of a split list: entries First..First+Rows-1, then
// Blank empty rows.
type PageRows struct{ First, Rows, Blank int }

// Split lays n entries out on pages of RowsPerPage rows, in order, with at
// least minBlank blank rows for walk-ins at the end (the last page is filled
// up with blank rows; a page of blank rows only is added when the last page has
// no room for minBlank). Zero entries give one page of blank rows.
func Split(n, minBlank int) []PageRows {
	if minBlank < 0 {
		minBlank = 0
	}
	if minBlank > RowsPerPage {
		minBlank = RowsPerPage
	}
	var out []PageRows
	for first := 0; first < n; first += RowsPerPage {
		rows := min(RowsPerPage, n-first)
		out = append(out, PageRows{First: first, Rows: rows, Blank: RowsPerPage - rows})
	}
	if len(out) == 0 || out[len(out)-1].Blank < minBlank {
		out = append(out, PageRows{First: n, Rows: 0, Blank: RowsPerPage})
	}
	return out
}

// Plan is the payloads of one session's sheet for a list of entries by their
// keys (see Split for the pages, Digest for each page's check).
func Plan(class, session string, keys []string, minBlank int) []Payload {
	pages := Split(len(keys), minBlank)
	out := make([]Payload, len(pages))
	for i, pr := range pages {
		out[i] = Payload{Version: PayloadVersion, Class: class, Session: session, Page: i + 1, Pages: len(pages),
			First: pr.First, Rows: pr.Rows, Blank: pr.Blank, Check: Digest(keys[pr.First : pr.First+pr.Rows])}
	}
	return out
}

package roster

import (
	"strings"
	"time"
	"unicode/utf8"
	"yanshou/pipeline/format/gb2260"

	"yanshou/pipeline/format/sheet"
	"yanshou/templates"
)

// provinces are the first two digits of GB/T 2260 address codes (83: residence
// permits of Taiwan residents; 91: foreigners' permanent residence IDs).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true, "91": true,
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// ValidID checks a resident ID (GB 11643): length, province, address code (a
// current or retired code of GB/T 2260), birth date, check digit; returns
// "" or the Chinese reason. The ID should be normalised first (sheet.NormID).
func ValidID(id string) string {
	if id == "" {
		return templates.Say("roster.id_empty")
	}
	n := utf8.RuneCountInString(id)
	if n == 15 && allDigits(id) {
		return templates.Say("roster.id_15")
	}
	if n != 18 || len(id) != 18 {
		return templates.Say("roster.id_length", n)
	}
	if !allDigits(id[:17]) {
		return templates.Say("roster.id_digits")
	}
	if c := id[17]; !(c >= '0' && c <= '9') && c != 'X' {
		return templates.Say("roster.id_last")
	}
	if !provinces[id[:2]] {
		return templates.Say("roster.id_province", id[:2])
	}
	if gb2260.Lookup(id).Status == gb2260.Unknown {
		return templates.Say("roster.id_address", id[:6])
	}
	birth, ok := idBirth(id)
	if !ok {
		return templates.Say("roster.id_no_such_birth", id[6:14])
	}
	if birth.Year() < 1850 || birth.After(time.Now()) {
		return templates.Say("roster.id_odd_birth", id[6:14])
	}
	if checkChar(id) != id[17] {
		return templates.Say("roster.id_checksum")
	}
	return ""
}

// checkChar computes the GB 11643 check character of the first 17 digits.
func checkChar(id string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(id[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// idBirth returns the birth date encoded in an 18-digit ID.
func idBirth(id string) (time.Time, bool) {
	if len(id) < 14 || !allDigits(id[6:14]) {
		return time.Time{}, false
	}
	y, m, d := atoi(id[6:10]), atoi(id[10:12]), atoi(id[12:14])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || t.Day() != d || int(t.Month()) != m {
		return time.Time{}, false
	}
	return t, true
}

// idMale reports the sex an 18-digit ID encodes (17th digit odd: male).
func idMale(id string) bool { return (id[16]-'0')%2 == 1 }

// ageAt returns the age in whole years on day at.
func ageAt(birth, at time.Time) int {
	age := at.Year() - birth.Year()
	if at.Month() < birth.Month() || (at.Month() == birth.Month() && at.Day() < birth.Day()) {
		age--
	}
	return age
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// Lossiness of an ID cell.
const (
	idIntact  = iota
	idNumeric // stored as a number: digits past the 15th are lost
	idSuspect // 18 digits ending in 000 with a wrong check digit: typed or copied from a number
)

// idLoss judges whether an ID's digits were lost by number storage, and returns the
// ID as digits (4.10623199001011E+17 → 410623199001011000).
func idLoss(t *sheet.Table, r, c int, id string) (int, string) {
	if id == "" {
		return idIntact, id
	}
	if digits, ok := expandScientific(id); ok {
		return idNumeric, digits
	}
	if t != nil && c >= 0 && t.IsNumber(r, c) && len(id) >= 16 && allDigits(id) {
		return idNumeric, id
	}
	if len(id) == 18 && allDigits(id) && strings.HasSuffix(id, "000") && ValidID(id) != "" {
		return idSuspect, id
	}
	return idIntact, id
}

// expandScientific turns "4.10623199001011E+17" into "410623199001011000".
func expandScientific(s string) (string, bool) {
	s = strings.ToUpper(s)
	mant, exp, ok := strings.Cut(s, "E")
	if !ok {
		return "", false
	}
	exp = strings.TrimPrefix(exp, "+")
	if !allDigits(exp) || len(exp) > 2 {
		return "", false
	}
	e := atoi(exp)
	intPart, frac, _ := strings.Cut(mant, ".")
	if !allDigits(intPart) || (frac != "" && !allDigits(frac)) {
		return "", false
	}
	digits := intPart + frac
	shift := e - len(frac)
	if shift < 0 {
		return "", false
	}
	return strings.TrimLeft(digits+strings.Repeat("0", shift), "0"), true
}

// compatible reports whether a masked ID (411623********1234) fits a full one.
func compatible(masked, full string) bool {
	if len(masked) != len(full) {
		return false
	}
	for i := 0; i < len(masked); i++ {
		if masked[i] != '*' && masked[i] != full[i] {
			return false
		}
	}
	return true
}

package ledger

import (
	"fmt"
	"time"
)

// NoticeKey is the key of the 文号 of the notice of one version of a
// submission: the same class and version keep their number however often the
// notice is rendered again.
func NoticeKey(id string, version int) string { return fmt.Sprintf("notice|%s|%d", id, version) }

// InspectionKey is the key of the 文号 of the inspection form of an institution
// made on a day (2006-01-02): forms made again that day keep their number.
func InspectionKey(institution, day string) string { return "inspection|" + institution + "|" + day }

// DocumentNumber returns the 文号 of the document named by key: the year and
// number it was given when first asked for, or else the next number of year
// (1 for the first document of a year), recorded now. The number is taken by
// one INSERT statement, so that workers asking at once never get the same.
func (l *Ledger) DocumentNumber(key string, year int, now time.Time) (gotYear, n int, err error) {
	if _, err := l.db.Exec(`INSERT INTO doc_numbers(year, n, doc_key, issued_at)
		SELECT ?, COALESCE(MAX(n),0)+1, ?, ? FROM doc_numbers WHERE year=?
		ON CONFLICT(doc_key) DO NOTHING`, year, key, now.UTC().Format(time.RFC3339), year); err != nil {
		return 0, 0, err
	}
	err = l.db.QueryRow(`SELECT year, n FROM doc_numbers WHERE doc_key=?`, key).Scan(&gotYear, &n)
	return gotYear, n, err
}

package sheet

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"

	"yanshou"
	"yanshou/pipeline/platform/oserr"
	"yanshou/templates"
)

var (
	zipMagic = []byte("PK\x03\x04")
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // OLE2: .xls, .et, encrypted .xlsx
)

// IsTable reports whether a file name is a spreadsheet the readers accept or
// recognise (xlsx, xlsm, csv, and the unsupported xls/et, which become a problem).
func IsTable(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm", ".csv", ".xls", ".et":
		return true
	}
	return false
}

// Open reads every sheet of an xlsx/xlsm workbook, or a CSV file, as text tables.
// abs is where the file can be read, rel its path inside the submission (used in
// every message). A sheet that declares or holds more than
// cfg.Thresholds.MaxSheetRows rows, or that would take the workbook past
// cfg.Thresholds.MaxBookRows rows in all, is refused with a problem and left out
// (found by counting, before any cell is parsed); the rows of the sheets kept are
// streamed, so memory follows what the tables hold. An unreadable file gives a nil
// Book and a problem saying why and how to fix it. Input files are only read.
func Open(abs, rel string, cfg *yanshou.Config) (book *Book, problems []yanshou.Evidence) {
	defer func() {
		if r := recover(); r != nil {
			book = nil
			problems = append(problems, fileProblem(rel, templates.Say("sheet.read_panic", r)))
		}
	}()
	st, err := os.Stat(abs)
	if err != nil {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.read_failed", oserr.Reason(err)))}
	}
	if st.IsDir() {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.folder"))}
	}
	if max := cfg.Intake.MaxFileBytes; max > 0 && st.Size() > max {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.too_big", st.Size(), max))}
	}
	if st.Size() == 0 {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.empty"))}
	}
	head, err := readHead(abs, 8)
	if err != nil {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.read_failed", oserr.Reason(err)))}
	}
	isZip, isCFB := bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, cfbMagic)
	switch ext := strings.ToLower(filepath.Ext(rel)); ext {
	case ".csv", ".txt":
		if isZip || isCFB {
			return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.wrong_ext", ext))}
		}
		return openCSV(abs, rel, cfg)
	case ".xls", ".et":
		if isZip { // an xlsx given the old extension: read it anyway
			return openXLSX(abs, rel, cfg)
		}
		if ext == ".et" {
			return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.et"))}
		}
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.xls"))}
	default:
		if isCFB {
			return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.cfb_xlsx"))}
		}
		if !isZip {
			return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.not_zip"))}
		}
		return openXLSX(abs, rel, cfg)
	}
}

func readHead(abs string, n int) ([]byte, error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:k], err
}

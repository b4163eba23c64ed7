package sheet

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"

	"yanshou"
	"yanshou/pipeline/platform/oserr"
)

var (
	zipMagic = []byte("PK\x03\x04")
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // OLE2: .xls, .et, encrypted .xlsx
)

// Messages shared by the readers.
const (
	msgXLS     = "旧版 .xls 格式不支持，请在 Excel/WPS 中另存为 .xlsx"
	msgNotZip  = "不是有效的 .xlsx 文件（文件内容不是 zip 格式，可能已损坏或只是改了扩展名），请在 Excel/WPS 中打开后另存为 .xlsx"
	msgCFBXLSX = "文件实际是旧版 .xls 格式或设置了打开密码（扩展名却是 .xlsx），请在 Excel/WPS 中取消密码并另存为 .xlsx"
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
			problems = append(problems, fileProblem(rel, "读取表格时出错（%v），请在 Excel/WPS 中打开后另存为 .xlsx 再提交", r))
		}
	}()
	st, err := os.Stat(abs)
	if err != nil {
		return nil, []yanshou.Evidence{fileProblem(rel, "无法读取文件：%s", oserr.Reason(err))}
	}
	if st.IsDir() {
		return nil, []yanshou.Evidence{fileProblem(rel, "这是文件夹，不是表格文件")}
	}
	if max := cfg.Intake.MaxFileBytes; max > 0 && st.Size() > max {
		return nil, []yanshou.Evidence{fileProblem(rel, "文件大小 %d 字节超过上限 %d 字节，未读取", st.Size(), max)}
	}
	if st.Size() == 0 {
		return nil, []yanshou.Evidence{fileProblem(rel, "文件是空的（0 字节）")}
	}
	head, err := readHead(abs, 8)
	if err != nil {
		return nil, []yanshou.Evidence{fileProblem(rel, "无法读取文件：%s", oserr.Reason(err))}
	}
	isZip, isCFB := bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, cfbMagic)
	switch ext := strings.ToLower(filepath.Ext(rel)); ext {
	case ".csv", ".txt":
		if isZip || isCFB {
			return nil, []yanshou.Evidence{fileProblem(rel, "文件扩展名是 %s，内容却是 Excel 工作簿，请改回正确的扩展名（.xlsx）", ext)}
		}
		return openCSV(abs, rel, cfg)
	case ".xls", ".et":
		if isZip { // an xlsx given the old extension: read it anyway
			return openXLSX(abs, rel, cfg)
		}
		if ext == ".et" {
			return nil, []yanshou.Evidence{fileProblem(rel, "WPS .et 格式不支持，请在 WPS 中另存为 .xlsx")}
		}
		return nil, []yanshou.Evidence{fileProblem(rel, msgXLS)}
	default:
		if isCFB {
			return nil, []yanshou.Evidence{fileProblem(rel, msgCFBXLSX)}
		}
		if !isZip {
			return nil, []yanshou.Evidence{fileProblem(rel, msgNotZip)}
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

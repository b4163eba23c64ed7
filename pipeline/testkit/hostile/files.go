package hostile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/xuri/excelize/v2"
)

// millionRows writes a sign-in workbook whose one sheet has rows data rows and no
// declared dimension (so only reading it would tell its size), streamed.
func millionRows(p string, rows int) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	parts := bookParts("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "", "")
	for _, name := range sortedKeys(parts) {
		w, err := zw.Create(name)
		if err != nil {
			f.Close()
			return err
		}
		io.WriteString(w, parts[name])
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		f.Close()
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(xml + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	bw.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>手机号</t></is></c><c r="C1" t="inlineStr"><is><t>日期</t></is></c></row>`)
	for r := 2; r <= rows+1; r++ {
		fmt.Fprintf(bw, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>学员%d</t></is></c><c r="B%d"><v>%d</v></c><c r="C%d" t="inlineStr"><is><t>2026-03-10</t></is></c></row>`,
			r, r, r, r, 13800000000+r, r)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// bookParts are the parts of a one-sheet workbook (the sheet itself excluded);
// extraRels and extraWorkbook add relationships and workbook elements.
func bookParts(mainType, extraRels, extraWorkbook string) map[string]string {
	return map[string]string{
		"[Content_Types].xml": xml + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="` + mainType + `"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>` +
			`</Types>`,
		"_rels/.rels": xml + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": xml + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="签到" sheetId="1" r:id="rId1"/></sheets>` + extraWorkbook + `</workbook>`,
		"xl/_rels/workbook.xml.rels": xml + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			extraRels + `</Relationships>`,
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

// macroBook writes a macro-enabled sign-in workbook with a VBA project and a
// formula that takes its value from an external workbook on a network share.
func macroBook(p string) error {
	b, err := macroBookBytes()
	if err != nil {
		return err
	}
	return writeFile(p, b)
}

func macroBookBytes() ([]byte, error) {
	parts := bookParts("application/vnd.ms-excel.sheet.macroEnabled.main+xml",
		`<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>`+
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/>`,
		`<externalReferences><externalReference r:id="rId3"/></externalReferences>`)
	parts["xl/externalLinks/externalLink1.xml"] = xml + `<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>`
	parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = xml + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="http://192.0.2.1/%E7%AD%BE%E5%88%B0.xlsx" TargetMode="External"/></Relationships>`
	parts["xl/vbaProject.bin"] = string(oleHeader())
	parts["xl/worksheets/sheet1.xml"] = xml + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>手机号</t></is></c><c r="C1" t="inlineStr"><is><t>日期</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>张一</t></is></c><c r="B2"><v>13800000001</v></c><c r="C2" t="inlineStr"><is><t>2026-03-10</t></is></c></row>` +
		`<row r="3"><c r="A3" t="str"><f>[1]Sheet1!A1</f><v>李二</v></c><c r="B3"><f>[1]Sheet1!B1</f><v>13800000002</v></c><c r="C3" t="inlineStr"><is><t>2026-03-10</t></is></c></row>` +
		`</sheetData></worksheet>`
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range sortedKeys(parts) {
		w, err := zw.Create(name)
		if err != nil {
			return nil, err
		}
		io.WriteString(w, parts[name])
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// manifestBook writes 培训信息表.xlsx (项目 | 内容) with the given start and end
// written as text.
func manifestBook(p, start, end string) error {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]string{
		{"项目", "内容"},
		{"培训机构", "商水县边界测试培训学校"},
		{"培训名称", "农村电商实用技能培训班"},
		{"期次", "第9期"},
		{"开始日期", start},
		{"结束日期", end},
		{"培训地点", "商水县电子商务公共服务中心"},
		{"申请日期", "2026年2月1日"},
		{"批复文号", "商电商办〔2026〕9号"},
		{"批复日期", "2026年2月10日"},
		{"计划人数", "3"},
	}
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", cell, v); err != nil {
				return err
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return f.SaveAs(p)
}

// minimalPDF is a one-page PDF with correct offsets.
func minimalPDF(text string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	stream := fmt.Sprintf("BT /F1 24 Tf 72 720 Td (%s) Tj ET", text)
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream)
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// brokenXref garbles a PDF's cross-reference table and startxref.
func brokenXref(pdf []byte) []byte {
	s := string(pdf)
	i := strings.Index(s, "xref\n")
	j := strings.Index(s, "trailer")
	garbage := strings.Repeat("9999999999 99999 x \n", 3)
	s = s[:i] + "xref\n0 99\n" + garbage + s[j:]
	k := strings.LastIndex(s, "startxref\n")
	return []byte(s[:k] + "startxref\n123456789\n%%EOF\n")
}

// encryptPDF encrypts pdf (AES-256) with an open password, as 'WPS → 加密' does.
func encryptPDF(pdf []byte, password string) ([]byte, error) {
	api.DisableConfigDir()
	var out bytes.Buffer
	conf := model.NewAESConfiguration(password, password+"-owner", 256)
	if err := api.Encrypt(bytes.NewReader(pdf), &out, conf); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// encryptedZip writes entries into a zip, the one named encrypt (by base name)
// stored with traditional PKWARE (ZipCrypto) encryption under password.
func encryptedZip(p string, entries []zipFile, encrypt, password string) error {
	b, err := encryptedZipBytes(entries, encrypt, password)
	if err != nil {
		return err
	}
	return writeFile(p, b)
}

func encryptedZipBytes(entries []zipFile, encrypt, password string) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		if filepath.Base(e.Name) != encrypt {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: Start})
			if err != nil {
				return nil, err
			}
			w.Write(e.Body)
			continue
		}
		crc := crc32.ChecksumIEEE(e.Body)
		h := &zip.FileHeader{Name: e.Name, Method: zip.Store, Modified: Start, Flags: 0x1,
			CRC32: crc, UncompressedSize64: uint64(len(e.Body)), CompressedSize64: uint64(len(e.Body) + 12)}
		w, err := zw.CreateRaw(h)
		if err != nil {
			return nil, err
		}
		z := newZipCrypto(password)
		head := randomBytes(12, 9)
		head[11] = byte(crc >> 24)
		w.Write(z.encrypt(head))
		w.Write(z.encrypt(bytes.Clone(e.Body)))
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// zipCrypto is the traditional PKWARE stream cipher.
type zipCrypto struct{ k0, k1, k2 uint32 }

func newZipCrypto(password string) *zipCrypto {
	z := &zipCrypto{0x12345678, 0x23456789, 0x34567890}
	for i := 0; i < len(password); i++ {
		z.update(password[i])
	}
	return z
}

func crcUpdate(crc uint32, b byte) uint32 { return crc32.IEEETable[byte(crc)^b] ^ crc>>8 }

func (z *zipCrypto) update(c byte) {
	z.k0 = crcUpdate(z.k0, c)
	z.k1 = (z.k1+z.k0&0xff)*134775813 + 1
	z.k2 = crcUpdate(z.k2, byte(z.k1>>24))
}

func (z *zipCrypto) encrypt(b []byte) []byte {
	for i, c := range b {
		t := uint16(z.k2 | 2)
		b[i] = c ^ byte((uint32(t)*uint32(t^1))>>8)
		z.update(c)
	}
	return b
}

package pdfdoc

import (
	"fmt"
	"strings"

	"github.com/signintech/gopdf"

	"yanshou/pipeline/format/zh"
)

// FileRow is one file of a FileList.
type FileRow struct {
	Name   string
	Size   int64
	SHA256 string
}

// FileList is a numbered list of files with their sizes and SHA-256 digests.
type FileList struct {
	Size   float64  // text size of the table and note
	Header []string // № | file | size | SHA-256
	Files  []FileRow
	None   string // set in red instead of the table when there are no files
	Note   string // set in grey under the table ("": none)
	// KeepWith is the room what follows the list needs (see Table.KeepWith).
	KeepWith float64
}

// FileTable sets a FileList at the cursor. The digest column is as wide as a
// SHA-256 in hex, so that it never wraps.
func (d *Doc) FileTable(l FileList) {
	if len(l.Files) == 0 {
		d.Para(l.None, TextStyle{Size: 11, Color: Red})
		return
	}
	rows := make([][]string, len(l.Files))
	for i, f := range l.Files {
		rows[i] = []string{fmt.Sprint(i + 1), f.Name, zh.Bytes(f.Size), f.SHA256}
	}
	d.SetSize(l.Size)
	hash := (d.Width(strings.Repeat("0", 64)) + 2*CellPad + 2) / d.CW
	keep := l.KeepWith
	if keep > 0 && l.Note != "" {
		keep += 3 + l.Size*1.6*2
	}
	d.Table(Table{Size: l.Size, Header: l.Header, KeepWith: keep, Cols: []Column{
		{Share: 0.06, Align: AlignCenter}, {Share: 0.84 - hash}, {Share: 0.1, Align: AlignRight}, {Share: hash},
	}}, rows)
	if l.Note != "" {
		d.Space(3)
		d.Para(l.Note, TextStyle{Size: l.Size, Color: Gray})
	}
}

// TrialImport imports every page of the PDF at path into a throw-away
// document: gopdf's importer panics on files it cannot read, and a panic here
// (returned as an error) does no harm to the document being set.
func TrialImport(path string, pages int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	for i := 1; i <= pages; i++ {
		gp.AddPage()
		tpl := gp.ImportPage(path, i, "/MediaBox")
		gp.UseImportedTemplate(tpl, 0, 0, 100, 100)
	}
	return nil
}

// Command yanshou accepts training classes under the county's measures.
package main

import (
	_ "github.com/corona10/goimagehash"
	_ "github.com/expr-lang/expr"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/nfnt/resize"
	_ "github.com/pdfcpu/pdfcpu/pkg/api"
	_ "github.com/rwcarlsen/goexif/exif"
	_ "github.com/signintech/gopdf"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/text/encoding/simplifiedchinese"
	_ "modernc.org/sqlite"
)

func main() {}

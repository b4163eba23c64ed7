package paper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // scans and photos
	_ "image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	_ "golang.org/x/image/tiff" // pdfcpu hands CCITT and some Flate images out as TIFF

	"yanshou/pipeline/format/heic"
)

func init() { api.DisableConfigDir() }

// picture is one page of a file: its image, or why there is none.
type picture struct {
	page int // from 1; 0 for a photo
	img  image.Image
	err  string // Chinese; "" when img is set
}

// errTool says a tool the reading needs is not installed.
var errTool = errors.New("tool missing")

// renderTimeout bounds pdftoppm on one page.
const renderTimeout = 60 * time.Second

// pdfPages calls each with the picture of every page of the PDF at path, one
// page at a time: the largest image embedded in the page (a scan), else the
// page rendered by pdftoppm when installed. maxPixels refuses a larger image.
func pdfPages(path string, maxPixels int64, each func(picture)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	conf := model.NewDefaultConfiguration()
	conf.Cmd = model.EXTRACTIMAGES
	var ctx *model.Context
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		ctx, err = api.ReadValidateAndOptimize(f, conf)
	}()
	if err != nil {
		return err
	}
	for p := 1; p <= ctx.PageCount; p++ {
		each(pdfPage(ctx, path, p, maxPixels))
	}
	return nil
}

func pdfPage(ctx *model.Context, path string, p int, maxPixels int64) (pic picture) {
	pic.page = p
	defer func() {
		if r := recover(); r != nil {
			pic.img, pic.err = nil, fmt.Sprintf("%v", r)
		}
	}()
	mm, err := pdfcpu.ExtractPageImages(ctx, p, false)
	// the page's largest picture, by its header (pdfcpu leaves Width and
	// Height at 0 for some images, JPEG among them)
	var best []byte
	var bw, bh int
	for _, m := range mm {
		b, rerr := io.ReadAll(io.LimitReader(m, 1<<30))
		if rerr != nil {
			err = rerr
			continue
		}
		c, _, cerr := image.DecodeConfig(bytes.NewReader(b))
		if cerr != nil {
			err = cerr
			continue
		}
		if c.Width*c.Height > bw*bh {
			best, bw, bh = b, c.Width, c.Height
		}
	}
	if int64(bw)*int64(bh) > maxPixels {
		pic.err = fmt.Sprintf("页面图片 %d×%d 像素，超过上限", bw, bh)
		return pic
	}
	if bw*bh >= 500*500 { // a scan, not a logo
		img, _, derr := image.Decode(bytes.NewReader(best))
		if derr == nil {
			pic.img = img
			return pic
		}
		err = derr
	}
	img, rerr := render(path, p)
	switch {
	case rerr == nil:
		pic.img = img
	case errors.Is(rerr, errTool) && err != nil:
		pic.err = fmt.Sprintf("页面图片无法解码（%v），本机也未安装 pdftoppm", err)
	case errors.Is(rerr, errTool):
		pic.err = "页面不是扫描图片，本机未安装 pdftoppm（poppler-utils），无法把页面转为图片"
	default:
		pic.err = rerr.Error()
	}
	return pic
}

// render draws page p of the PDF at 150 dpi in grey with pdftoppm.
func render(path string, p int) (image.Image, error) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return nil, errTool
	}
	dir, err := os.MkdirTemp("", "yanshou-paper-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), renderTimeout)
	defer cancel()
	base := filepath.Join(dir, "p")
	ps := fmt.Sprint(p)
	if out, err := exec.CommandContext(ctx, "pdftoppm", "-r", "150", "-gray", "-png", "-f", ps, "-l", ps, "-singlefile", path, base).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pdftoppm 无法转换该页：%v %s", err, strings.TrimSpace(string(out)))
	}
	b, err := os.ReadFile(base + ".png")
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	return img, err
}

// photo decodes a JPEG or PNG file, refusing one past maxPixels by its header.
func photo(path string, maxPixels int64) picture {
	f, err := os.Open(path)
	if err != nil {
		return picture{err: err.Error()}
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	if heic.Is(head[:n]) {
		return heicPhoto(f, maxPixels)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return picture{err: err.Error()}
	}
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return picture{err: "图片无法解码：" + err.Error()}
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return picture{err: fmt.Sprintf("图片 %d×%d 像素，超过上限", cfg.Width, cfg.Height)}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return picture{err: err.Error()}
	}
	img, _, err := image.Decode(f)
	if err != nil {
		return picture{err: "图片无法解码：" + err.Error()}
	}
	return picture{img: img}
}

// heicPhoto decodes a phone's HEIC photo (pipeline/format/heic: bounded in
// memory and time, upright by its container); over maxPixels it is refused
// before its pixels are decoded.
func heicPhoto(f *os.File, maxPixels int64) picture {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return picture{err: err.Error()}
	}
	data, err := heic.Read(f)
	if err != nil {
		return picture{err: "HEIC 图片无法读取：" + err.Error()}
	}
	img, err := heic.Decode(data, maxPixels)
	var big *heic.TooLargeError
	switch {
	case errors.As(err, &big):
		return picture{err: fmt.Sprintf("图片 %d×%d 像素，超过上限", big.W, big.H)}
	case err != nil:
		return picture{err: "HEIC 图片无法解码：" + err.Error()}
	}
	return picture{img: img}
}

package heic

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Tool is libheif's own command-line decoder (Debian libheif-examples). When it
// is on PATH, Decode runs it — natively, several times faster than the
// WebAssembly libheif — within the same limits: the pixel limit checked on
// the container's header before it runs, Timeout, a bound on its memory and on
// the size of what it writes, and the picture it leaves checked against the
// header. Without it, or when it fails, the WebAssembly libheif decodes.
const Tool = "heif-convert"

// Backend names the decoder Decode tries first now: Tool when it is on PATH,
// else "WebAssembly".
func Backend() string {
	if toolPath() != "" {
		return Tool
	}
	return "WebAssembly"
}

// toolPath is Tool's path on PATH, or "".
func toolPath() string {
	p, err := exec.LookPath(Tool)
	if err != nil {
		return ""
	}
	return p
}

// nativeMemory bounds the address space of one heif-convert run: its libraries
// and threads (about 100 MB of address space) and 24 bytes a pixel (the coded
// planes, its YCbCr picture and what it writes).
func nativeMemory(px int64) uint64 { return 512<<20 + uint64(px)*24 }

// errNoHeader: the container's header gives no size for the primary picture
// (so the pixel limit cannot be checked before the tool runs).
var errNoHeader = errors.New("HEIC 文件头中没有主图像的尺寸")

// toolError is heif-convert's failure (its first line of error output): the
// WebAssembly libheif is asked too before the picture is called damaged.
type toolError struct{ msg string }

func (e toolError) Error() string { return e.msg }

// decodeNative decodes data's primary picture with heif-convert (at bin) into
// a private temporary folder, as Y4M (YCbCr 4:2:0 planes), before ctx's
// deadline. Unlike the module's raw planes, heif-convert's are converted by
// libheif to its default target, full range (as its PNG shows the picture):
// they are not expanded again (TestNativeAgreesWithWebAssembly holds the two
// paths together).
func decodeNative(ctx context.Context, bin string, data []byte, maxPixels int64) (image.Image, error) {
	w, h, ok := primarySize(data)
	if !ok || w <= 0 || h <= 0 || w > 1<<16 || h > 1<<16 {
		return nil, errNoHeader
	}
	px := int64(w) * int64(h)
	if maxPixels > 0 && px > maxPixels {
		return nil, &TooLargeError{w, h}
	}
	dir, err := os.MkdirTemp("", "yanshou-heic-*") // mode 0700: ours alone
	if err != nil {
		return nil, fmt.Errorf("HEIC 临时文件夹无法创建（%v）", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.heic"), filepath.Join(dir, "out.y4m")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("HEIC 临时文件无法写入（%v）", err)
	}
	// Several top-level pictures: heif-convert writes them all, numbered.
	want := out
	if index, count, ok := primaryOutput(data); ok && count > 1 {
		if count > maxTopLevel {
			return nil, toolError{fmt.Sprintf("该 HEIC 文件含 %d 幅图像，%s 只在不超过 %d 幅时使用", count, Tool, maxTopLevel)}
		}
		want = filepath.Join(dir, fmt.Sprintf("out-%d.y4m", index))
	}
	// What it may write: the header and the planes of at most px pixels (a
	// file; another picture larger than the primary stops it: WebAssembly).
	maxOut := int64(64) + px + 2*(int64(w)+1)/2*((int64(h)+1)/2) + 2*int64(max(w, h))
	cmd := exec.CommandContext(ctx, bin, "--quiet", in, out)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no settings or plugins from the environment
	cmd.Dir = dir
	cmd.WaitDelay = time.Second // killed at the deadline; its pipes are not waited for long after
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &limitedBuffer{b: &stderr, n: 4 << 10}
	if err := cmd.Start(); err != nil {
		return nil, toolError{fmt.Sprintf("%s 无法启动（%v）", Tool, err)}
	}
	limitProcess(cmd.Process.Pid, nativeMemory(px), uint64(maxOut))
	err = cmd.Wait()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%w：超过 %.0f 秒未完成，已停止", ErrTimeout, timeout.Seconds())
	}
	if err != nil {
		return nil, toolError{fmt.Sprintf("%s 无法读取该 HEIC 文件（%s）", Tool, firstLine(stderr.String(), err))}
	}
	st, err := os.Stat(want)
	if err != nil || !st.Mode().IsRegular() {
		return nil, toolError{fmt.Sprintf("%s 没有写出主图像", Tool)}
	}
	if st.Size() > maxOut {
		return nil, toolError{fmt.Sprintf("%s 写出的图像大于文件头所述", Tool)}
	}
	y4m, err := os.ReadFile(want)
	if err != nil {
		return nil, toolError{fmt.Sprintf("%s 的输出无法读取（%v）", Tool, err)}
	}
	img, err := parseY4M(y4m, w, h)
	if err != nil {
		return nil, toolError{err.Error()}
	}
	return img, nil // full range already: heif-convert converts to the full range JFIF assumes
}

// parseY4M reads a one-frame YUV4MPEG2 file of 4:2:0 planes (heif-convert's
// Y4M) into an image.YCbCr over its bytes. The picture must fit the header's
// w×h: no more pixels, no side longer than the longer side (a rotation swaps
// the sides, a clean aperture crops them).
func parseY4M(b []byte, w, h int) (*image.YCbCr, error) {
	head, rest, ok := bytes.Cut(b, []byte("\n"))
	if !ok || len(head) > 256 || !bytes.HasPrefix(head, []byte("YUV4MPEG2 ")) {
		return nil, errors.New("heif-convert 的输出不是 Y4M 图像")
	}
	var ow, oh int
	for _, f := range strings.Fields(string(head[len("YUV4MPEG2 "):])) {
		var err error
		switch f[0] {
		case 'W':
			ow, err = strconv.Atoi(f[1:])
		case 'H':
			oh, err = strconv.Atoi(f[1:])
		case 'C':
			if !strings.HasPrefix(f, "C420") {
				return nil, fmt.Errorf("heif-convert 的输出色度格式 %s 不受支持", f[1:])
			}
		}
		if err != nil {
			return nil, errors.New("heif-convert 的输出文件头无效")
		}
	}
	long := max(w, h)
	if ow <= 0 || oh <= 0 || ow > long || oh > long || int64(ow)*int64(oh) > int64(w)*int64(h) {
		return nil, fmt.Errorf("heif-convert 输出 %d×%d，与文件头所述 %d×%d 不符", ow, oh, w, h)
	}
	frame, pix, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || !bytes.HasPrefix(frame, []byte("FRAME")) {
		return nil, errors.New("heif-convert 的输出没有图像帧")
	}
	cw, ch := (ow+1)/2, (oh+1)/2
	ny, nc := ow*oh, cw*ch
	if len(pix) != ny+2*nc {
		return nil, fmt.Errorf("heif-convert 的输出长度 %d，%d×%d 的图像应为 %d", len(pix), ow, oh, ny+2*nc)
	}
	return &image.YCbCr{Y: pix[:ny:ny], Cb: pix[ny : ny+nc : ny+nc], Cr: pix[ny+nc:],
		SubsampleRatio: image.YCbCrSubsampleRatio420, YStride: ow, CStride: cw,
		Rect: image.Rect(0, 0, ow, oh)}, nil
}

// primarySize reads the size of the primary picture (pitm) from its image
// spatial extent property (ispe, which HEIF requires of every picture) in the
// top-level meta box: the size as coded, before any rotation or crop.
func primarySize(data []byte) (w, h int, ok bool) {
	meta := topBox(data, "meta")
	if len(meta) < 4 {
		return 0, 0, false
	}
	kids := children(meta[4:]) // meta is a full box
	pitm := kids["pitm"]
	if len(pitm) < 6 {
		return 0, 0, false
	}
	var primary uint32
	if pitm[0] == 0 {
		primary = uint32(be(pitm[4:6]))
	} else if len(pitm) >= 8 {
		primary = uint32(be(pitm[4:8]))
	} else {
		return 0, 0, false
	}
	iprp := list(kids["iprp"])
	props := list(iprp.raw("ipco"))
	for _, ipma := range iprp.all("ipma") {
		for _, idx := range associations(ipma, primary) {
			if idx < 1 || idx > len(props) || props[idx-1].typ != "ispe" {
				continue
			}
			b := props[idx-1].body
			if len(b) < 12 {
				return 0, 0, false
			}
			return int(be(b[4:8])), int(be(b[8:12])), true
		}
	}
	return 0, 0, false
}

// associations returns the property indexes (1-based) ipma gives item.
func associations(ipma []byte, item uint32) []int {
	if len(ipma) < 8 {
		return nil
	}
	version, flags := ipma[0], ipma[3]
	n := be(ipma[4:8])
	b := ipma[8:]
	for range n {
		var id uint32
		if version < 1 {
			if len(b) < 3 {
				return nil
			}
			id, b = uint32(be(b[:2])), b[2:]
		} else {
			if len(b) < 5 {
				return nil
			}
			id, b = uint32(be(b[:4])), b[4:]
		}
		count := int(b[0])
		b = b[1:]
		size := 1
		if flags&1 != 0 {
			size = 2
		}
		if len(b) < count*size {
			return nil
		}
		if id != item {
			b = b[count*size:]
			continue
		}
		out := make([]int, count)
		for i := range count {
			if size == 2 {
				out[i] = int(be(b[2*i:2*i+2]) & 0x7fff)
			} else {
				out[i] = int(b[i] & 0x7f)
			}
		}
		return out
	}
	return nil
}

// boxList is the child boxes of a box, in order.
type boxList []struct {
	typ  string
	body []byte
}

func (l boxList) raw(typ string) []byte {
	for _, b := range l {
		if b.typ == typ {
			return b.body
		}
	}
	return nil
}

func (l boxList) all(typ string) [][]byte {
	var out [][]byte
	for _, b := range l {
		if b.typ == typ {
			out = append(out, b.body)
		}
	}
	return out
}

// childMap is the child boxes of a box by type (the first of each).
type childMap map[string][]byte

func children(b []byte) childMap {
	m := childMap{}
	for _, c := range list(b) {
		if _, ok := m[c.typ]; !ok {
			m[c.typ] = c.body
		}
	}
	return m
}

// list splits b into boxes; a malformed size ends the list (at most 4096).
func list(b []byte) boxList {
	var out boxList
	for len(b) >= 8 && len(out) < 4096 {
		n := be(b[:4])
		if n < 8 || n > uint64(len(b)) { // 0 (to the end) and 1 (64-bit) do not occur inside meta
			break
		}
		out = append(out, struct {
			typ  string
			body []byte
		}{string(b[4:8]), b[8:n]})
		b = b[n:]
	}
	return out
}

// be reads a big-endian number of up to 8 bytes.
func be(b []byte) uint64 {
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v
}

// firstLine is the first line of a tool's error output, or its exit error.
func firstLine(stderr string, err error) string {
	if s := strings.TrimSpace(stderr); s != "" {
		s, _, _ = strings.Cut(s, "\n")
		return shorten(s)
	}
	return err.Error()
}

// limitedBuffer keeps the first n bytes written to it and drops the rest.
type limitedBuffer struct {
	b *bytes.Buffer
	n int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// Package heic decodes HEIC pictures (HEVC-coded HEIF, as phones write them)
// without cgo: libheif 1.18 with libde265, compiled to WebAssembly by
// github.com/gen2brain/heic, run here by wazero within limits of pixels,
// memory and time — or, much faster, libheif's own heif-convert when it is
// installed (see Tool), within the same limits.
//
// The module is gen2brain/heic's own (reached by go:linkname, see wasm.go); its
// Go wrapper is not used, because it runs the module without a memory limit or
// a deadline, writes libheif's messages to our stderr, and refuses files whose
// major brand is "mif1" (libheif answers "maybe" for them, its wrapper wants
// "yes"): this package runs the module itself and shows libheif such files as
// "heic", which it then reads as usual.
package heic

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Timeout bounds one decode; past it the module is stopped. (Being stoppable
// costs: wazero checks the deadline in every loop, which makes the decode
// about 2.5 times slower than unstoppable — measured 2.1 s against 0.86 s
// for a smooth 12-megapixel picture, and a noisy 12-megapixel phone photo of
// 2.4 MB took 53 s on a loaded machine; without it one hostile file could keep
// a core busy for ever.)
const Timeout = 120 * time.Second

// ErrTimeout: the decode was stopped at Timeout. It says nothing about the
// picture (a busy machine is slow too).
var ErrTimeout = errors.New("HEIC 解码超时")

// timeout is Timeout, shortened by tests.
var timeout = Timeout

// MaxInput bounds the bytes handed to the decoder.
const MaxInput = 256 << 20

// ErrNotHEIC: the data is not an ISOBMFF file of HEVC-coded HEIF brands
// (AVIF and other codecs included): it was not decoded, which is not its fault.
var ErrNotHEIC = errors.New("不是 HEVC 编码的 HEIF 文件")

// TooLargeError refuses a picture whose header announces more pixels than the
// limit; it is never decoded.
type TooLargeError struct{ W, H int }

// Error names the size.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("图像 %d×%d 超过像素上限", e.W, e.H)
}

// hevcBrands are the ftyp brands of HEVC-coded HEIF (ISO/IEC 23008-12 Annex B).
var hevcBrands = map[string]bool{"heic": true, "heix": true, "heim": true, "heis": true,
	"hevc": true, "hevx": true, "hevm": true, "hevs": true}

// Is reports whether b (the start of a file) is an ftyp box naming an
// HEVC-coded HEIF brand, as major or compatible brand.
func Is(b []byte) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	n := int(binary.BigEndian.Uint32(b))
	if n < 16 || n > len(b) {
		n = min(len(b), 256)
	}
	if hevcBrands[string(b[8:12])] {
		return true
	}
	for i := 16; i+4 <= n; i += 4 {
		if hevcBrands[string(b[i:i+4])] {
			return true
		}
	}
	return false
}

// DecodeConfig returns the primary picture's size, as libheif reads it from the
// container (its transformations applied: a picture stored on its side is
// announced upright).
func DecodeConfig(data []byte) (image.Config, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cfg, _, err := run(ctx, data, 0, true)
	return cfg, err
}

// Decode returns the primary picture of data, upright (libheif applies the
// container's rotation and mirroring; EXIF Orientation in a HEIC is not to be
// applied again). A picture over maxPixels (≤ 0: no limit) is refused before
// its pixels are decoded, with *TooLargeError. It runs Tool when installed
// (see Backend), else — or when Tool fails on the file — the WebAssembly
// libheif, both within one Timeout.
func Decode(data []byte, maxPixels int64) (image.Image, error) {
	if !Is(data) {
		return nil, ErrNotHEIC
	}
	if len(data) > MaxInput {
		return nil, fmt.Errorf("HEIC 文件超过 %d MB", MaxInput>>20)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if bin := toolPath(); bin != "" {
		img, err := decodeNative(ctx, bin, data, maxPixels)
		var failed toolError
		if err == nil {
			decodes.Add(1)
			return img, nil
		}
		if !errors.As(err, &failed) && !errors.Is(err, errNoHeader) {
			return nil, err // over the limit, out of time
		}
	}
	_, img, err := run(ctx, data, maxPixels, false)
	if err == nil {
		decodes.Add(1)
	}
	return img, err
}

// decodes counts the pictures Decode has decoded.
var decodes atomic.Int64

// Decodes is the number of pictures Decode has decoded in full since the
// process started (by either decoder): tests count with it that a picture is
// decoded once.
func Decodes() int64 { return decodes.Load() }

// Read reads at most MaxInput bytes of r for Decode or DecodeConfig.
func Read(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxInput {
		return nil, fmt.Errorf("HEIC 文件超过 %d MB", MaxInput>>20)
	}
	return data, nil
}

// Struct offsets of decode()'s outputs in the module (five uint32).
const (
	outWidth = 4 * iota
	outHeight
	outColorspace
	outChroma
	outPremultiplied
)

var (
	setupOnce sync.Once
	setupErr  error
	runtimeW  wazero.Runtime
	compiled  wazero.CompiledModule
)

// setup compiles the module once (about half a second).
func setup() error {
	setupOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(heifWasm))
		if err != nil {
			setupErr = err
			return
		}
		code, err := io.ReadAll(zr)
		if err != nil {
			setupErr = err
			return
		}
		ctx := context.Background()
		// Each instance's memory is bounded (maxPages) and each call stops
		// at its context's deadline.
		runtimeW = wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
			WithCloseOnContextDone(true).WithMemoryLimitPages(maxPages))
		wasi_snapshot_preview1.MustInstantiate(ctx, runtimeW)
		compiled, setupErr = runtimeW.CompileModule(ctx, code)
	})
	return setupErr
}

// maxPages bounds the memory of one instance: 1 GiB (64 KiB pages), about
// twice what a 100-megapixel picture needs.
const maxPages = 1 << 30 >> 16

// run instantiates the module for one file (instances are independent: runs
// may go in parallel) and calls its decode(), stopped at ctx's deadline.
func run(ctx context.Context, data []byte, maxPixels int64, configOnly bool) (cfg image.Config, img image.Image, err error) {
	if !Is(data) {
		return cfg, nil, ErrNotHEIC
	}
	if len(data) > MaxInput {
		return cfg, nil, fmt.Errorf("HEIC 文件超过 %d MB", MaxInput>>20)
	}
	if err := setup(); err != nil {
		return cfg, nil, fmt.Errorf("HEIC 解码器无法加载（%v）", err)
	}
	mod, err := runtimeW.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return cfg, nil, fmt.Errorf("HEIC 解码器无法启动（%v）", err)
	}
	defer mod.Close(context.Background())
	m := &machine{ctx: ctx, mod: mod, mem: mod.Memory()}
	defer func() {
		if ctx.Err() != nil {
			cfg, img, err = image.Config{}, nil, fmt.Errorf("%w：超过 %.0f 秒未完成，已停止", ErrTimeout, timeout.Seconds())
		}
	}()

	in := m.alloc(uint64(len(data)))
	outs := m.alloc(4 * 5)
	if m.err != nil {
		return cfg, nil, m.err
	}
	// libheif's check wants the major brand to be a HEIF brand it knows;
	// "mif1" (what many phones write, with "heic" among the compatible
	// brands) gets "maybe". Show it "heic": Is has checked the brands.
	patched := bytes.Clone(data[:12])
	copy(patched[8:12], "heic")
	if !m.mem.Write(uint32(in), patched) || !m.mem.Write(uint32(in)+12, data[12:]) {
		return cfg, nil, errors.New("HEIC 解码器内存不足")
	}
	ok := m.call("decode", in, uint64(len(data)), 1, outs+outWidth, outs+outHeight, outs+outColorspace, outs+outChroma, outs+outPremultiplied, 0)
	if m.err != nil {
		return cfg, nil, m.err
	}
	if !ok {
		return cfg, nil, errors.New("libheif 无法读取该 HEIC 文件（结构损坏或不受支持）")
	}
	w, h := m.u32(outs+outWidth), m.u32(outs+outHeight)
	colorspace, chroma := m.u32(outs+outColorspace), m.u32(outs+outChroma)
	premultiplied := m.u32(outs+outPremultiplied) == 1
	if w == 0 || h == 0 || w > 1<<16 || h > 1<<16 {
		return cfg, nil, fmt.Errorf("图像尺寸 %d×%d 无效", w, h)
	}
	lay, err := layoutOf(int(w), int(h), colorspace, chroma, premultiplied)
	if err != nil {
		return cfg, nil, err
	}
	cfg = image.Config{Width: int(w), Height: int(h), ColorModel: lay.model}
	if configOnly {
		return cfg, nil, nil
	}
	px := int64(w) * int64(h)
	if maxPixels > 0 && px > maxPixels {
		return cfg, nil, &TooLargeError{int(w), int(h)}
	}
	out := m.alloc(uint64(lay.size))
	if m.err != nil {
		return cfg, nil, m.err
	}
	ok = m.call("decode", in, uint64(len(data)), 0, outs+outWidth, outs+outHeight, outs+outColorspace, outs+outChroma, outs+outPremultiplied, out)
	if m.err != nil {
		return cfg, nil, m.err
	}
	if !ok {
		return cfg, nil, errors.New("HEIC 图像数据损坏，无法解码")
	}
	if m.u32(outs+outWidth) != w || m.u32(outs+outHeight) != h {
		return cfg, nil, errors.New("HEIC 图像两次读取的尺寸不同")
	}
	pix, ok := m.mem.Read(uint32(out), uint32(lay.size))
	if !ok {
		return cfg, nil, errors.New("HEIC 解码器内存读取失败")
	}
	img = lay.image(bytes.Clone(pix))
	if y, ok := img.(*image.YCbCr); ok && !fullRange(data) {
		expandRange(y)
	}
	return cfg, img, nil
}

// machine is one instance of the module, with the first error of its calls.
type machine struct {
	ctx context.Context
	mod api.Module
	mem api.Memory
	err error
}

func (m *machine) call(name string, args ...uint64) bool {
	if m.err != nil {
		return false
	}
	res, err := m.mod.ExportedFunction(name).Call(m.ctx, args...)
	if err != nil {
		m.err = fmt.Errorf("HEIC 解码器出错（%s）", shorten(err.Error()))
		return false
	}
	return len(res) == 1 && res[0] != 0
}

func (m *machine) alloc(n uint64) uint64 {
	if m.err != nil {
		return 0
	}
	res, err := m.mod.ExportedFunction("malloc").Call(m.ctx, n)
	if err != nil || len(res) != 1 || res[0] == 0 {
		m.err = errors.New("HEIC 解码器内存不足")
		return 0
	}
	return res[0]
}

func (m *machine) u32(off uint64) uint32 {
	v, _ := m.mem.ReadUint32Le(uint32(off))
	return v
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}

// Init compiles the decoder now (about half a second, once per process) rather
// than at the first decode.
func Init() error { return setup() }

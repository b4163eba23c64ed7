package desk

import (
	"archive/zip"
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserUpload drives headless Chromium as an institution: log in, open
// the upload page, choose a zip, press 上传; the page's script (allowed by the
// CSP as the desk's own) hashes it and sends it in resumable chunks with its
// progress bar, the desk verifies the whole by the script's SHA-256, and the
// page comes back listing the upload as queued; the zip is in the inbox,
// whole.
func TestBrowserUpload(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("没有找到 Chromium（Debian: apt-get install chromium），跳过浏览器测试")
	}
	inbox := t.TempDir()
	var log lockedBuffer
	f := newFixture(t, Options{Inbox: inbox, UploadChunkBytes: 32 << 10, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	zipPath := filepath.Join(t.TempDir(), "第5期.zip")
	zf, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	noise := rand.New(rand.NewPCG(3, 4))
	for _, name := range []string{"第5期/培训信息表.xlsx", "第5期/照片/第一天.jpg"} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		b := make([]byte, 64<<10+noise.IntN(1000)) // chunks and an odd tail for the page's SHA-256
		for i := range b {
			b[i] = byte(noise.Uint32())
		}
		w.Write(b)
	}
	zw.Close()
	zf.Close()
	want, _ := os.ReadFile(zipPath)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.WindowSize(1366, 768), chromedp.Flag("lang", "zh-CN"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("log in", chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(f.srv.URL+"/upload"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "hongda"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("upload")),
	))
	step("choose the zip and send it", chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.ID("zip"), []string{zipPath}),
		chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(chromedp.ID("uploads")),
	))
	rows, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("uploads")))
	step("the uploads", err)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	step("screenshot", err)
	if !strings.Contains(rows, "第5期.zip") || !strings.Contains(rows, "已上传，排队中") {
		t.Errorf("the upload page lists %q", rows)
	}
	got, err := os.ReadFile(filepath.Join(inbox, hongda, "第5期.zip"))
	if err != nil || string(got) != string(want) {
		t.Errorf("the zip in the inbox: %v, %d bytes of %d", err, len(got), len(want))
	}
	if !strings.Contains(log.String(), "upload verified") {
		t.Errorf("the zip was not sent in verified chunks:\n%s", log.String())
	}
	if dir := screenshotDir(); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "desk-upload.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lockedBuffer is a log written by concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

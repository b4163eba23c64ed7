package desk

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserUpload drives headless Chromium as an institution: log in, open
// the upload page, choose a zip, press 上传; the page's script (allowed by the
// CSP as the desk's own) sends it with its progress bar, and the page comes
// back listing the upload as queued; the zip is in the inbox, whole.
func TestBrowserUpload(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("没有找到 Chromium（Debian: apt-get install chromium），跳过浏览器测试")
	}
	inbox := t.TempDir()
	f := newFixture(t, Options{Inbox: inbox})
	zipPath := filepath.Join(t.TempDir(), "第5期.zip")
	zf, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	for _, name := range []string{"第5期/培训信息表.xlsx", "第5期/照片/第一天.jpg"} {
		w, _ := zw.Create(name)
		w.Write([]byte(strings.Repeat("x", 64<<10)))
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
	if dir := screenshotDir(); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "desk-upload.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

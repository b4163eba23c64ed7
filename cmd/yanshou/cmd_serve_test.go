package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCheckListen(t *testing.T) {
	tests := []struct {
		addr          string
		tls, insecure bool
		ok            bool
	}{
		{"127.0.0.1:8080", false, false, true},
		{"localhost:8080", false, false, true},
		{"[::1]:8080", false, false, true},
		{"127.0.0.2:0", false, false, true},
		{"0.0.0.0:8080", false, false, false},
		{":8080", false, false, false},
		{"192.168.1.10:8080", false, false, false},
		{"[::]:8080", false, false, false},
		{"desk.county.local:8080", false, false, false},
		{"0.0.0.0:8080", true, false, true},
		{"192.168.1.10:8080", false, true, true},
		{"127.0.0.1", false, false, false}, // no port
	}
	for _, tt := range tests {
		err := checkListen(tt.addr, tt.tls, tt.insecure)
		if (err == nil) != tt.ok {
			t.Errorf("checkListen(%q, tls %v, insecure %v) = %v, want ok %v", tt.addr, tt.tls, tt.insecure, err, tt.ok)
		}
	}
}

func TestServeRefuses(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--listen", "0.0.0.0:0"}, "不是本机地址"},
		{[]string{"--listen", "192.168.1.10:8080"}, "--insecure-lan"},
		{[]string{"--tls-cert", "a.pem"}, "须同时给出"},
		{[]string{"extra"}, "用法"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		args := append([]string{"--outbox", t.TempDir()}, tt.args...)
		if code := runServe(context.Background(), args, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want 2 and %q", tt.args, code, errb.String(), tt.want)
		}
	}
}

var servingAt = regexp.MustCompile(`审核台已启动：(https?://[^ ]+/)`)

// serve starts yanshou serve with args and returns its base URL and a stop
// function that waits for its exit code.
func serve(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	code := make(chan int, 1)
	go func() { code <- runServe(ctx, args, out, errb) }()
	for i := 0; i < 500; i++ {
		if m := servingAt.FindStringSubmatch(out.String()); m != nil {
			return m[1], func() int { cancel(); return <-code }
		}
		select {
		case c := <-code:
			t.Fatalf("serve exited %d: %s", c, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start: %s %s", out.String(), errb.String())
	return "", nil
}

func TestServeStartsAndStops(t *testing.T) {
	outbox := t.TempDir()
	base, stop := serve(t, "--outbox", outbox, "--listen", "127.0.0.1:0")
	resp, err := http.Get(base + "login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") == "" || !strings.Contains(string(body), "登录") {
		t.Fatalf("GET /login: %d %v", resp.StatusCode, resp.Header)
	}
	if _, err := os.Stat(filepath.Join(outbox, ".yanshou", "ledger.db")); err != nil {
		t.Fatalf("no ledger: %v", err)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit %d after stop", code)
	}
	if _, err := http.Get(base + "login"); err == nil {
		t.Fatal("still serving after stop")
	}
}

// TestServeTLS: with a certificate the desk speaks HTTPS (and so may listen
// beyond loopback) and its cookies are Secure.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeSelfSigned(t, cert, key)
	base, stop := serve(t, "--outbox", dir, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key)
	defer stop()
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("base %s", base)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := c.Get(base + "login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Strict-Transport-Security") == "" || len(resp.Cookies()) == 0 || !resp.Cookies()[0].Secure {
		t.Fatalf("https response: %v", resp.Header)
	}
}

func writeSelfSigned(t *testing.T, certFile, keyFile string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(k)
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
}

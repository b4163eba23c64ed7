package oserr

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"testing"
)

func TestReason(t *testing.T) {
	_, missing := os.Open("/nonexistent/签到表.xlsx")
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{missing, "文件不存在"},
		{&fs.PathError{Op: "open", Path: "/secret/批复.pdf", Err: fs.ErrPermission}, "没有读取权限"},
		{&fs.PathError{Op: "read", Path: "/secret/批复.pdf", Err: syscall.EIO}, syscall.EIO.Error()},
		{errors.New("其他"), "其他"},
	}
	for _, tt := range tests {
		if got := Reason(tt.err); got != tt.want {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

//go:build !unix

package hostile

import "os"

// mkfifo writes an empty file where named pipes do not exist.
func mkfifo(p string) error { return os.WriteFile(p, nil, 0o644) }

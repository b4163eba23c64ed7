package heic

import (
	_ "unsafe" // go:linkname

	_ "github.com/gen2brain/heic" // the module's bytes
)

// heifWasm is gen2brain/heic's libheif module, gzipped (its lib/heif.wasm.gz,
// built by its lib/Makefile from libheif v1.18.2 and libde265 v1.0.15). The
// name is pinned by the version in go.mod: a rename fails the build, not a run.
//
//go:linkname heifWasm github.com/gen2brain/heic.heifWasm
var heifWasm []byte

// Package gb2260 knows the address codes of GB/T 2260 that resident ID numbers
// (GB 11643) begin with: the current codes and the retired ones an ID issued
// before a re-division still carries. The table (codes.tsv) names its sources
// and their dates; scripts/gb2260.py regenerates it.
package gb2260

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed codes.tsv
var table string

// Status says whether a code is in today's list or only in an older one.
type Status int

const (
	// Unknown: no list has the code; an ID beginning with it was made up or mistyped.
	Unknown Status = iota
	// Current: the code is in the 2023 list.
	Current
	// Retired: the code was valid once (IDs issued under it stay valid).
	Retired
)

// Code is one address code.
type Code struct {
	Code   string
	Name   string // e.g. 河南省周口市商水县
	Status Status
}

var (
	once  sync.Once
	codes map[string]Code
)

func load() {
	codes = make(map[string]Code, 8000)
	for _, line := range strings.Split(table, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			continue
		}
		st := Current
		if f[1] == "retired" {
			st = Retired
		}
		codes[f[0]] = Code{Code: f[0], Name: f[2], Status: st}
	}
}

// Lookup returns the code of the first six digits of an ID number; Status is
// Unknown when no list has it.
func Lookup(code string) Code {
	once.Do(load)
	if len(code) > 6 {
		code = code[:6]
	}
	if c, ok := codes[code]; ok {
		return c
	}
	return Code{Code: code}
}

// Len is the number of codes known.
func Len() int {
	once.Do(load)
	return len(codes)
}

package templates

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEverySayHasItsLine parses every Go file of the module and checks each
// templates.Say call with a literal key: the key is in a built-in catalogue and
// the call gives as many values as the line has verbs.
func TestEverySayHasItsLine(t *testing.T) {
	calls := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Say" {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "templates" || len(call.Args) == 0 {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			calls++
			format, ok := Phrase(key)
			if !ok {
				t.Errorf("%s: templates.Say(%q): no such line in templates/evidence", fset.Position(call.Pos()), key)
				return true
			}
			if call.Ellipsis == token.NoPos && verbs(format) != len(call.Args)-1 {
				t.Errorf("%s: templates.Say(%q) gives %d values, the line %q takes %d", fset.Position(call.Pos()), key, len(call.Args)-1, format, verbs(format))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Fatal("found no templates.Say calls: the walk is broken")
	}
}

func TestUseEvidence(t *testing.T) {
	t.Cleanup(func() { UseEvidence("") })
	write := func(t *testing.T, body string) string {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "evidence"), 0o755)
		if err := os.WriteFile(filepath.Join(dir, "evidence", "facts.yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	for _, tt := range []struct {
		name, body, err, key string
		args                 []any
		want                 string
	}{
		{"one line changed, the rest kept", "material_missing: 未提交：%s\n", "", "facts.material_missing", []any{"批复"}, "未提交：批复"},
		{"the others stay built-in", "material_missing: 未提交：%s\n", "", "facts.photo_no_time", nil, "无拍摄时间信息（EXIF），无法核验"},
		{"unknown key", "materal_missing: x %s\n", "materal_missing 不是已有的证据措辞", "", nil, ""},
		{"empty line", "material_missing: ''\n", "material_missing 为空", "", nil, ""},
		{"other verb count", "material_missing: 缺少\n", "需要 1 个填充值", "", nil, ""},
		{"bad yaml", "material_missing: [\n", "无法读取", "", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			UseEvidence("")
			err := UseEvidence(write(t, tt.body))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if got := Say("facts.material_missing", "批复"); got != "缺少：批复" {
					t.Fatalf("a refused override was installed: %q", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := Say(tt.key, tt.args...); got != tt.want {
				t.Fatalf("Say(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

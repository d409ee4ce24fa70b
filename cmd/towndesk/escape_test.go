package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage"
)

// rawControl reports the first control character (as refused at input)
// in s, or false.
func rawControl(s string) (rune, bool) { return towndesk.ControlIn(s, true) }

func TestRequestCLIRefusesControlCharacters(t *testing.T) {
	c := newDeskCLI(t)
	tests := []struct {
		flag, value, what string
	}{
		{"--citizen", "张\x1b]0;pwned\x07三", "群众姓名"},
		{"--matter", "代缴\x1b[2J\x1b[H医保费", "办理事项"},
		{"--village", "前李\u202e村", "村（社区）"},
		{"--phone", "\u202a138 1234 5678\u202c", "联系电话"},
	}
	for _, tt := range tests {
		args := map[string]string{"--town": "滨湖", "--citizen": "张三", "--phone": "13812345678", "--kind": "缴纳费用", "--matter": "代缴医保费"}
		args[tt.flag] = tt.value
		var argv []string
		for k, v := range args {
			argv = append(argv, k, v)
		}
		if code := c.run(append([]string{"new"}, argv...)...); code != 1 {
			t.Errorf("new %s %q: exit %d, want 1", tt.flag, tt.value, code)
		}
		if !strings.Contains(c.last.stderr, tt.what) || !strings.Contains(c.last.stderr, "控制字符") {
			t.Errorf("new %s %q said %q, want the field %s and 控制字符 named", tt.flag, tt.value, c.last.stderr, tt.what)
		}
		if r, ok := rawControl(c.last.stderr); ok {
			t.Errorf("error message holds a raw %U: %q", r, c.last.stderr)
		}
	}
	if out := c.ok("list"); !strings.Contains(out, "没有符合条件的代办") {
		t.Errorf("refused intakes stored something:\n%s", out)
	}
	c.ok("new", "--town", "滨湖", "--citizen", "张三", "--phone", "13812345678", "--kind", "缴纳费用", "--matter", "代缴医保费")
	if code := c.run("note", "2026-0001", "已联系\x1b[31m"); code != 1 || !strings.Contains(c.last.stderr, "备注") {
		t.Errorf("note with ESC: exit %d, %q", code, c.last.stderr)
	}
	if code := c.run("assign", "2026-0001", "李\u2066娜"); code != 1 || !strings.Contains(c.last.stderr, "承办人") {
		t.Errorf("assign with an isolate: exit %d, %q", code, c.last.stderr)
	}
}

// TestRequestCLIEscapesStoredControls: text stored before control
// characters were refused is printed escaped by show, list (also as JSON)
// and export.
func TestRequestCLIEscapesStoredControls(t *testing.T) {
	c := newDeskCLI(t)
	c.ok("new", "--town", "滨湖", "--citizen", "张三", "--phone", "13812345678", "--kind", "缴纳费用", "--matter", "代缴医保费")
	// Write what an older version let in, below validation.
	db, err := storage.Open(filepath.Join(c.dir, "towndesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.Request(context.Background(), "2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	was := *r
	r.Citizen = "张三\x1b]0;owned\x07\x1b[2J"
	r.Matter = "代缴\u202e费保医\u202c\r\n第二行\u009b"
	if err := db.UpdateRequest(context.Background(), storage.RequestChange{Request: r, Was: &was}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, args := range [][]string{{"show", "2026-0001"}, {"list"}, {"list", "--json"}, {"show", "2026-0001", "--json"}} {
		out := c.ok(args...)
		if r, ok := rawControl(out); ok {
			t.Errorf("%s printed a raw %U:\n%q", strings.Join(args, " "), r, out)
		}
		if !strings.Contains(out, `\u001b`) {
			t.Errorf("%s does not show the escaped ESC:\n%s", strings.Join(args, " "), out)
		}
	}
	file := filepath.Join(t.TempDir(), "台账.xlsx")
	c.ok("export", "--xlsx", file)
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("代办事项")
	if err != nil || len(rows) < 2 {
		t.Fatalf("export rows %v, %v", rows, err)
	}
	for _, cell := range rows[1] {
		if r, ok := rawControl(cell); ok {
			t.Errorf("exported cell %q holds a raw %U", cell, r)
		}
	}
	if !strings.Contains(strings.Join(rows[1], "|"), `张三\u001b]0;owned\u0007`) {
		t.Errorf("exported row %q lacks the escaped name", rows[1])
	}
}

func TestEscaperKeepsSplitCharacters(t *testing.T) {
	var b bytes.Buffer
	e := newEscaper(&b)
	text := "张三\x1b[2J李四\u202e王五"
	for i := 0; i < len(text); i++ { // one byte at a time
		if _, err := e.Write([]byte{text[i]}); err != nil {
			t.Fatal(err)
		}
	}
	e.Flush()
	if got, want := b.String(), `张三\u001b[2J李四\u202e王五`; got != want || !utf8.ValidString(got) {
		t.Errorf("escaper wrote %q, want %q", got, want)
	}
}

package towndesk

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestControlIn(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		multi bool
		want  rune
		bad   bool
	}{
		{"chinese and punctuation", "张三（李四）；“备注”：已收、身份证复印件。？！…—·《》", false, 0, false},
		{"ascii punctuation", `a-b_c.d,e;f:g!h?i'j"k(l)m[n]o{p}q/r\s|t~u@v#w$x%y^z&*+=<>` + "`", false, 0, false},
		{"full width and emoji", "ＡＢＣ１２３　😀", false, 0, false},
		{"ESC", "张三\x1b]0;pwned\x07", false, 0x1b, true},
		{"clear screen", "\x1b[2J\x1b[H", true, 0x1b, true},
		{"NUL", "a\x00b", true, 0, true},
		{"DEL", "a\x7fb", true, 0x7f, true},
		{"C1 CSI", "a\u009b2Jb", true, 0x9b, true},
		{"newline in a name", "张\n三", false, '\n', true},
		{"newline in free text", "第一行\n第二行\t缩进", true, 0, false},
		{"carriage return", "第一行\r\n第二行", true, '\r', true},
		{"RLO", "张三\u202e四李", false, 0x202e, true},
		{"isolate", "a\u2067b\u2069", true, 0x2067, true},
		{"LRM", "\u200e13812345678", false, 0x200e, true},
		{"ALM", "a\u061cb", true, 0x061c, true},
		{"zero width space is not a control", "a\u200bb", false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ControlIn(tt.s, tt.multi)
			if ok != tt.bad || got != tt.want {
				t.Errorf("ControlIn(%q, %v) = %U, %v; want %U, %v", tt.s, tt.multi, got, ok, tt.want, tt.bad)
			}
		})
	}
}

func TestCheckControlsNamesFieldAndCharacter(t *testing.T) {
	err := CheckControls("citizen", "群众姓名", "张\x1b[2J三", false)
	if ErrorCode(err) != EINVALID || ErrorField(err) != "citizen" {
		t.Fatalf("CheckControls = %v, want EINVALID on citizen", err)
	}
	msg := ErrorMessage(err)
	for _, want := range []string{"群众姓名", "U+001B", "删除"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.ContainsRune(msg, 0x1b) {
		t.Errorf("message %q echoes the control character", msg)
	}
}

func TestEscapeControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三 Zhang, 138****5678", "张三 Zhang, 138****5678"},
		{"行一\n\t行二", "行一\n\t行二"},
		{"\x1b]0;title\x07\x1b[2J", `\u001b]0;title\u0007\u001b[2J`},
		{"a\rb", `a\u000db`},
		{"a\u009bb\u202ec", `a\u009bb\u202ec`},
		{"bad \xff\x9b byte", `bad \xff\x9b byte`},
	}
	for _, tt := range tests {
		if got := EscapeControls(tt.in); got != tt.want {
			t.Errorf("EscapeControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Escaped JSON is still JSON and means the same text.
	j, _ := json.Marshal(map[string]string{"name": "张\u202e三\u0085"})
	var back map[string]string
	if err := json.Unmarshal([]byte(EscapeControls(string(j))), &back); err != nil || back["name"] != "张\u202e三\u0085" {
		t.Errorf("escaped JSON %s reads back as %q, %v", EscapeControls(string(j)), back["name"], err)
	}
}

func TestCheckQuestion(t *testing.T) {
	if err := CheckQuestion("邦均镇有人烧秸秆归谁管？\n在村东头"); err != nil {
		t.Errorf("CheckQuestion(ordinary) = %v", err)
	}
	if err := CheckQuestion(strings.Repeat("烧", MaxQuestion)); err != nil {
		t.Errorf("CheckQuestion(%d characters) = %v, want nil", MaxQuestion, err)
	}
	err := CheckQuestion(strings.Repeat("烧", MaxQuestion+1))
	if ErrorCode(err) != EINVALID || ErrorField(err) != "question" {
		t.Fatalf("CheckQuestion(%d characters) = %v, want EINVALID on question", MaxQuestion+1, err)
	}
	for _, want := range []string{"301", "300", "只写地点"} {
		if !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("message %q lacks %q", ErrorMessage(err), want)
		}
	}
	if err := CheckQuestion("谁管\x1b[2J"); !invalidWith(err, "U+001B") {
		t.Errorf("CheckQuestion(ESC) = %v, want EINVALID naming U+001B", err)
	}
}

func TestRequestRefusesControls(t *testing.T) {
	base := func() Request {
		return Request{Town: Place{County: "蓟州区", Town: "邦均镇", TownCode: "120119102000"}, Citizen: "张三",
			Phone: "13812345678", Kind: "代办证件", PromisedDays: 5, Matter: "办理身份证\n补办", CreatedBy: "王芳"}
	}
	ok := base()
	if err := ok.Validate(); err != nil {
		t.Fatalf("Validate(ordinary) = %v", err)
	}
	tests := []struct {
		field string
		set   func(*Request)
	}{
		{"citizen", func(r *Request) { r.Citizen = "张\x1b[2J三" }},
		{"village", func(r *Request) { r.Village = "东\u202e村" }},
		{"matter", func(r *Request) { r.Matter = "办证\x1b]0;x\x07" }},
		{"materials", func(r *Request) { r.Materials = []string{"户口本", "身份证\u009b"} }},
		{"by", func(r *Request) { r.CreatedBy = "王\n芳" }},
	}
	for _, tt := range tests {
		r := base()
		tt.set(&r)
		if err := r.Validate(); ErrorField(err) != tt.field {
			t.Errorf("Validate with a control in %s = %v, want an error on %s", tt.field, err, tt.field)
		}
	}
	r := base()
	r.Status = StatusAccepted
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, ChinaTime)
	if _, err := r.Annotate("已电话联系\n明天来取", "王芳", at); err != nil {
		t.Errorf("Annotate(two lines) = %v", err)
	}
	if _, err := r.Annotate("已电话联系\x1b[31m", "王芳", at); ErrorField(err) != "text" {
		t.Errorf("Annotate(ESC) = %v, want an error on text", err)
	}
	e := LedgerEntry{Type: EntryReceived, Amount: 100, Receipt: "No.1\x1b", By: "王芳"}
	if err := e.Validate(); ErrorField(err) != "receipt" {
		t.Errorf("LedgerEntry.Validate(ESC in receipt) = %v, want an error on receipt", err)
	}
}

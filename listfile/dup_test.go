package listfile

import (
	"fmt"
	"strings"
	"testing"
)

// identicalRows is a CSV list of n identical rows without codes: each gets
// a code generated from its content, the repeats suffixed -2, -3, ….
func identicalRows(n int) File {
	var b strings.Builder
	b.WriteString("事项名称,事项类型,实施主体\n")
	for i := 0; i < n; i++ {
		b.WriteString("对露天焚烧秸秆的处罚,行政处罚,某镇人民政府\n")
	}
	return File{Name: "same.csv", Data: []byte(b.String())}
}

func TestGeneratedCodesForRepeatedRows(t *testing.T) {
	got, err := Parse([]File{identicalRows(4)}, townOpts)
	if err != nil {
		t.Fatal(err)
	}
	base := got.Items[0].Code
	want := []string{base, base + "-2", base + "-3", base + "-4"}
	for i, it := range got.Items {
		if it.Code != want[i] {
			t.Errorf("row %d code = %q, want %q", i+2, it.Code, want[i])
		}
	}
	// A code the list gives that a generated one would take is still
	// reported as repeated, and generated codes step around it.
	f := File{Name: "mixed.csv", Data: []byte("事项编码,事项名称,事项类型,实施主体\n" +
		",对露天焚烧秸秆的处罚,行政处罚,某镇人民政府\n" +
		base + "-2,对燃放烟花爆竹的处罚,行政处罚,某镇人民政府\n" +
		",对露天焚烧秸秆的处罚,行政处罚,某镇人民政府\n")}
	got, err = Parse([]File{f}, townOpts)
	if err != nil {
		t.Fatal(err)
	}
	codes := fmt.Sprint(got.Items[0].Code, " ", got.Items[1].Code, " ", got.Items[2].Code)
	if codes != fmt.Sprint(base, " ", base+"-2", " ", base+"-3") {
		t.Errorf("codes = %s, want %s %s-2 %s-3", codes, base, base, base)
	}
}

// BenchmarkParseIdenticalRows parses 20,000 identical rows without codes
// (issue 11: 19.6 s when each repeat searched -2, -3, … from the start).
func BenchmarkParseIdenticalRows(b *testing.B) {
	f := identicalRows(20000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := Parse([]File{f}, townOpts)
		if err != nil || len(got.Items) != 20000 {
			b.Fatalf("Parse = %d items, %v", len(got.Items), err)
		}
	}
}

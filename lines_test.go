package towndesk

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestEachLine(t *testing.T) {
	var got []string
	in := "# 注释\n\n  第一行  \n\t# 缩进的注释\n第二行 # 行内的不算注释\n"
	err := EachLine(strings.NewReader(in), "x.txt", func(n int, line string) error {
		got = append(got, fmt.Sprintf("%d:%s", n, line))
		return nil
	})
	if want := []string{"3:第一行", "5:第二行 # 行内的不算注释"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("EachLine(%q) saw %q, %v; want %q", in, got, err, want)
	}

	// fn's error stops the reading and comes back as it is.
	stop := Errorf(EINVALID, "第 1 行不对")
	calls := 0
	err = EachLine(strings.NewReader("a\nb\n"), "x.txt", func(int, string) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("EachLine with a failing fn = %v after %d calls, want %v after 1", err, calls, stop)
	}

	// A line over the limit is bad input naming the file.
	long := "a\n" + strings.Repeat("长", MaxLineBytes/3+1) + "\n"
	err = EachLine(strings.NewReader(long), "x.txt", func(int, string) error { return nil })
	if !invalidWith(err, "x.txt") {
		t.Errorf("EachLine(line of %d bytes) = %v, want EINVALID naming x.txt", len(long), err)
	}
}

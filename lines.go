package towndesk

import (
	"bufio"
	"io"
	"strings"
)

// MaxLineBytes bounds one line of the line files towndesk reads (synonym
// dictionaries, evaluation sets).
const MaxLineBytes = 1 << 20

// EachLine calls fn with the number and the text, spaces trimmed, of every
// line of r that is neither blank nor a # comment, and stops at the first
// error fn returns, which it returns as is. A line longer than MaxLineBytes
// or a read error stops it with an EINVALID error naming the file (name).
func EachLine(r io.Reader, name string, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLineBytes)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return Errorf(EINVALID, "%s: 读取失败：%v", name, err)
	}
	return nil
}

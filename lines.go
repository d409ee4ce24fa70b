package towndesk

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// MaxLineBytes bounds one line of the line files towndesk reads (synonym
// dictionaries, evaluation sets).
const MaxLineBytes = 1 << 20

// EachLine calls fn with the number and the text, spaces trimmed, of every
// line of r that is neither blank nor a # comment, and stops at the first
// error fn returns, which it returns as is. A line longer than MaxLineBytes
// stops it with an EINVALID error naming the file (name), the line and the
// limit; a read error with an EINVALID error naming the file.
func EachLine(r io.Reader, name string, fn func(n int, line string) error) error {
	return eachLine(r, name, func(n int, raw string) error {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			return nil
		}
		return fn(n, line)
	})
}

// eachLine calls fn with every line of r as it is, bounded as EachLine.
func eachLine(r io.Reader, name string, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLineBytes)
	n := 1
	for ; sc.Scan(); n++ {
		if err := fn(n, sc.Text()); err != nil {
			return err
		}
	}
	switch err := sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		return Errorf(EINVALID, "%s 第 %d 行太长：每行最多 %d 字节（1 MiB）", name, n, MaxLineBytes)
	case err != nil:
		return Errorf(EINVALID, "%s: 读取失败：%v", name, err)
	}
	return nil
}

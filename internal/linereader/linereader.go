// Package linereader reads an input line by line in the background, so
// that a command reading standard input (the console, ask --batch) can
// stop when its context ends even while no line comes.
package linereader

import (
	"bufio"
	"context"
	"errors"
	"io"

	"github.com/towndesk/towndesk"
)

// Line is one line of the input, or the error that ended it.
type Line struct {
	Text string
	Err  error
}

// Read returns r's lines in order on a channel that is closed at the end
// of r, after an error (sent as the last Line: EINVALID naming the limit
// for a line over towndesk.MaxLineBytes), or when ctx ends.
func Read(ctx context.Context, r io.Reader) <-chan Line {
	out := make(chan Line)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), towndesk.MaxLineBytes)
		for sc.Scan() {
			select {
			case out <- Line{Text: sc.Text()}:
			case <-ctx.Done():
				return
			}
		}
		var err error
		switch e := sc.Err(); {
		case errors.Is(e, bufio.ErrTooLong):
			err = towndesk.Errorf(towndesk.EINVALID, "输入的一行太长：每行最多 %d 字节（1 MiB）", towndesk.MaxLineBytes)
		case e != nil:
			err = towndesk.Errorf(towndesk.EINVALID, "读取输入失败：%v", e)
		default:
			return
		}
		select {
		case out <- Line{Err: err}:
		case <-ctx.Done():
		}
	}()
	return out
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
)

// The command line is described by one table of commands (main.go), each
// with its flags; towndesk parses the flags itself, so that every
// message and every usage text is Chinese, and flags may come before or
// after the positional arguments ("request move 2026-0001 done --result
// 已办结"). -- ends the flags.

// command is one command of towndesk, or a subcommand of one.
type command struct {
	name string
	// args names the positional arguments for the usage line ("问题");
	// "" when there are none.
	args string
	// help says what the command does, in one line.
	help string
	// setup registers the command's flags on fs and returns its work,
	// which reads them; nil for a command made of subcommands.
	setup func(m *Main, fs *flagSet) runFunc
	// subs are the subcommands (towndesk request new …).
	subs []command
	// note is printed after the flags in the command's usage.
	note string
}

// runFunc does a command's work with its positional arguments.
type runFunc func(ctx context.Context, args []string) error

// errUsage marks a command-line mistake: the message and how to get the
// command's usage are printed, and the exit status is 2.
var errUsage = errors.New("usage")

// errHelp asks for a command's usage (-h, --help): printed on stdout,
// exit status 0.
var errHelp = errors.New("help")

// usagef returns a usage error with a Chinese explanation.
func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// flagSet is a command's flags.
type flagSet struct {
	flags []*flagDef
}

// flagDef is one flag: --name ARG, or a switch (--name) when arg is "".
type flagDef struct {
	name, arg, usage, def string
	set                   func(string) error
	// required, if not "", is the message when the flag is not given.
	required string
	given    bool
}

func (fs *flagSet) add(f *flagDef) { fs.flags = append(fs.flags, f) }

// StringVar defines --name ARG, stored in p, def by default.
func (fs *flagSet) StringVar(p *string, name, def, arg, usage string) {
	*p = def
	fs.add(&flagDef{name: name, arg: arg, usage: usage, def: def, set: func(s string) error { *p = s; return nil }})
}

// String defines --name ARG and returns where its value is stored.
func (fs *flagSet) String(name, def, arg, usage string) *string {
	p := new(string)
	fs.StringVar(p, name, def, arg, usage)
	return p
}

// BoolVar defines the switch --name, stored in p, def by default.
// --name=false turns it off.
func (fs *flagSet) BoolVar(p *bool, name string, def bool, usage string) {
	*p = def
	d := ""
	if def {
		d = "是"
	}
	fs.add(&flagDef{name: name, usage: usage, def: d, set: func(s string) error {
		v, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("应为 true 或 false")
		}
		*p = v
		return nil
	}})
}

// Bool defines the switch --name and returns where its value is stored.
func (fs *flagSet) Bool(name string, def bool, usage string) *bool {
	p := new(bool)
	fs.BoolVar(p, name, def, usage)
	return p
}

// Int defines --name N, a whole number, and returns where it is stored.
func (fs *flagSet) Int(name string, def int, arg, usage string) *int {
	p := new(int)
	*p = def
	fs.add(&flagDef{name: name, arg: arg, usage: usage, def: strconv.Itoa(def), set: func(s string) error {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("不是整数")
		}
		*p = v
		return nil
	}})
	return p
}

// require makes --name required: parse fails with message without it.
func (fs *flagSet) require(name, message string) {
	fs.lookup(name).required = message
}

func (fs *flagSet) lookup(name string) *flagDef {
	for _, f := range fs.flags {
		if f.name == name {
			return f
		}
	}
	return nil
}

// parse sets the flags found in args and returns the other arguments, in
// order. It returns errHelp for -h or --help, and a usage error naming
// the flag for an unknown flag (with the closest known one), a missing
// value, a value of the wrong kind or a required flag not given.
func (fs *flagSet) parse(args []string) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(pos, args[i+1:]...), nil
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return nil, errHelp
		}
		f := fs.lookup(name)
		if f == nil {
			var names []string
			for _, f := range fs.flags {
				names = append(names, "--"+f.name)
			}
			return nil, usagef("未知选项 %s。%s", a, towndesk.DidYouMean("--"+name, names))
		}
		switch {
		case f.arg == "" && !hasVal:
			val = "true"
		case !hasVal && i+1 == len(args):
			return nil, usagef("选项 --%s 需要一个值（%s）", name, f.arg)
		case !hasVal:
			i++
			val = args[i]
		}
		if err := f.set(val); err != nil {
			return nil, usagef("选项 --%s 的值“%s”%v", name, val, err)
		}
		f.given = true
	}
	for _, f := range fs.flags {
		if f.required != "" && !f.given {
			return nil, usagef("%s", f.required)
		}
	}
	return pos, nil
}

// writeUsage writes the flags, one a line, with their defaults.
func (fs *flagSet) writeUsage(w io.Writer) {
	if len(fs.flags) == 0 {
		return
	}
	width := 0
	heads := make([]string, len(fs.flags))
	for i, f := range fs.flags {
		heads[i] = "--" + f.name
		if f.arg != "" {
			heads[i] += " " + f.arg
		}
		width = max(width, displayWidth(heads[i]))
	}
	fmt.Fprintln(w, "\n选项：")
	for i, f := range fs.flags {
		usage := f.usage
		if f.def != "" {
			if u, ok := strings.CutSuffix(usage, "）"); ok {
				usage = u + "；默认 " + f.def + "）"
			} else {
				usage += "（默认 " + f.def + "）"
			}
		}
		line := "  " + heads[i] + strings.Repeat(" ", width-displayWidth(heads[i])+2) + usage
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "  -h, --help"+strings.Repeat(" ", max(width-displayWidth("-h, --help"), 0)+2)+"显示本说明")
}

// displayWidth counts a Chinese character as two columns, as terminals
// show it.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x1100 {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// usageLine is the command's usage: towndesk request move [选项] 代办编号 新状态.
func usageLine(path string, c command) string {
	if len(c.subs) > 0 {
		return fmt.Sprintf("towndesk %s 子命令 [选项] …", path)
	}
	line := "towndesk " + path + " [选项]"
	if c.args != "" {
		line += " " + c.args
	}
	return line
}

// writeCommandUsage writes a command's usage in Chinese: what it does,
// how to call it and its flags, or its subcommands.
func (m *Main) writeCommandUsage(w io.Writer, path string, c command) {
	fmt.Fprintf(w, "towndesk %s — %s\n\n用法：%s\n", path, c.help, usageLine(path, c))
	if len(c.subs) > 0 {
		fmt.Fprintln(w, "\n子命令：")
		writeCommandList(w, c.subs)
		fmt.Fprintf(w, "\n“towndesk help %s 子命令”或“towndesk %s 子命令 --help”显示子命令的用法。\n", path, path)
		return
	}
	fs := &flagSet{}
	c.setup(m, fs)
	fs.writeUsage(w)
	if c.note != "" {
		fmt.Fprintf(w, "\n%s\n", c.note)
	}
}

// writeCommandList writes one line per command: its name and what it does.
func writeCommandList(w io.Writer, cmds []command) {
	width := 0
	for _, c := range cmds {
		width = max(width, utf8.RuneCountInString(c.name))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.help)
	}
}

// findCommand returns the command named name among cmds; with false and a
// usage error suggesting the closest name when there is none.
func findCommand(cmds []command, name, what string) (command, error) {
	names := make([]string, len(cmds))
	for i, c := range cmds {
		if c.name == name {
			return c, nil
		}
		names[i] = c.name
	}
	return command{}, usagef("未知%s“%s”。%s", what, name, towndesk.DidYouMean(name, names))
}

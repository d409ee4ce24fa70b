package main

import (
	"context"

	"github.com/towndesk/towndesk/bot"
)

func (m *Main) runChat(ctx context.Context, args []string) error {
	fs := m.newFlagSet("chat")
	data := m.dataFlag(fs)
	cfgPath := fs.String("config", m.Getenv("TOWNDESK_CONFIG"), "configuration file (env TOWNDESK_CONFIG)")
	town := fs.String("town", "", "default town, as a channel's place")
	county := fs.String("county", "", "default county, as a channel's place")
	user := fs.String("user", m.env("TOWNDESK_USER", m.env("USER", "console")), "who is at the console (env TOWNDESK_USER)")
	noSample := m.noSampleFlag(fs)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("chat 从标准输入读取问题，不接受参数")
	}
	env, err := m.openChat(ctx, *data, *cfgPath, *noSample)
	if err != nil {
		return err
	}
	defer env.Close()
	c := &bot.Console{Chat: env.chat, In: m.Stdin, Out: m.Stdout, User: *user, Town: *town, County: *county}
	return c.Run(ctx)
}

package main

import (
	"context"

	"github.com/towndesk/towndesk/bot/console"
)

func (m *Main) chatCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	cfgPath := m.configFlag(fs)
	town := fs.String("town", "", "乡镇", "默认乡镇，如同频道配置的地点")
	county := fs.String("county", "", "县", "默认县（市、区），如同频道配置的地点")
	user := fs.String("user", m.env("TOWNDESK_USER", m.env("USER", "console")), "姓名", "控制台前的人（环境变量 TOWNDESK_USER）")
	noSample := m.noSampleFlag(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usagef("chat 从标准输入读取问题，不接受参数")
		}
		env, err := m.openChat(ctx, *data, *cfgPath, *noSample)
		if err != nil {
			return err
		}
		defer env.Close()
		c := &console.Session{Chat: env.chat, In: m.Stdin, Out: m.Stdout, User: *user, Town: *town, County: *county}
		return c.Run(ctx)
	}
}

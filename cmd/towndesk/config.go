package main

import (
	"fmt"
	"maps"
	"slices"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot"
	"github.com/towndesk/towndesk/config"
	"github.com/towndesk/towndesk/gazetteer"
)

// The configuration is checked in two places only: config.Load checks
// everything that needs no gazetteer (IDs, schedules with the cron
// library's parser, time zones, scopes that need a channel's place), and
// wire checks the places against the gazetteer and resolves them. A bad
// setting stops the command, named as it is written in the file.

// setup is the configuration wired to real places.
type setup struct {
	cfg config.Config
	gaz *gazetteer.Gazetteer
	// deskCounty is the desk's county when all desk channels are in one
	// county; zero otherwise.
	deskCounty towndesk.Place
	// summaries are the configured weekly summaries with their zones and
	// scopes resolved.
	summaries []bot.SummaryEntry
}

// configFlag registers --config on fs and returns the pointer to its value.
func (m *Main) configFlag(fs *flagSet) *string {
	return fs.String("config", m.Getenv("TOWNDESK_CONFIG"), "文件", "配置文件（环境变量 TOWNDESK_CONFIG）")
}

// loadConfig reads the --config file, or returns the defaults without one.
func (m *Main) loadConfig(path string) (config.Config, error) {
	if path == "" {
		return config.Default(), nil
	}
	c, err := config.LoadFile(path, m.Getenv)
	if err != nil {
		return config.Config{}, towndesk.Errorf(towndesk.EINVALID, "配置有误：%v", err)
	}
	return c, nil
}

// wire resolves the configured places (channels, desk.channels) and the
// summaries' scopes and zones with the run's gazetteer. It returns an
// EINVALID error naming the first bad setting, in file order.
func (m *Main) wire(cfg config.Config) (*setup, error) {
	gaz, err := m.gazetteer()
	if err != nil {
		return nil, err
	}
	s := &setup{cfg: cfg, gaz: gaz}
	if _, err := resolvePlaces(gaz, "channels", cfg.Channels); err != nil {
		return nil, err
	}
	desks, err := resolvePlaces(gaz, "desk.channels", cfg.Desk.Channels)
	if err != nil {
		return nil, err
	}
	if len(desks) > 0 && !slices.ContainsFunc(desks, func(p towndesk.Place) bool { return p.CountyCode != desks[0].CountyCode }) {
		s.deskCounty = desks[0].CountyPlace()
	}
	for i, sum := range cfg.Summaries {
		name := fmt.Sprintf("summaries[%d]", i)
		loc, err := sum.Zone()
		if err != nil {
			return nil, towndesk.Errorf(towndesk.EINVALID, "配置有误：%s.timezone：%v", name, err)
		}
		scope, err := resolveScope(gaz, cfg, sum.Channel, sum.Scope)
		if err != nil {
			return nil, towndesk.Errorf(towndesk.EINVALID, "配置有误：%s.scope：%s", name, towndesk.ErrorMessage(err))
		}
		s.summaries = append(s.summaries, bot.SummaryEntry{Name: name, Channel: sum.Channel, Schedule: sum.ScheduleSpec(), Location: loc, Scope: scope})
	}
	return s, nil
}

// resolvePlaces resolves the places of a section of channels, in channel
// order, naming the setting of the first that is not one real place.
func resolvePlaces(gaz *gazetteer.Gazetteer, section string, places map[string]config.Place) ([]towndesk.Place, error) {
	var out []towndesk.Place
	for _, ch := range slices.Sorted(maps.Keys(places)) {
		p := places[ch]
		r := gaz.ResolveParts(p.Province, p.County, p.Town)
		if err := r.Err(); err != nil {
			return nil, towndesk.Errorf(towndesk.EINVALID, "配置有误：%s.%s.%s：%s", section, ch, r.Level, towndesk.ErrorMessage(err))
		}
		out = append(out, r.Place)
	}
	return out, nil
}

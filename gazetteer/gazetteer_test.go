package gazetteer

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/towndesk/towndesk"
)

func loadGazetteer(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Load()
	if err != nil {
		t.Fatalf("Load() error: %v", err)
	}
	return g
}

// wantError checks that err is a *towndesk.Error with code whose message
// contains every one of parts.
func wantError(t *testing.T, call string, err error, code string, parts ...string) {
	t.Helper()
	if got := towndesk.ErrorCode(err); got != code {
		t.Errorf("%s error = %v, want code %s", call, err, code)
		return
	}
	msg := towndesk.ErrorMessage(err)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("%s message = %q, want it to contain %q", call, msg, p)
		}
	}
}

func TestLoadCounts(t *testing.T) {
	g := loadGazetteer(t)
	if got, want := len(g.provinces), 31; got != want {
		t.Errorf("provinces = %d, want %d", got, want)
	}
	if got, want := len(g.Counties()), 2978; got != want {
		t.Errorf("len(Counties()) = %d, want %d", got, want)
	}
	towns := 0
	g.eachTown(func(int32, gzTown) { towns++ })
	if got, want := towns, 41352; got != want {
		t.Errorf("towns = %d, want %d", got, want)
	}
}

// TestEmbeddedTowns checks every line of the embedded towns, which Load
// leaves unread until a county's towns are asked for.
func TestEmbeddedTowns(t *testing.T) {
	if _, err := parseGazetteer(provincesCSV, citiesCSV, areasCSV, streetsCSV, true); err != nil {
		t.Fatalf("parseGazetteer(embedded) error: %v", err)
	}
}

// TestTownsFoundInPlace: every town, read by its code and among its
// county's towns by binary search, is the town its line says, and every
// county's towns are exactly the lines of that county.
func TestTownsFoundInPlace(t *testing.T) {
	g := loadGazetteer(t)
	byCounty := map[string][]string{}
	g.eachTown(func(at int32, tw gzTown) {
		c := g.counties[tw.county].code
		byCounty[c] = append(byCounty[c], tw.code)
		if p, ok := g.Town(tw.code); !ok || p.TownCode != tw.code || p.Town != tw.name || p.CountyCode != c {
			t.Errorf("Town(%s) = %v, %v; want %s in %s", tw.code, p, ok, tw.name, c)
		}
	})
	for _, c := range g.Counties() {
		var got []string
		for _, p := range g.TownsOf(c.CountyCode) {
			got = append(got, p.TownCode)
		}
		if !slices.Equal(got, byCounty[c.CountyCode]) {
			t.Errorf("TownsOf(%s) = %d towns, want %d", c.CountyCode, len(got), len(byCounty[c.CountyCode]))
		}
	}
	for _, code := range []string{"", "1", "110101000", "659012999", "999999999", "0"} {
		if p, ok := g.Town(code); ok {
			t.Errorf("Town(%q) = %v, true; want false", code, p)
		}
	}
}

func TestLoadIndependent(t *testing.T) {
	g1, g2 := loadGazetteer(t), loadGazetteer(t)
	delete(g1.countyShort, "滕州")
	g1.counties[0].name = "改掉"
	if _, err := g2.ResolveCounty("滕州", ""); err != nil {
		t.Errorf("second Gazetteer ResolveCounty(滕州) after changing the first: %v", err)
	}
	if p, _ := g2.County(g2.counties[0].code); p.County == "改掉" {
		t.Errorf("second Gazetteer County(%s) = %v, shares data with the first", g2.counties[0].code, p)
	}
}

func TestResolveCounty(t *testing.T) {
	g := loadGazetteer(t)
	tengzhou := towndesk.Place{Province: "山东省", City: "枣庄市", County: "滕州市", CountyCode: "370481"}
	tests := []struct {
		name     string
		county   string
		province string
		want     towndesk.Place
	}{
		{"short", "滕州", "", tengzhou},
		{"full", "滕州市", "", tengzhou},
		{"province prefix", "山东省滕州市", "", tengzhou},
		{"short province prefix", "山东滕州", "", tengzhou},
		{"city prefix", "枣庄市滕州市", "", tengzhou},
		{"province and city prefix", "山东省枣庄市滕州市", "", tengzhou},
		{"wrong suffix", "滕州县", "", tengzhou},
		{"spaces", " 滕州 ", "山东省", tengzhou},
		{"province filter short", "滕州", "山东", tengzhou},
		{"municipality has no city", "蓟州区", "", towndesk.Place{Province: "天津市", County: "蓟州区", CountyCode: "120119"}},
		{"municipality short", "蓟州", "天津", towndesk.Place{Province: "天津市", County: "蓟州区", CountyCode: "120119"}},
		{"chongqing county", "沙坪坝区", "", towndesk.Place{Province: "重庆市", County: "沙坪坝区", CountyCode: "500106"}},
		{"yiwu", "义乌", "", towndesk.Place{Province: "浙江省", City: "金华市", County: "义乌市", CountyCode: "330782"}},
		{"province-administered", "济源市", "", towndesk.Place{Province: "河南省", County: "济源市", CountyCode: "419001"}},
		{"gulou in fujian", "鼓楼区", "福建", towndesk.Place{Province: "福建省", City: "福州市", County: "鼓楼区", CountyCode: "350102"}},
		{"gulou by city prefix", "南京市鼓楼区", "", towndesk.Place{Province: "江苏省", City: "南京市", County: "鼓楼区", CountyCode: "320106"}},
		{"gulou by short city prefix", "南京鼓楼", "", towndesk.Place{Province: "江苏省", City: "南京市", County: "鼓楼区", CountyCode: "320106"}},
		{"gulou by city filter", "鼓楼区", "南京", towndesk.Place{Province: "江苏省", City: "南京市", County: "鼓楼区", CountyCode: "320106"}},
		{"full name beats short", "朝阳县", "", towndesk.Place{Province: "辽宁省", City: "朝阳市", County: "朝阳县", CountyCode: "211321"}},
		{"short in one province", "朝阳", "辽宁", towndesk.Place{Province: "辽宁省", City: "朝阳市", County: "朝阳县", CountyCode: "211321"}},
		{"beijing chaoyang", "北京朝阳", "", towndesk.Place{Province: "北京市", County: "朝阳区", CountyCode: "110105"}},
		{"autonomous county short", "长阳", "", towndesk.Place{Province: "湖北省", City: "宜昌市", County: "长阳土家族自治县", CountyCode: "420528"}},
		{"banner", "鄂伦春自治旗", "", towndesk.Place{Province: "内蒙古自治区", City: "呼伦贝尔市", County: "鄂伦春自治旗", CountyCode: "150723"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := g.ResolveCounty(tt.county, tt.province)
			if err != nil {
				t.Fatalf("ResolveCounty(%q, %q) error: %v", tt.county, tt.province, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ResolveCounty(%q, %q) mismatch (-want +got):\n%s", tt.county, tt.province, diff)
			}
		})
	}
}

func TestResolveCountyErrors(t *testing.T) {
	g := loadGazetteer(t)
	tests := []struct {
		name     string
		county   string
		province string
		code     string
		parts    []string
	}{
		{"ambiguous across provinces", "鼓楼区", "", towndesk.EINVALID,
			[]string{"江苏省南京市鼓楼区", "江苏省徐州市鼓楼区", "福建省福州市鼓楼区", "河南省开封市鼓楼区"}},
		// 江苏 has two: 南京's and 徐州's. The message says how to tell them apart.
		{"ambiguous inside province", "鼓楼区", "江苏", towndesk.EINVALID,
			[]string{"江苏省南京市鼓楼区", "江苏省徐州市鼓楼区", "南京市鼓楼区"}},
		{"full name ambiguous", "朝阳区", "", towndesk.EINVALID, []string{"北京市朝阳区", "吉林省长春市朝阳区"}},
		{"short matches district and county", "朝阳", "", towndesk.EINVALID,
			[]string{"北京市朝阳区", "吉林省长春市朝阳区", "辽宁省朝阳市朝阳县"}},
		{"misspelt", "滕洲市", "", towndesk.ENOTFOUND, []string{"滕州市（山东省）"}},
		{"misspelt short", "滕洲", "", towndesk.ENOTFOUND, []string{"滕州市（山东省）"}},
		{"misspelt with province", "山东滕洲", "", towndesk.ENOTFOUND, []string{"滕州市（山东省）"}},
		{"wrong province", "滕州", "江苏", towndesk.ENOTFOUND, []string{"江苏省没有", "山东省枣庄市滕州市"}},
		{"unknown province", "滕州", "山车", towndesk.EINVALID, []string{"山车"}},
		{"nothing close", "嗯嗯嗯", "", towndesk.ENOTFOUND, []string{"嗯嗯嗯"}},
		{"empty", " ", "", towndesk.EINVALID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := g.ResolveCounty(tt.county, tt.province)
			if err == nil {
				t.Fatalf("ResolveCounty(%q, %q) = %v, want error %s", tt.county, tt.province, got, tt.code)
			}
			wantError(t, "ResolveCounty("+tt.county+", "+tt.province+")", err, tt.code, tt.parts...)
		})
	}
}

func TestResolveCountyMisspeltSuggestsAtMostFive(t *testing.T) {
	g := loadGazetteer(t)
	_, err := g.ResolveCounty("江山湖区", "")
	msg := towndesk.ErrorMessage(err)
	if n := strings.Count(msg, "、") + 1; towndesk.ErrorCode(err) != towndesk.ENOTFOUND || n > 5 {
		t.Errorf("ResolveCounty(江山湖区) = %q (%d names), want ENOTFOUND naming at most 5", msg, n)
	}
}

// Every county is found by its full name within its province, unless the
// province has two of that name; then the city prefix finds it.
func TestResolveCountyEveryCounty(t *testing.T) {
	g := loadGazetteer(t)
	for _, c := range g.Counties() {
		got, err := g.ResolveCounty(c.County, c.Province)
		switch {
		case err == nil && got != c:
			t.Errorf("ResolveCounty(%q, %q) = %v, want %v", c.County, c.Province, got, c)
		case err != nil && towndesk.ErrorCode(err) != towndesk.EINVALID:
			t.Errorf("ResolveCounty(%q, %q) error: %v", c.County, c.Province, err)
		case err != nil:
			if got, err := g.ResolveCounty(c.City+c.County, ""); err != nil || got != c {
				t.Errorf("ResolveCounty(%q, \"\") = %v, %v, want %v", c.City+c.County, got, err, c)
			}
		}
	}
}

func TestResolveTown(t *testing.T) {
	g := loadGazetteer(t)
	tengzhou, _ := g.County("370481")
	shapingba, _ := g.County("500106")
	binhu := towndesk.Place{Province: "山东省", City: "枣庄市", County: "滕州市", CountyCode: "370481", Town: "滨湖镇", TownCode: "370481104"}
	ciqikou := towndesk.Place{Province: "重庆市", County: "沙坪坝区", CountyCode: "500106", Town: "磁器口街道", TownCode: "500106004"}
	tests := []struct {
		name   string
		county towndesk.Place
		town   string
		want   towndesk.Place
	}{
		{"short", tengzhou, "滨湖", binhu},
		{"full", tengzhou, "滨湖镇", binhu},
		{"county prefix", tengzhou, "滕州滨湖", binhu},
		{"full prefix", tengzhou, "山东省枣庄市滕州市滨湖镇", binhu},
		{"wrong suffix", tengzhou, "滨湖乡", binhu},
		{"street short", shapingba, "磁器口", ciqikou},
		{"street full", shapingba, "磁器口街道", ciqikou},
		{"county given by code only", towndesk.Place{CountyCode: "500106"}, "磁器口", ciqikou},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Through Resolve's structure: the same lookup.
			r := g.resolveTown(tt.county, tt.town)
			if r.Reason != Resolved {
				t.Fatalf("ResolveTown(%v, %q) error: %v", tt.county, tt.town, r.Err())
			}
			got := r.Place
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ResolveTown(%v, %q) mismatch (-want +got):\n%s", tt.county, tt.town, diff)
			}
			if !strings.HasPrefix(got.TownCode, got.CountyCode) {
				t.Errorf("ResolveTown(%v, %q).TownCode = %s, not inside county %s", tt.county, tt.town, got.TownCode, got.CountyCode)
			}
		})
	}
}

func TestResolveTownErrors(t *testing.T) {
	g := loadGazetteer(t)
	tengzhou, _ := g.County("370481")
	shapingba, _ := g.County("500106")
	tests := []struct {
		name   string
		county towndesk.Place
		town   string
		code   string
		parts  []string
	}{
		{"misspelt", tengzhou, "滨胡镇", towndesk.ENOTFOUND, []string{"滨湖镇"}},
		{"misspelt short", tengzhou, "滨胡", towndesk.ENOTFOUND, []string{"滨湖镇"}},
		{"misspelt street", shapingba, "瓷器口", towndesk.ENOTFOUND, []string{"磁器口街道"}},
		{"town of another county", tengzhou, "磁器口", towndesk.ENOTFOUND, []string{"滕州市"}},
		{"no county", towndesk.Place{}, "滨湖", towndesk.EINVALID, nil},
		{"unknown county", towndesk.Place{CountyCode: "999999"}, "滨湖", towndesk.ENOTFOUND, []string{"999999"}},
		{"empty", tengzhou, "", towndesk.EINVALID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := g.ResolveTown(tt.county, tt.town)
			if err == nil {
				t.Fatalf("ResolveTown(%v, %q) = %v, want error %s", tt.county, tt.town, got, tt.code)
			}
			wantError(t, "ResolveTown("+tt.town+")", err, tt.code, tt.parts...)
		})
	}
}

// Every town is found by its full name in its county; a short name shared by
// several towns of one county (城关镇 and 城关乡) is refused, never guessed.
func TestResolveTownEveryTown(t *testing.T) {
	g := loadGazetteer(t)
	clashes := 0
	for _, c := range g.Counties() {
		towns := g.TownsOf(c.CountyCode)
		byShort := map[string][]towndesk.Place{}
		for _, tw := range towns {
			got, err := g.ResolveTown(c, tw.Town)
			if err != nil || got != tw {
				t.Errorf("ResolveTown(%s, %q) = %v, %v, want %v", c.County, tw.Town, got, err, tw)
			}
			byShort[ShortName(tw.Town)] = append(byShort[ShortName(tw.Town)], tw)
		}
		for short, ts := range byShort {
			got, err := g.ResolveTown(c, short)
			switch {
			case hasTown(towns, short): // the full-name match wins
				if err != nil || got.Town != short {
					t.Errorf("ResolveTown(%s, %q) = %v, %v, want the town named %s", c.County, short, got, err, short)
				}
			case len(ts) == 1:
				if err != nil || got != ts[0] {
					t.Errorf("ResolveTown(%s, %q) = %v, %v, want %v", c.County, short, got, err, ts[0])
				}
			default:
				clashes++
				if towndesk.ErrorCode(err) != towndesk.EINVALID {
					t.Errorf("ResolveTown(%s, %q) = %v, %v, want EINVALID: %d towns share it", c.County, short, got, err, len(ts))
				} else if clashes <= 5 {
					t.Logf("ResolveTown(%s, %q): %s", c.County, short, towndesk.ErrorMessage(err))
				}
			}
		}
	}
	t.Logf("%d short names are shared by several towns of one county", clashes)
}

func hasTown(towns []towndesk.Place, name string) bool {
	for _, t := range towns {
		if t.Town == name {
			return true
		}
	}
	return false
}

// The national list has no county with two towns of the same name, so this
// builds one to check that ResolveTown refuses to choose.
func TestResolveTownDuplicateNames(t *testing.T) {
	g, err := parseGazetteer(
		"code,name\n37,\"山东省\"\n",
		"code,name,provinceCode\n3704,\"枣庄市\",37\n",
		"code,name,cityCode,provinceCode\n370481,\"滕州市\",3704,37\n",
		"code,name,areaCode,provinceCode,cityCode\n"+
			"370481104,\"滨湖镇\",370481,37,3704\n"+
			"370481105,\"滨湖镇\",370481,37,3704\n"+
			"370481106,\"滨湖街道\",370481,37,3704\n",
		true,
	)
	if err != nil {
		t.Fatalf("parseGazetteer() error: %v", err)
	}
	county, _ := g.County("370481")
	for _, name := range []string{"滨湖镇", "滨湖"} {
		got, err := g.ResolveTown(county, name)
		if err == nil {
			t.Errorf("ResolveTown(滕州市, %q) = %v, want EINVALID", name, got)
			continue
		}
		wantError(t, "ResolveTown(滕州市, "+name+")", err, towndesk.EINVALID, "滨湖镇")
	}
	got, err := g.ResolveTown(county, "滨湖街道")
	if err != nil || got.TownCode != "370481106" {
		t.Errorf("ResolveTown(滕州市, 滨湖街道) = %v, %v, want 370481106", got, err)
	}
}

func TestParseGazetteerRejectsBadData(t *testing.T) {
	const (
		prov = "code,name\n37,\"山东省\"\n"
		city = "code,name,provinceCode\n3704,\"枣庄市\",37\n"
		area = "code,name,cityCode,provinceCode\n370481,\"滕州市\",3704,37\n"
	)
	tests := []struct {
		name                      string
		prov, city, area, streets string
	}{
		{"unknown province", "code,name\n37,\"山东省\"\n", "code,name,provinceCode\n3704,\"枣庄市\",99\n", "h\n", "h\n"},
		{"missing field", "code,name\n37\n", "h\n", "h\n", "h\n"},
		{"unterminated quote", "code,name\n37,\"山东省\n", "h\n", "h\n", "h\n"},
		{"codes not ascending", "code,name\n37,\"山东省\"\n36,\"江西省\"\n", "h\n", "h\n", "h\n"},
		{"town of an unknown county", prov, city, area, "h\n370482001,\"某镇\",370482,37,3704\n"},
		{"town code outside its county's", prov, city, area, "h\n370482001,\"某镇\",370481,37,3704\n"},
		{"towns not ascending", prov, city, area, "h\n370481002,\"某镇\",370481,37,3704\n370481001,\"某乡\",370481,37,3704\n"},
		{"town missing a field", prov, city, area, "h\n370481001,\"某镇\",370481,37\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseGazetteer(tt.prov, tt.city, tt.area, tt.streets, true); err == nil {
				t.Errorf("parseGazetteer(%s) error = nil, want an error", tt.name)
			}
		})
	}
}

func TestCountyTownLookups(t *testing.T) {
	g := loadGazetteer(t)
	if got, ok := g.County("370481"); !ok || got.County != "滕州市" {
		t.Errorf("County(370481) = %v, %v, want 滕州市", got, ok)
	}
	if got, ok := g.County("999999"); ok {
		t.Errorf("County(999999) = %v, true, want false", got)
	}
	want := towndesk.Place{Province: "山东省", City: "枣庄市", County: "滕州市", CountyCode: "370481", Town: "滨湖镇", TownCode: "370481104"}
	if got, ok := g.Town("370481104"); !ok || got != want {
		t.Errorf("Town(370481104) = %v, %v, want %v", got, ok, want)
	}
	if got, ok := g.Town("370481999"); ok {
		t.Errorf("Town(370481999) = %v, true, want false", got)
	}
	towns := g.TownsOf("370481")
	if len(towns) < 10 || !hasTown(towns, "滨湖镇") {
		t.Errorf("TownsOf(370481) = %d towns, want 滕州市's towns including 滨湖镇", len(towns))
	}
	for _, tw := range towns {
		if tw.CountyCode != "370481" || !strings.HasPrefix(tw.TownCode, "370481") {
			t.Errorf("TownsOf(370481) includes %v", tw)
		}
	}
	if got := g.TownsOf("999999"); got != nil {
		t.Errorf("TownsOf(999999) = %v, want nil", got)
	}
}

func TestShortName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"town", "滨湖镇", "滨湖"},
		{"street", "磁器口街道", "磁器口"},
		{"street office", "东华门街道办事处", "东华门"},
		{"county-level city", "滕州市", "滕州"},
		{"district", "蓟州区", "蓟州"},
		{"county", "沛县", "沛县"},
		{"banner", "正蓝旗", "正蓝"},
		{"sumu", "巴音查干苏木", "巴音查干"},
		{"township", "佛堂乡", "佛堂"},
		{"ethnic township", "大庙满族蒙古族乡", "大庙"},
		{"hui township", "单庄回族乡", "单庄"},
		{"minzu township", "金坪民族乡", "金坪"},
		{"ethnic minzu township", "扎兰屯鄂温克民族乡", "扎兰屯"},
		{"autonomous county", "长阳土家族自治县", "长阳"},
		{"autonomous banner named for the group", "鄂伦春自治旗", "鄂伦春"},
		{"too short to strip", "城区", "城区"},
		{"ethnic too short to strip", "鄂温克族自治旗", "鄂温克族"},
		{"no suffix", "西沙群岛", "西沙群岛"},
		{"only one suffix", "市中区", "市中"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShortName(tt.in); got != tt.want {
				t.Errorf("ShortName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveCounty(b *testing.B) {
	g := loadGazetteer(b)
	for b.Loop() {
		if _, err := g.ResolveCounty("山东滕州", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveCountyMisspelt(b *testing.B) {
	g := loadGazetteer(b)
	for b.Loop() {
		g.ResolveCounty("滕洲市", "")
	}
}

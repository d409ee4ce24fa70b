package lexicon

import "testing"

// TestReaders checks the readers of questions and item names that answer
// yes or no of a text.
func TestReaders(t *testing.T) {
	tests := []struct {
		name  string
		read  func(string) bool
		cases map[string]bool
	}{
		{"IsQuantity", IsQuantity, map[string]bool{
			"三": true, "十几": true, "几十根": true, "两层": true, "20株": true, "半年": true, "米": true, "３亩": true,
			"秸秆": false, "三无": false, "米线": false, "层层": false, "": false, "几十根树": false,
		}},
		{"LacksApproval", LacksApproval, map[string]bool{
			"对未取得食品生产经营许可从事食品生产经营活动的处罚":    true,
			"对无木材运输证运输木材的处罚":               true,
			"对未经批准擅自在街道两侧堆放物料的处罚":          true,
			"对擅自占用城市道路摆摊设点的处罚":             false,
			"对食品生产经营者未按规定建立并遵守进货查验记录制度的处罚": false,
		}},
		{"NegatedApproval", func(q string) bool { return MissingApproval(q) || ExceededApproval(q) }, map[string]bool{
			"没批就盖了两层":          true,
			"没有办乡村建设规划许可证":     true,
			"乡村规划许可证没办就开槽了":    true, // the approval first, then that it was not had
			"宅基地批文也没有，房子就盖起来了": true,
			"比规划许可证批的多盖了两层":    true, // an approval exceeded is a violation too
			"房子超出批准的面积一大块":     true,
			"不按许可证规定的时间施工":     true,
			"比邻居家多盖了一层":        false,
			"许可证办好了，去哪备案":      false,
			"要办什么证，去哪办":        false,
			"规划许可证，没人管":        false, // another clause
			"有人私自在河边盖房":        true,  // 擅自 or 私自 is doing without leave
		}},
		{"ObstructsInspection", ObstructsInspection, map[string]bool{
			"有企业不让安监进门检查，谁处理":                true,
			"应急局的同志去检查，被拦在门外不让进":             true,
			"执法队来查，老板锁门不让进":                  true,
			"环保局巡查，厂里拒不让查":                   true,
			"安监的同志去厂里检查，老板把大门一锁就是不让进，还叫人堵门口": true,
			"林业局的人去检查林子，承包户堵着路不让进":           true,
			"安监去检查，老板不让进货车卸货":                false, // 进 goes on: 进货
			"安监去检查，老板就是不让进嘛":                 true,
			"安监去检查，老板就是不让进谁管":                true,
			"小区门口有人堵着门不让车进，城管巡查也不管":          false, // a car kept out
			"小区物业不让外卖车进门":                    false, // no inspection
			"检查发现灭火器过期了":                     false, // inspected, not kept out
			"邻居不让我家的狗进他家院子，谁管":               false,
			"有个厂子拒不改正检查发现的问题，谁罚":             false, // inspected, then not corrected
			"企业拒不进行隐患整改，安监部门怎么处罚":            false,
			"网吧不让未成年人进，归谁监管":                 false,
			"村里修路不让大车进，交通执法归谁管":              false,
		}},
		{"OverStandard", OverStandard, map[string]bool{
			"给老人修坟，占了好大一片地，比规定的大多了": true,
			"坟占地比规定超标好几倍":           true,
			"厂子废气超标排放":              true,
			"按规定修了坟":                false,
			"修坟没超标，就是修在了基本农田里":      false,
			"是不是超标了我也不知道，有没有超标谁来测":  false,
			"比规定的少多了":               false,
		}},
		{"NamesOverStandard", NamesOverStandard, map[string]bool{
			"对墓穴占地面积超过规定标准的处罚": true,
			"对超标排放畜禽养殖废弃物的处罚":  true,
			"对将应当火化的遗体土葬的处罚":   false,
		}},
		{"AsksCoercion", AsksCoercion, map[string]bool{
			"违建楼限拆通知下了还不拆，谁来查封强拆": true,
			"过了期限还是不拆，哪个来拆":       true,
			"违建谁来罚，能不能强拆":         false, // a fine is asked about
			"村里修路，谁来拆迁补偿":         false,
			"哪个部门负责拆迁":            false,
			"农村违建到期不拆，哪个部门拆":      true,
			"违建到期了谁来拆掉":           true,
			"归谁拆":                 true,
			"有人把路灯拆了，也不知道谁拆的":     false, // who pulled it down
			"有人乱拆路灯谁管":            false,
			"拆迁补偿找谁":              false,
			"厂里那台没检验的锅炉能扣下来吗，谁扣":  true, // who seizes it
			"有人拉病死猪，车能扣吗，谁扣":      true,
			"能扣他的车吗":              true,
			"工资被扣下来了，找谁":          false,
			"谁扣我工资":               false,
			"村里把我的补贴扣下不发，找谁":      false,
			"老板扣留我身份证":            false,
			"超载的货车扣留归谁":           true,
			"工资被扣下了，找谁":           false, // pay withheld
			"驾照扣分找谁":              false,
			"谁扣的钱":                false,
		}},
		{"OccupiesLand", OccupiesLand, map[string]bool{
			"有个老板没批就占了村里的地建厂房": true,
			"砂石料场没批就占了一大片地":    true,
			"占了村边二十来亩荒坡盖仓库":    true,
			"有人占了我家两分耕地":       true,
			"这堆东西太占地方了":        false, // space
			"物业占了小区绿地改停车场":     false, // a green
			"施工队占了人行道":         false, // a pavement
			"有人占着消防通道不走":       false,
			"有人占了一片草原建厂":       false, // grassland has rows of its own
			"有人占用林地建房":         false, // forest land too
			"有人占着护堤地种庄稼":       false, // and dyke land
			"有人占道摆地摊":          false,
		}},
		{"AsksDuty", AsksDuty, map[string]bool{
			"出了生产事故，应急预案是镇上自己编吗": true,
			"真出了事救援这块镇里负责啥":      true,
			"村口发现几头死猪，谁负责收集处理":   true,
			"防火演练镇政府会不会指导":       true,
			"有人在河边烧秸秆，谁管":        false,
			"镇上能罚吗":              false,
			"谁负责罚":               false,
			"定居的外地人在村里盖房谁管":      false,
			"组织部的人说村里有人乱搭乱建，谁管":  false,
			"噪音扰民谁负责处理":          false,
		}},
		{"DestroysSign", DestroysSign, map[string]bool{
			"有人把基本农田保护标志牌拔了": true,
			"护林标牌遭人拔了拿去搭鸡圈":  true,
			"有人拔咗林区嘅护林宣传牌":   true,
			"邻居把我家菜园的菜拔了":    false,
			"邻居把我家围墙推倒了":     false,
		}},
		{"GraveTooBig", GraveTooBig, map[string]bool{
			"给老人修坟修得老大": true,
			"有人建坟占地太大了": true,
			"房子修得老大":    false,
			"有人在河堤上修坟":  false,
		}},
		{"BelowThreshold", BelowThreshold, map[string]bool{
			"偷砍了三四棵小树，算下来不到半方": true,
			"林业站量了下不到两方":       true,
			"偷砍了集体林十几棵小树苗，量不大": true,
			"砍了一大片，几十方木头":      false,
			"不到一个月就盖起来了":       false,
		}},
		{"NamesBelowThreshold", NamesBelowThreshold, map[string]bool{
			"对盗伐森林或者其他林木不足0.5立方米或者幼树不足20株的处罚": true,
			"对盗伐林木的处罚": false,
		}},
		{"AsksWhereToApply", AsksWhereToApply, map[string]bool{
			"建设工程规划许可证要到啥地方去办":    true,
			"上哪个部门去申请":            true,
			"找哪个部门审批":             true,
			"要去边度批":               true,
			"卖牛要开检疫证明 找哪个":        true,
			"商业楼的建设工程规划许可证找哪个部门？": true,
			"采伐证该找谁办":             true,
			"取水许可证去哪里领":           true,
			"他拿的是假证找谁":            false,
			"有人伪造采伐证找谁":           false,
			"有人倒卖采伐证找谁":           false,
			"采伐证找谁呀":              true,
			"采伐证 找谁":              true,
			"采伐证找哪个部门办理？":         true,
			"镇里能办采伐证吗":            true,
			"采伐证镇上能办吗":            true,
			"想办个养猪场，防疫条件合格证哪个审？":  true,
			"村民起屋嗰个规划证系边个发？":      true,
			"早点铺食品许可证嘛地方办":        true,
			"想在门口搭个临时棚摆货，要啥人同意":   true,
			"他的证是哪个发的":            false,
			"他的证找不到了":             false,
			"他开的证明是假的，谁管":         false,
			"有人去开了假的检疫证明卖猪":       false,
			"得开车去县里证明一下":          false,
			"村民起屋要办规划证，系咪喺镇度办":    true,
			"盖房那个规划许可是在镇上办不":      true,
			"想办个采伐证":              true,
			"没办规划证就盖了，谁管":         false, // a violation
			"他在镇上办事":              false,
			"那个厂是在镇上办的吧，现在污水乱排":   false,
			"老王在镇上办了个砖厂":          false,
			"有人想办法弄了个假证":          false,
			"这个事归哪个部门管":           false,
			"哪里有人烧秸秆":             false,
			"养猪场是哪个部门审批的，现在污染谁管":  false, // who approved, not where to apply
			"违建是哪个部门批的，谁来查处":      false,
			"今年第二批补贴是哪批":          false,
			"老板去哪办事了":             false,
			"有人偷砍树，哪个部门办理":        false,
		}},
		{"ExceedsApproval", ExceedsApproval, map[string]bool{
			"对烟花爆竹生产企业超范围生产等行为的处罚":                true,
			"对未按照安全生产许可证核定的产品种类进行生产的处罚":           true,
			"对临时建筑物超过批准期限不拆除的处罚":                  true,
			"对非法生产、经营烟花爆竹或者向无证单位销售黑火药烟火药引火线行为的处罚": false,
			"对露天焚烧秸秆的处罚":                          false,
			"对未按照规定取得排污许可证排放污染物的处罚":               false, // lacking a licence
			"对排放污染物超出排放标准的处罚":                     false,
		}},
		{"MissingApproval", MissingApproval, map[string]bool{
			"没批就盖了两层":        true,
			"没按审批的面积建":       false, // an approval was had
			"企业没按许可证规定的范围生产": false,
		}},
		{"ExceededApproval", ExceededApproval, map[string]bool{
			"企业没按许可证规定的范围生产": true,
			"办了证但超出经营范围":     true,
			"超范围经营":          true,
			"没批就盖了两层":        false,
		}},
		{"IsSetting", IsSetting, map[string]bool{
			"网吧": true, "河边": true, "超市": true, "棋牌室": true,
			"秸秆": false, "渣土": false, "消防通道": false,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for text, want := range tt.cases {
				if got := tt.read(text); got != want {
					t.Errorf("%s(%q) = %v, want %v", tt.name, text, got, want)
				}
			}
		})
	}
}

// TestRewrites: the functions that rewrite an item name or a question.
// ActName reads an item name up to the act it names; DropDenied drops what
// a question says it is not about, but not a rhetorical question (这不是违建
// 吗), which says it is.
func TestRewrites(t *testing.T) {
	for _, f := range []struct {
		name  string
		fn    func(string) string
		cases map[string]string
	}{
		{"ActName", ActName, map[string]string{
			"非法开垦草原的，责令停止违法行为，限期恢复植被，没收违法所得，并处罚款": "非法开垦草原的",
			"露天焚烧秸秆、落叶的，可以处罚款":                    "露天焚烧秸秆、落叶的",
			"餐饮服务经营者超标排放油烟的,责令改正，处以罚款":            "餐饮服务经营者超标排放油烟的",
			"对露天焚烧秸秆、落叶等产生烟尘污染的物质的处罚":             "对露天焚烧秸秆、落叶等产生烟尘污染的物质的处罚",
			"对违反河道管理规定行为的处罚":                      "对违反河道管理规定行为的处罚",
			"擅自改变草原用途的，由草原行政主管部门责令限期恢复":           "擅自改变草原用途的",
			"挪用专项维修资金的，追回挪用的专项维修资金":               "挪用专项维修资金的",
		}},
		{"DropDenied", DropDenied, map[string]string{
			"在镇区盖厂房，规划证（不是乡村那种）去哪申请": "在镇区盖厂房，规划证（）去哪申请",
			"规划许可证找谁批？城镇那种的，不是农村盖房的": "规划许可证找谁批？城镇那种的，",
			"这不是违建吗，谁管":              "这不是违建吗，谁管",
			"这不是违建的吗？谁管":             "这不是违建的吗？谁管",
			"有人乱搭乱建谁管":               "有人乱搭乱建谁管",
			"村里建房是不是要审批的":            "村里建房是不是要审批的",
			"乱搭乱建是不是镇里管的":            "乱搭乱建是不是镇里管的",
		}},
	} {
		for in, want := range f.cases {
			if got := f.fn(in); got != want {
				t.Errorf("%s(%q) = %q, want %q", f.name, in, got, want)
			}
		}
	}
}

// TestRuralRows: a question set in a village prefers rural rows, but a row
// about villagers (农村村民…建住宅) is no rural row for a question about a
// firm (老板占了村里的地建厂房).
func TestRuralRows(t *testing.T) {
	if !Rural("村里有人乱搭乱建") || !Rural("我们村有户人家") || !Rural("王家村有人乱搭乱建") || Rural("小区里有人乱搭乱建") || Rural("滕州市区有人违建") ||
		Rural("度假村里有人违建") || Rural("城中村里有人违建") || Rural("农村信用社门口有人乱搭乱建") || !Rural("镇区边上的农户建房") || !Rural("村入面有人起屋") || Rural("度假山庄里有人违建") {
		t.Error("Rural: a village is rural, a residential compound or a city is not")
	}
	if !Urban("柴胡店镇区要建个超市") || !Urban("县城里有人违建") || Urban("滨湖镇区域内有人违建") || Urban("村里有人违建") || Urban("镇区周边有人建房") {
		t.Error("Urban: a town proper or a county town is urban, 镇区域 and a village are not")
	}
	tests := []struct {
		name, q string
		want    bool
	}{
		{"对在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设的处罚", "村里有人乱搭乱建", true},
		{"对农村村民未经批准非法占用土地建住宅的处罚", "村民没批就盖房", true},
		{"对农村村民未经批准非法占用土地建住宅的处罚", "有个老板没批就占了村里的地建厂房", false},
		{"对在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设的处罚", "有个老板在村里盖厂房", true},
		{"对未取得建设工程规划许可证进行建设的处罚", "村里有人乱搭乱建", false},
	}
	for _, tt := range tests {
		if got := NamesRural(tt.name, AboutFirm(tt.q)); got != tt.want {
			t.Errorf("NamesRural(%s) for %s = %v, want %v", tt.name, tt.q, got, tt.want)
		}
	}
}

// TestOnlyInOther: a residential compound (小区) is not found in a row on
// breeding compounds (养殖小区), but is in a row that names it apart.
func TestOnlyInOther(t *testing.T) {
	if !OnlyInOther("小区", "对在禁止养殖区域内建设畜禽养殖场、养殖小区的处罚") {
		t.Error("小区 counts inside 养殖小区")
	}
	if OnlyInOther("小区", "对小区内养殖小区的处罚") || OnlyInOther("小区", "对物业管理小区的处罚") || OnlyInOther("河边", "养殖小区") {
		t.Error("OnlyInOther is true where the word stands apart, or for a word with no other meaning")
	}
}

// TestNamesVillagePermit: the rows of the village planning permit are told
// from the town's.
func TestNamesVillagePermit(t *testing.T) {
	if !NamesVillagePermit("乡村建设规划许可证核发") || !NamesVillagePermit("乡村建设规划许可申请受理及审核上报") || NamesVillagePermit("建设工程规划许可证核发") {
		t.Error("NamesVillagePermit tells the village permit's rows wrongly")
	}
}

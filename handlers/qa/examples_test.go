package qa

import (
	"regexp"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
)

// TestReportedExamples asks the questions that were answered confidently
// wrong before the answer engine was rewritten (issue 9). Each must now be
// answered right, or honestly: uncertain (candidates, never phrased as the
// answer) or not found. "Right" is what the lists say of the matter.
func TestReportedExamples(t *testing.T) {
	l := newTestLists(t)
	tests := []struct {
		q      string
		county string
		// right matches the name of an acceptable answer; nil: no row of
		// the sample lists answers the question, so it must not be answered.
		right *regexp.Regexp
		// townActs: an answer must not say the town lacks the power.
		townActs bool
	}{
		{q: "麻烦问一下，官桥镇河边那片树林被人砍了好多棵，归谁管", right: regexp.MustCompile(`伐`)},
		{q: "柴胡店镇有户人家把楼顶加盖了一层，邻居有意见，谁来查？", county: "滕州市", right: regexp.MustCompile(`规划许可证`)},
		{q: "滨湖镇村里有人养的狗没拴绳把人咬了，这事归谁管？"},
		{q: "佛堂镇有人开农家乐，要办什么证，去哪里办？", right: regexp.MustCompile(`食品经营|餐饮.*许可`)},
		{q: "邦均镇村里有人私自拉电线偷电，谁管？"},
		{q: "滨湖镇村干部截留低保金找谁", right: regexp.MustCompile(`低保|最低生活保障`)},
		{q: "苏溪镇晚上广场舞音响开得太响，老百姓投诉，归谁管？", right: regexp.MustCompile(`噪声`), townActs: true},
		{q: "苏溪镇广场舞太吵谁管", right: regexp.MustCompile(`噪声`), townActs: true},
		{q: "下营镇有人往河里倒垃圾被拍到了，归哪个部门管", right: regexp.MustCompile(`垃圾|倾倒`)},
		{q: "滕州市有人在街上摆摊占道经营归谁管", right: regexp.MustCompile(`街道两侧|占道|占用城市道路`)},
	}
	for _, tt := range tests {
		r := ask(t, l, AskInput{Question: tt.q, County: tt.county})
		res := r.Result
		switch res.Status {
		case towndesk.StatusNotFound:
			if strings.Contains(r.Text, "由") && len(res.Matches) > 0 {
				t.Errorf("Ask(%q) is not found but names a row:\n%s", tt.q, r.Text)
			}
		case towndesk.StatusUncertain:
			if !strings.HasPrefix(r.Text, "不确定") {
				t.Errorf("Ask(%q) is uncertain but its text does not say so:\n%s", tt.q, r.Text)
			}
			for _, m := range res.Matches {
				if m.Role != towndesk.RoleCandidate {
					t.Errorf("Ask(%q) uncertain reply has a %s row", tt.q, m.Role)
				}
			}
		case towndesk.StatusAnswered:
			top := res.Matches[0].Item
			if tt.right == nil || !tt.right.MatchString(top.Name+top.SubItem) {
				t.Errorf("Ask(%q) answered confidently wrong: %s %s（%s）", tt.q, top.Code, top.Name, top.Body)
			}
			if tt.townActs && res.TownLacksPower {
				t.Errorf("Ask(%q) says the town lacks the power, but its list has it:\n%s", tt.q, r.Text)
			}
		default:
			t.Errorf("Ask(%q) status = %s, want answered, uncertain or not_found", tt.q, res.Status)
		}
	}
}

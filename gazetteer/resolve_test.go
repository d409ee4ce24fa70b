package gazetteer

import (
	"errors"
	"testing"

	"github.com/towndesk/towndesk"
)

func TestResolve(t *testing.T) {
	g := loadGazetteer(t)
	tengzhou, _ := g.County("370481")
	tests := []struct {
		name   string
		text   string
		def    towndesk.Place
		reason Reason
		level  Level
		want   string // Place.String() when resolved; a candidate's otherwise
	}{
		{"town of the default county", "滨湖镇", tengzhou, Resolved, Town, "山东省滕州市滨湖镇"},
		{"short town of the default county", "龙阳", tengzhou, Resolved, Town, "山东省滕州市龙阳镇"},
		{"another county written with the town", "昌吉市滨湖镇", tengzhou, Resolved, Town, "新疆维吾尔自治区昌吉市滨湖镇"},
		{"county and town apart", "昌吉/滨湖", tengzhou, Resolved, Town, "新疆维吾尔自治区昌吉市滨湖镇"},
		{"province, county and town", "山东/滕州市/滨湖镇", towndesk.Place{}, Resolved, Town, "山东省滕州市滨湖镇"},
		{"town unique in the country", "佛堂镇", towndesk.Place{}, Resolved, Town, "浙江省义乌市佛堂镇"},
		{"unique town outside the default county", "佛堂镇", tengzhou, Resolved, Town, "浙江省义乌市佛堂镇"},
		{"county alone", "滕州市", towndesk.Place{}, Resolved, County, "山东省滕州市"},
		{"town in two counties", "滨湖镇", towndesk.Place{}, Ambiguous, Town, "山东省滕州市滨湖镇"},
		{"town in two counties, province given", "滨湖镇", towndesk.Place{Province: "新疆"}, Resolved, Town, "新疆维吾尔自治区昌吉市滨湖镇"},
		{"county in four provinces", "鼓楼区", towndesk.Place{}, Ambiguous, County, "福建省鼓楼区"},
		{"county of the wrong province", "江苏/滕州市/滨湖镇", towndesk.Place{}, NotFound, County, "山东省滕州市"},
		{"misspelt town of the default county", "滨胡", tengzhou, NotFound, Town, "山东省滕州市滨湖镇"},
		{"no such town", "火星镇", towndesk.Place{}, NotFound, Town, ""},
		{"nothing written", " / ", tengzhou, Missing, Town, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := g.Resolve(tt.text, tt.def)
			if r.Reason != tt.reason || r.Level != tt.level {
				t.Fatalf("Resolve(%q) = reason %d level %s (%v), want reason %d level %s", tt.text, r.Reason, r.Level, r.Err(), tt.reason, tt.level)
			}
			if tt.reason == Resolved {
				if got := r.Place.String(); got != tt.want || r.Err() != nil {
					t.Errorf("Resolve(%q) = %s, %v; want %s", tt.text, got, r.Err(), tt.want)
				}
				return
			}
			found := tt.want == ""
			for _, c := range r.Candidates {
				found = found || c.String() == tt.want
			}
			if !found || len(r.Candidates) > r.Total || (tt.reason == Ambiguous && len(r.Candidates) < 2) {
				t.Errorf("Resolve(%q) candidates = %v (of %d), want %s among them", tt.text, r.Candidates, r.Total, tt.want)
			}
			err := r.Err()
			var got *Resolution
			if !errors.As(err, &got) || got != r || towndesk.ErrorMessage(err) == "" {
				t.Errorf("Resolve(%q).Err() = %v, want a message wrapping the resolution", tt.text, err)
			}
			wantCode := towndesk.EINVALID
			if tt.reason == NotFound {
				wantCode = towndesk.ENOTFOUND
			}
			if towndesk.ErrorCode(err) != wantCode {
				t.Errorf("Resolve(%q).Err() code = %s, want %s", tt.text, towndesk.ErrorCode(err), wantCode)
			}
		})
	}
}

func BenchmarkResolveTownAnywhere(b *testing.B) {
	g := loadGazetteer(b)
	g.Resolve("佛堂镇", towndesk.Place{}) // the town index is built on first use
	for b.Loop() {
		if r := g.Resolve("佛堂镇", towndesk.Place{}); r.Reason != Resolved {
			b.Fatal(r.Err())
		}
	}
}

package towndesk

import "testing"

func TestInNameOf(t *testing.T) {
	tests := []struct{ body, want string }{
		{"滕州市综合行政执法局官桥中队", "滕州市综合行政执法局"},
		{"天津市蓟州区城市管理委员会邦均执法大队", "天津市蓟州区城市管理委员会"},
		{"义乌市综合行政执法局", "义乌市综合行政执法局"},
		{"滕州市滨湖镇人民政府", "滕州市滨湖镇人民政府"},
		{"某县综合行政执法大队", "某县综合行政执法大队"},
		{"滕州市消防救援大队", "滕州市消防救援大队"},
	}
	for _, tt := range tests {
		if got := (PowerItem{Body: tt.body}).InNameOf(); got != tt.want {
			t.Errorf("PowerItem{Body: %q}.InNameOf() = %q, want %q", tt.body, got, tt.want)
		}
	}
}

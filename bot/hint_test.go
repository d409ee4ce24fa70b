package bot

import (
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/testenv"
)

// TestFailureTextNamesPlaces checks that chat's advice for a place it
// could not pin down names places, never a command-line flag.
func TestFailureTextNamesPlaces(t *testing.T) {
	g := testenv.Gazetteer(t)
	tests := []struct {
		name, text, want string
	}{
		{"town in two counties", "滨湖镇", "请连同县（市、区）一起写，如“滕州市滨湖镇”"},
		{"county in four provinces", "鼓楼区", "请在县名前加上所在的省或市，如“南京市鼓楼区”"},
		{"no such town", "火星镇", "请连同县（市、区）一起写"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := g.Resolve(tt.text, towndesk.Place{}).Err()
			got := failureText(err)
			if !strings.Contains(got, tt.want) || strings.Contains(got, "--") {
				t.Errorf("failureText(Resolve(%q)) = %q, want %q and no flag", tt.text, got, tt.want)
			}
		})
	}
}

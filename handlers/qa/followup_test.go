package qa

import (
	"context"
	"testing"
)

// TestPlaceReply checks which messages are a place and nothing else: the
// replies to "请问是哪个乡镇" and to a list of places.
func TestPlaceReply(t *testing.T) {
	l := newTestLists(t)
	ctx := context.Background()
	for _, tt := range []struct {
		text   string
		places []string // county+town of each place, in order
	}{
		{"下营镇", []string{"蓟州区下营镇"}},
		{"在下营镇", []string{"蓟州区下营镇"}},
		{"是蓟州区下营镇的", []string{"蓟州区下营镇"}},
		{"那下营镇呢", []string{"蓟州区下营镇"}},
		{"宁津的", []string{"宁津县"}},
		{"滕州", []string{"滕州市"}},
		{"柴胡店镇", []string{"滕州市柴胡店镇", "宁津县柴胡店镇"}},
		{"下营镇有人烧秸秆归谁管", nil},
		{"谁管烧秸秆", nil},
		{"谢谢", nil},
		{"2", nil},
		{"原文", nil},
	} {
		got, err := l.PlaceReply(ctx, tt.text)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range got {
			names = append(names, p.Short())
		}
		if len(names) != len(tt.places) {
			t.Errorf("PlaceReply(%q) = %v, want %v", tt.text, names, tt.places)
			continue
		}
		for i := range names {
			if names[i] != tt.places[i] {
				t.Errorf("PlaceReply(%q) = %v, want %v", tt.text, names, tt.places)
				break
			}
		}
	}
}

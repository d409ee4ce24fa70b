package listfile

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/towndesk/towndesk"
)

// A list whose notes give deadlines is imported with the default mode and
// the defaulted warning, not as statutory rows.
func TestParseDeadlineNotesDefault(t *testing.T) {
	data := "序号,事项编码,事项名称,事项类别,实施主体,备注\n" +
		"1,A1,对甲的处罚,行政处罚,某乡人民政府,法定时限20个工作日\n" +
		"2,A2,对乙的处罚,行政处罚,某乡人民政府,注：委托乡镇实施\n"
	opts := townOpts
	opts.DefaultMode = towndesk.ModeDevolved
	res, err := Parse([]File{{"某乡清单.csv", []byte(data)}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 2 {
		t.Fatalf("got %d rows, want 2", len(res.Items))
	}
	if got := res.Items[0].Mode; got != towndesk.ModeDevolved {
		t.Errorf("row with a deadline note: mode %q, want the default %q", got, towndesk.ModeDevolved)
	}
	if got := res.Items[1].Mode; got != towndesk.ModeEntrusted {
		t.Errorf("row with 注：委托乡镇实施: mode %q, want %q", got, towndesk.ModeEntrusted)
	}
	want := []Defaulted{{File: "某乡清单.csv", Rows: 1, Mode: towndesk.ModeDevolved, FromNotes: 1, NoteColumn: "备注"}}
	if diff := cmp.Diff(want, res.Defaulted); diff != "" {
		t.Errorf("Defaulted (-want +got):\n%s", diff)
	}
}

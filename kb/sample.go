package kb

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"

	"github.com/towndesk/towndesk/listfile"
)

// The sample power lists: real places, modelled lists, in the formats real
// lists come in (see sample/README.md). They are imported through the same
// importer as any list, so they are its first user.
//
//go:embed sample/manifest.json sample/*.xlsx sample/*.csv sample/*.jsonl
var sampleFS embed.FS

// SampleList is one edition of one list in the sample.
type SampleList struct {
	Province string   `json:"province"`
	County   string   `json:"county"`
	Town     string   `json:"town"`
	Edition  string   `json:"edition"`
	Mode     string   `json:"mode"`
	Files    []string `json:"files"`
}

// SampleLists returns the sample editions in import order, each with its
// files read. It fails only if the embedded sample is malformed, which the
// tests rule out.
func SampleLists() ([]SampleList, map[string]listfile.File, error) {
	data, err := sampleFS.ReadFile("sample/manifest.json")
	if err != nil {
		return nil, nil, fmt.Errorf("read sample manifest: %w", err)
	}
	var m struct {
		Lists []SampleList `json:"lists"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, nil, fmt.Errorf("parse sample manifest: %w", err)
	}
	files := map[string]listfile.File{}
	for _, l := range m.Lists {
		for _, f := range l.Files {
			b, err := fs.ReadFile(sampleFS, path.Join("sample", f))
			if err != nil {
				return nil, nil, fmt.Errorf("read sample file: %w", err)
			}
			files[f] = listfile.File{Name: f, Data: b}
		}
	}
	return m.Lists, files, nil
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const setFile = "../../sample-questions.jsonl"

// TestSampleQuestionsUpToDate regenerates the evaluation set from the
// questions and the embedded sample lists: the file in the repository
// must be exactly what the generator writes.
func TestSampleQuestionsUpToDate(t *testing.T) {
	cases, err := generate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := render(cases)
	want, err := os.ReadFile(setFile)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s is not what the generator writes; first difference at line %d:\n got: %s\nwant: %s\nRun: go run ./eval/internal/evalgen", setFile, i+1, g, w)
		}
	}
}

// TestRenderIsJSON checks that every line is a JSON object a reader of
// the set (towndesk eval) understands, also with characters to escape.
func TestRenderIsJSON(t *testing.T) {
	c := evalCase{q: "引号\"和\\反斜杠\t", kind: "town", town: "滨湖镇", status: "answered", codes: []string{"A-1", "B-2"}, note: "x"}
	var got struct {
		Q     string   `json:"q"`
		Town  string   `json:"town"`
		Codes []string `json:"codes"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(render([]evalCase{c})), &got); err != nil || got.Q != c.q || got.Town != "滨湖镇" || len(got.Codes) != 2 {
		t.Errorf("render(%+v) read back as %+v, %v", c, got, err)
	}
}

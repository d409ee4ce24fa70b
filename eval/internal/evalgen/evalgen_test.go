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

// TestQuestionLinesRefuseMistakes checks that a mistyped line of
// questions.txt stops the generator, naming what is wrong.
func TestQuestionLinesRefuseMistakes(t *testing.T) {
	mistakes := map[string]string{ // line of a [town] section → what the error says
		"滨湖镇谁管 | BH":                  "no matters",
		"滨湖镇谁管 | BH | 4x":             "not a row number",
		"滨湖镇谁管 | BH | fire 12":        "write it alone",
		"滨湖镇谁管 | BH | 44 | where=滨湖镇": "option",
		"滨湖镇谁管 | BH | 44 | also=x":    "also=x",
	}
	for line, want := range mistakes {
		if err := new(gen).question("town", line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("question(%q) = %v, want an error containing %q", line, err, want)
		}
	}
	if err := new(gen).question("", "滨湖镇谁管 | BH | 44"); err == nil || !strings.Contains(err.Error(), "[kind]") {
		t.Errorf("a question before any [kind] = %v, want an error asking for one", err)
	}
}

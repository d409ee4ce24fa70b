package local

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/internal/testenv"
)

func newLists(t *testing.T) *qa.Lists {
	t.Helper()
	db, k, idx, gaz := testenv.Search(t)
	return qa.NewLists(db, k, idx, gaz)
}

// serve starts a server on a socket in a fresh directory and returns the
// socket's path and the function that stops it (also run at cleanup).
func serve(t *testing.T, ask Asker) (path string, stop func()) {
	t.Helper()
	path = filepath.Join(t.TempDir(), SocketName)
	s, err := Listen(path, ask, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- s.Serve(context.Background()) }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			s.Close()
			if err := <-done; err != nil {
				t.Errorf("Serve = %v", err)
			}
		}
	}
	t.Cleanup(stop)
	return path, stop
}

func TestAskThroughTheSocket(t *testing.T) {
	ctx := context.Background()
	lists := newLists(t)
	path, stop := serve(t, lists)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %s: %v, mode %v; want 0600", path, err, fi.Mode().Perm())
	}
	cl, err := Dial(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for _, q := range []string{"滨湖镇有人乱搭乱建归谁管？", "柴胡店镇放鞭炮谁管", "谁管烧秸秆"} {
		raw, text, err := cl.Ask(ctx, Request{Question: q})
		if err != nil {
			t.Fatalf("Ask(%q) = %v", q, err)
		}
		want, err := lists.Ask(ctx, qa.AskInput{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := json.Marshal(want)
		if string(raw) != string(wantJSON) || text != want.Text {
			t.Errorf("Ask(%q) over the socket:\n%s\nwant what Ask gives in process:\n%s", q, raw, wantJSON)
		}
	}
	// A default place is passed on; its error comes back as it was.
	raw, _, err := cl.Ask(ctx, Request{Question: "谁管烧秸秆", Town: "下营镇", County: "蓟州区", Limit: 1})
	if err != nil || !strings.Contains(string(raw), `"town":"下营镇"`) || strings.Count(string(raw), `"code":`) != 1 {
		t.Errorf("Ask with a default place and limit 1 = %s, %v", raw, err)
	}
	_, _, err = cl.Ask(ctx, Request{Question: "谁管烧秸秆", Town: "火星镇"})
	if towndesk.ErrorCode(err) != towndesk.ENOTFOUND || !strings.Contains(towndesk.ErrorMessage(err), "火星镇") || Unreachable(err) {
		t.Errorf("Ask with an unknown default town = %v, want the server's not-found error", err)
	}
	// A default place the gazetteer cannot pin down comes back with its
	// resolution, from which the CLI writes its hint, as in process.
	amb := Request{Question: "谁管烧秸秆", County: "朝阳区"}
	_, inProcess := lists.Ask(ctx, qa.AskInput{Question: amb.Question, County: amb.County})
	var want *gazetteer.Resolution
	if !errors.As(inProcess, &want) {
		t.Fatalf("in process, Ask with county 朝阳区 = %v; the test needs a resolution error", inProcess)
	}
	_, _, err = cl.Ask(ctx, amb)
	var got *gazetteer.Resolution
	if !errors.As(err, &got) || got.Reason != want.Reason || got.Level != want.Level || len(got.Candidates) != len(want.Candidates) {
		t.Errorf("Ask with county 朝阳区 over the socket = %#v, want the resolution %+v", err, want)
	}
	if _, _, err := cl.Ask(ctx, Request{Question: "  "}); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("Ask(empty) = %v, want invalid", err)
	}

	// The server stops: the connection's next question says so, as does a
	// new dial, and the socket file is gone.
	stop()
	if _, _, err := cl.Ask(ctx, Request{Question: "谁管烧秸秆"}); !Unreachable(err) {
		t.Errorf("Ask after the server stopped = %v, want unreachable", err)
	}
	if _, err := Dial(path); !Unreachable(err) {
		t.Errorf("Dial after the server stopped = %v, want unreachable", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("socket file after Close: %v, want removed", err)
	}
}

// TestStaleAndLiveSockets checks the socket file a killed server leaves:
// no one answers there, and the next server takes it over; and that a
// second server does not take a live one's socket.
func TestStaleAndLiveSockets(t *testing.T) {
	path := filepath.Join(t.TempDir(), SocketName)
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false) // as after SIGKILL
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the stale socket file is missing: %v", err)
	}
	if _, err := Dial(path); !Unreachable(err) {
		t.Fatalf("Dial(stale socket) = %v, want unreachable", err)
	}
	lists := newLists(t)
	s, err := Listen(path, lists, nil)
	if err != nil {
		t.Fatalf("Listen over a stale socket = %v, want it replaced", err)
	}
	go s.Serve(context.Background())
	defer s.Close()
	if _, err := Listen(path, lists, nil); err == nil || !strings.Contains(err.Error(), "another towndesk serve") {
		t.Errorf("a second Listen on a live socket = %v, want refused", err)
	}
	cl, err := Dial(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, text, err := cl.Ask(context.Background(), Request{Question: "滨湖镇谁管烧秸秆"}); err != nil || !strings.Contains(text, "滨湖镇") {
		t.Errorf("Ask on the new server = %q, %v", text, err)
	}
}

// TestBadRequests checks that a line that is not JSON, and one over the
// limit, get an error, not a hang or a crash.
func TestBadRequests(t *testing.T) {
	path, _ := serve(t, newLists(t))
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	io.WriteString(c, "not json\n")
	var resp Response
	line, _ := r.ReadBytes('\n')
	if err := json.Unmarshal(line, &resp); err != nil || resp.Error == nil || resp.Error.Code != towndesk.EINVALID {
		t.Errorf("response to a line that is not JSON = %s", line)
	}
	go func() {
		c.Write([]byte(`{"question":"` + strings.Repeat("烧", MaxLine) + `"}` + "\n"))
	}()
	line, _ = r.ReadBytes('\n')
	resp = Response{}
	if err := json.Unmarshal(line, &resp); err != nil || resp.Error == nil || !strings.Contains(resp.Error.Message, "请求过长") {
		t.Errorf("response to a line over the limit = %.200s", line)
	}
}

// blockingAsker answers only when its question's context ends, and says
// whether it ended.
type blockingAsker struct{ ended chan error }

func (b blockingAsker) Ask(ctx context.Context, in qa.AskInput) (*qa.AskReply, error) {
	select {
	case <-ctx.Done():
		b.ended <- ctx.Err()
	case <-time.After(5 * time.Second):
		b.ended <- nil
		return nil, towndesk.Errorf(towndesk.EINVALID, "answered")
	}
	return nil, ctx.Err()
}

// TestClientGoneStopsTheAnswer: when the client hangs up while its
// question is being answered (a killed `towndesk ask`), the server stops
// answering it; a client that stays gets its answer, also when it sends
// its next request before the first is answered.
func TestClientGoneStopsTheAnswer(t *testing.T) {
	b := blockingAsker{ended: make(chan error, 1)}
	path, _ := serve(t, b)
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, `{"question":"滨湖镇谁管烧秸秆"}`+"\n")
	time.Sleep(50 * time.Millisecond)
	c.Close()
	select {
	case err := <-b.ended:
		if err == nil {
			t.Errorf("the answer ran to its end after the client hung up")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the asker never returned")
	}

	// Pipelined requests from a client that stays are both answered.
	path2, _ := serve(t, newLists(t))
	c2, err := net.Dial("unix", path2)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	io.WriteString(c2, `{"question":"滨湖镇谁管烧秸秆"}`+"\n"+`{"question":"滨湖镇谁管乱搭乱建"}`+"\n")
	r := bufio.NewReader(c2)
	for i := 0; i < 2; i++ {
		line, err := r.ReadBytes('\n')
		var resp Response
		if err != nil || json.Unmarshal(line, &resp) != nil || resp.Error != nil || len(resp.Reply) == 0 {
			t.Errorf("answer %d to pipelined requests = %s, %v", i+1, line, err)
		}
	}
}

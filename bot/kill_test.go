package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot/masklog"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/internal/testenv"
)

// The kill test runs the bot in a child process (this test binary, run
// as TestKillChild) serving intake forms over HTTP against the fake Slack
// of the parent, and kills it with SIGKILL again and again while forms
// arrive and cards go out. Forms whose submission failed are submitted
// again, as a desk worker would; some acknowledged ones are submitted
// again too, as Slack or a double click would.

const (
	envKillDir   = "TOWNDESK_KILL_CHILD_DIR"
	envKillSlack = "TOWNDESK_KILL_CHILD_SLACK"
)

// TestKillChild is the child's side: it serves the bot on a loopback port,
// printed on stdout, until killed (or SIGTERM, then it shuts down).
func TestKillChild(t *testing.T) {
	dir := os.Getenv(envKillDir)
	if dir == "" {
		t.Skip("run by TestIntakeSurvivesKills")
	}
	db, gaz := testenv.DB(t, dir), testenv.Gazetteer(t)
	cfg := testConfig()
	c := chat.New(qa.NewLists(db, nil, nil, gaz), db)
	c.Desk = chat.NewDesk(desk.New(db, desk.Config{Places: gaz}), cfg.Desk.Workers, []string{chDesk})
	logs, err := os.OpenFile(filepath.Join(dir, "child.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{WebAPI: WebAPI{BotToken: "xoxb-test", APIURL: os.Getenv(envKillSlack)}, SigningSecret: testSecret, Config: cfg,
		Chat: c, Store: db, Logger: slog.New(masklog.New(slog.NewTextHandler(logs, nil))),
		ChannelInterval: -1, Lease: time.Second, RetryBackoff: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := b.RunHTTP(ctx, ln); err != nil {
		t.Error(err)
	}
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b.Close(cctx)
}

// child is a running TestKillChild.
type child struct {
	cmd  *exec.Cmd
	addr string
}

func startChild(t *testing.T, dir, slackURL string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKillDir+"="+dir, envKillSlack+"="+slackURL)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "ADDR "); ok {
				addr <- a
			}
		}
	}()
	select {
	case a := <-addr:
		return &child{cmd: cmd, addr: a}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child did not start")
	}
	return nil
}

// submit posts intake form viewID to the child; ok is true when the
// child acknowledged it (200 with an empty body: the modal closes).
func (c *child) submit(viewID string) (ok bool) {
	v := validIntake()
	v["citizen"] = "群众" + viewID
	body := viewSubmission(uWorker, viewID, viewIntake, chDesk, v)
	req := signedRequest("http://"+c.addr+"/slack/interactive", "application/x-www-form-urlencoded", body)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode == 200 && len(strings.TrimSpace(string(out))) == 0
}

func TestIntakeSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes for about a minute")
	}
	const forms, kills, perRound = 300, 12, 30
	f := newFakeSlack(t)
	f.postDelay = 20 * time.Millisecond // widen the window between Slack's post and the child hearing of it
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(11))

	var todo []string // forms not acknowledged yet
	for i := range forms {
		todo = append(todo, fmt.Sprintf("VKILL%03d", i))
	}
	var acked []string
	repeats, retried := 0, 0
	for round := 0; len(todo) > 0 || round <= kills; round++ {
		c := startChild(t, dir, f.apiURL())
		batch := slices.Clone(todo[:min(perRound, len(todo))])
		// Some acknowledged forms again: a resubmission must not make a
		// second request.
		for range 3 {
			if len(acked) > 0 {
				batch = append(batch, acked[rng.Intn(len(acked))])
				repeats++
			}
		}
		var mu sync.Mutex
		var failed []string
		var wg sync.WaitGroup
		next := make(chan string)
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range next {
					time.Sleep(time.Duration(10+rand.Intn(40)) * time.Millisecond) // desk workers, not a burst
					if !c.submit(id) {
						mu.Lock()
						failed = append(failed, id)
						mu.Unlock()
					}
				}
			}()
		}
		killed := make(chan struct{})
		if round < kills {
			// Mid-way: while forms arrive and cards are being posted.
			time.AfterFunc(time.Duration(20+rng.Intn(300))*time.Millisecond, func() {
				c.cmd.Process.Signal(syscall.SIGKILL)
				close(killed)
			})
		}
		for _, id := range batch {
			next <- id
		}
		close(next)
		wg.Wait()
		if round < kills {
			<-killed
			c.cmd.Wait()
		} else {
			c.cmd.Process.Signal(syscall.SIGTERM)
			c.cmd.Wait()
		}
		retried += len(failed)
		retry := map[string]bool{}
		for _, id := range failed {
			retry[id] = true
		}
		var still []string
		for _, id := range todo {
			switch {
			case retry[id]:
				still = append(still, id)
			case slices.Contains(batch, id):
				acked = append(acked, id)
			default:
				still = append(still, id)
			}
		}
		todo = still
	}

	// A last run sends whatever the kills left in the outbox.
	db := testenv.DB(t, dir)
	c := startChild(t, dir, f.apiURL())
	testenv.OutboxDrained(t, db, 90*time.Second)
	c.cmd.Process.Signal(syscall.SIGTERM)
	c.cmd.Wait()

	// Every form made exactly one request.
	ctx := context.Background()
	byID := map[string]string{}
	for _, id := range acked {
		r, fresh, err := db.ClaimKey(ctx, "intake:"+id)
		if err != nil || fresh || r == "" {
			t.Fatalf("form %s: key %q fresh %v %v; want the request it made", id, r, fresh, err)
		}
		if other, dup := byID[r]; dup {
			t.Errorf("forms %s and %s share request %s", other, id, r)
		}
		byID[r] = id
	}
	rs, total, err := db.Requests(ctx, towndesk.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != forms || len(acked) != forms {
		t.Fatalf("%d requests for %d forms (%d acknowledged): some lost or duplicated", total, forms, len(acked))
	}
	// Every request has exactly one card, the one recorded, and one
	// creation line in its thread.
	cards, lines := map[string][]string{}, map[string]int{}
	f.mu.Lock()
	for _, p := range f.posted {
		var md struct {
			EventType    string            `json:"event_type"`
			EventPayload map[string]string `json:"event_payload"`
		}
		json.Unmarshal([]byte(p.metadata), &md)
		id := md.EventPayload["request"]
		switch {
		case id == "" || p.channel != chDesk:
		case p.thread == "":
			cards[id] = append(cards[id], p.ts)
		default:
			lines[id]++
		}
	}
	f.mu.Unlock()
	for _, r := range rs {
		ch, ts, err := db.RequestCard(ctx, r.ID)
		if len(cards[r.ID]) != 1 || err != nil || ch != chDesk || ts != cards[r.ID][0] {
			t.Errorf("request %s: cards posted %v, recorded %s %s (%v); want exactly one, recorded", r.ID, cards[r.ID], ch, ts, err)
		}
		if lines[r.ID] != 1 {
			t.Errorf("request %s: %d creation lines in its thread, want 1", r.ID, lines[r.ID])
		}
	}
	logs, _ := os.ReadFile(filepath.Join(dir, "child.log"))
	t.Logf("%d forms, %d SIGKILLs, %d repeated submissions, %d submissions refused or cut off and retried; "+
		"%d requests, %d cards, %d earlier attempts found in the channel instead of posting again",
		forms, kills, repeats, retried, total, len(cards), strings.Count(string(logs), "found the message of an earlier attempt"))
}

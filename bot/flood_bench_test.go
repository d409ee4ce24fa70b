package bot

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// waitFor polls the fake Slack's record for the first call after the
// first skip calls that satisfies match, for up to a minute.
func waitFor(tb testing.TB, f *fakeSlack, skip int, match func(call) bool) (call, int) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		calls := f.all()
		for i := skip; i < len(calls); i++ {
			if match(calls[i]) {
				return calls[i], i + 1
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no matching call within a minute")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// BenchmarkFloodedChannel is the load test of a flooded channel (issue
// 11): 200 questions arrive in one channel, which Slack lets the bot post
// to once a second (after a burst of 3). Meanwhile it times a question in
// another channel (to its answer), a slash command in the flooded channel
// (to its response_url reply) and the intake form's trigger (to
// views.open), five times each, one round a second. Then it shuts the bot
// down with the backlog (timed: the promise is 10 s), restarts it on the
// same data and checks that every flooded question is answered exactly
// once across both runs.
//
// Loopback only: the real slack-go client against the fake Slack server.
// Bounded: every wait fails after a minute. Run it with
//
//	go test ./bot -run '^$' -bench FloodedChannel -benchtime 1x
//
// Metrics: other-max-ms and other-p50-ms (another channel's reply time),
// command-max-ms, modal-max-ms, ack-p99-ms (the flood's acks), shutdown-ms,
// answered-before and answered-after (the flood, before the shutdown and
// after the restart), duplicates (must be 0) and restart-drain-ms (the
// restart posting the rest, unpaced in this test).
func BenchmarkFloodedChannel(b *testing.B) {
	for i := 0; i < b.N; i++ {
		floodOnce(b)
	}
}

func floodOnce(b *testing.B) {
	const flood = 200
	dir := b.TempDir()
	f := newFakeSlack(b)
	stopDrain := drainNotify(f)
	defer stopDrain()
	// Slack's pace: the bot's defaults (one post a second after 3).
	h := newHarness(b, dir, f, func(o *Options) { o.ChannelInterval, o.ChannelBurst = time.Second, 3 })
	h.mention("EvWARM", "C0WARM0001", "U1", "1.000001", "", "邦均镇谁管烧秸秆")
	_, seen := waitFor(b, f, 0, func(c call) bool { return c.Method == "chat.postMessage" })

	// The flood: four senders, as Slack delivers concurrently.
	var roots []string
	for i := 0; i < flood; i++ {
		roots = append(roots, fmt.Sprintf("%d.000004", 2000+i))
	}
	acks := make([]time.Duration, flood)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < flood; i += 4 {
				start := time.Now()
				resp := h.mention(fmt.Sprintf("EvFLOOD%d", i), chBangjun, "U1", roots[i], "", "谁管烧秸秆")
				acks[i] = time.Since(start)
				if resp.StatusCode != http.StatusOK {
					b.Errorf("flood mention %d = %d", i, resp.StatusCode)
				}
			}
		}(w)
	}
	wg.Wait()

	var other, command, modal []time.Duration
	for r := 0; r < 5; r++ {
		ch, root := fmt.Sprintf("C0OTHER%03d", r), fmt.Sprintf("%d.000005", 3000+r)
		start := time.Now()
		h.mention(fmt.Sprintf("EvPROBE%d", r), ch, "U2", root, "", "滕州市滨湖镇放鞭炮谁管")
		c, _ := waitFor(b, f, seen, func(c call) bool {
			return c.Method == "chat.postMessage" && c.Form.Get("channel") == ch && c.Form.Get("thread_ts") == root
		})
		other = append(other, c.At.Sub(start))

		start = time.Now()
		h.command(chBangjun, "U3", "谁管烧秸秆")
		c, seen = waitFor(b, f, seen, func(c call) bool { return c.Method == "hook" })
		command = append(command, c.At.Sub(start))

		start = time.Now()
		h.command(chDesk, uWorker, "代办")
		c, seen = waitFor(b, f, seen, func(c call) bool { return c.Method == "views.open" })
		modal = append(modal, c.At.Sub(start))
		time.Sleep(time.Second - time.Since(start))
	}

	// Shut down with the backlog.
	h.srv.Close()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	err := h.bot.Close(ctx)
	cancel()
	shutdown := time.Since(start)
	if err != nil {
		b.Errorf("shutdown with a backlog ran out of its 10 s: %v", err)
	}
	h.stop()
	before := len(answersByRoot(f.all(), chBangjun))

	// Restart on the same data: the rest is answered, each once.
	start = time.Now()
	newHarness(b, dir, f)
	waitAnswers(b, f, chBangjun, roots)
	drain := time.Since(start)
	time.Sleep(300 * time.Millisecond)
	dups := 0
	for _, k := range answersByRoot(f.all(), chBangjun) {
		dups += k - 1
	}
	if dups > 0 {
		b.Errorf("%d duplicate answers", dups)
	}

	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(percentile(other, 1)), "other-max-ms")
	b.ReportMetric(ms(percentile(other, 0.5)), "other-p50-ms")
	b.ReportMetric(ms(percentile(command, 1)), "command-max-ms")
	b.ReportMetric(ms(percentile(modal, 1)), "modal-max-ms")
	b.ReportMetric(ms(percentile(acks, 0.99)), "ack-p99-ms")
	b.ReportMetric(ms(shutdown), "shutdown-ms")
	b.ReportMetric(float64(before), "answered-before")
	b.ReportMetric(float64(flood-before), "answered-after")
	b.ReportMetric(float64(dups), "duplicates")
	b.ReportMetric(ms(drain), "restart-drain-ms")
}

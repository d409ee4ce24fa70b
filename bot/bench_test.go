package bot

import (
	"fmt"
	"net/http"
	"sort"
	"testing"
	"time"
)

func percentile(ds []time.Duration, p float64) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	i := int(float64(len(ds)-1) * p)
	return ds[i]
}

// warm answers one question so that the sample lists are loaded and
// indexed before timing.
func warm(b *testing.B, h *harness) {
	h.mention("EvWARM", chBangjun, "U1", "1.000001", "", "谁管烧秸秆")
	h.slack.wait("chat.postMessage")
}

// BenchmarkHTTPEventAck measures how long Slack waits for the ack of an
// app_mention delivery (signature check, parse, queue), while the answers
// are worked on in the background. Target: p99 ≤ 50 ms.
func BenchmarkHTTPEventAck(b *testing.B) {
	h := newHarness(b, "", nil, func(o *Options) { o.Queue = b.N + 16 })
	warm(b, h)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		resp := h.mention(fmt.Sprintf("EvACK%d", i), fmt.Sprintf("C0ACK%06d", i), "U1", fmt.Sprintf("%d.000001", 100+i), "", "谁管烧秸秆")
		lat = append(lat, time.Since(start))
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("ack %d = %d", i, resp.StatusCode)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
}

// BenchmarkMentionToPost measures from posting an app_mention to the
// answer's chat.postMessage arriving at the fake Slack (no LLM). Each
// mention is in its own channel, as the per-channel queue would otherwise
// space them a second apart. Target: p95 ≤ 300 ms.
func BenchmarkMentionToPost(b *testing.B) {
	h := newHarness(b, "", nil)
	warm(b, h)
	questions := []string{"谁管烧秸秆", "有人乱搭乱建归谁管", "滨湖镇放鞭炮谁管", "柴胡店镇土葬谁管", "下营镇乱倒垃圾归谁管"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		h.mention(fmt.Sprintf("EvE2E%d", i), fmt.Sprintf("C0E2E%06d", i), "U1", fmt.Sprintf("%d.000002", 100+i), "", questions[i%len(questions)])
		c := h.slack.wait("chat.postMessage")
		lat = append(lat, c.At.Sub(start))
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.95).Microseconds())/1000, "p95-ms")
}

package storage

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

func TestClaimSummary(t *testing.T) {
	ctx := t.Context()
	db, clock := openTestDB(t)
	const ch, wk, lease = "C0BINHU", "2026-W10", 10 * time.Minute
	step := func(name, owner string, want ClaimState, wantAttempts int) SummaryClaim {
		t.Helper()
		c, err := db.ClaimSummary(ctx, ch, wk, owner, lease)
		if err != nil {
			t.Fatalf("%s: ClaimSummary(%s) = %v", name, owner, err)
		}
		if c.State != want || c.Attempts != wantAttempts {
			t.Errorf("%s: ClaimSummary(%s) = %s attempts %d, want %s attempts %d", name, owner, c.State, c.Attempts, want, wantAttempts)
		}
		return c
	}
	if _, err := db.SummaryDelivery(ctx, ch, wk); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("SummaryDelivery before any claim = %v, want ENOTFOUND", err)
	}
	first := step("first claim", "a", ClaimTaken, 1)
	step("other owner while the lease runs", "b", ClaimHeld, 1)
	step("owner retries", "a", ClaimTaken, 2)
	clock.Set(clock.Now().Add(lease + time.Second))
	c := step("lease ran out: taken over", "b", ClaimTaken, 3)
	if !c.FirstClaim.Equal(first.FirstClaim) {
		t.Errorf("taken-over claim FirstClaim = %v, want the first claim's %v", c.FirstClaim, first.FirstClaim)
	}
	step("old owner comes back", "a", ClaimHeld, 3)
	if err := db.FailSummary(ctx, ch, wk, "b", "chat.postMessage: 13812345678 invalid_auth"); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.SummaryDelivery(ctx, ch, wk); d.LastError != "chat.postMessage: 138****5678 invalid_auth" {
		t.Errorf("LastError = %q, want the masked failure", d.LastError)
	}
	if err := db.ReleaseSummary(ctx, ch, wk, "b"); err != nil {
		t.Fatal(err)
	}
	step("released: anyone may take it", "a", ClaimTaken, 4)
	if err := db.FinishSummary(ctx, ch, wk, "a", "1700000000.000001"); err != nil {
		t.Fatalf("FinishSummary = %v", err)
	}
	clock.Set(clock.Now().Add(time.Hour))
	p := step("posted is final", "b", ClaimPosted, 4)
	if p.TS != "1700000000.000001" || p.Owner != "a" {
		t.Errorf("posted claim = ts %q owner %q, want 1700000000.000001 by a", p.TS, p.Owner)
	}
	if err := db.FinishSummary(ctx, ch, wk, "b", "1700000000.000002"); towndesk.ErrorCode(err) != towndesk.ECONFLICT {
		t.Errorf("second FinishSummary = %v, want ECONFLICT", err)
	}
	step("another week is its own slot", "b", ClaimPosted, 4)
	if c, err := db.ClaimSummary(ctx, ch, "2026-W11", "b", lease); err != nil || c.State != ClaimTaken {
		t.Errorf("ClaimSummary(2026-W11) = %v, %v, want taken", c.State, err)
	}
}

// TestClaimSummaryConcurrent claims one slot from two database handles on
// the same file (as two processes would) at once: exactly one wins.
func TestClaimSummaryConcurrent(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "towndesk.db")
	var dbs []*DB
	for range 2 {
		dbs = append(dbs, openTestFile(t, path))
	}
	for round := range 5 {
		week := "2026-W1" + string(rune('0'+round))
		var mu sync.Mutex
		taken := map[string]int{}
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				owner := string(rune('a' + i))
				c, err := dbs[i%2].ClaimSummary(ctx, "C0BINHU", week, owner, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				taken[string(c.State)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if taken["taken"] != 1 || taken["held"] != 15 {
			t.Errorf("round %d: 16 concurrent claims = %v, want 1 taken and 15 held", round, taken)
		}
	}
}

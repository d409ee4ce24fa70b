package storage

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDatabaseFilesPrivate: the database and its -wal and -shm files are
// readable by their owner only; a database left world-readable by an
// earlier version is narrowed when opened.
func TestDatabaseFilesPrivate(t *testing.T) {
	db, _ := openTestDB(t)
	path := db.path
	// A write, so that the WAL and its index exist.
	q := &InboxQuestion{Channel: "C1", Root: "1.1", Text: "谁管"}
	if _, err := db.QueueQuestion(t.Context(), "Ev1", q, "a", time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		if m := st.Mode().Perm(); m != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(p), m)
		}
	}
	db.Close()

	old := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(old, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(old, 0o644); err != nil {
		t.Fatal(err)
	}
	openTestFile(t, old)
	if st, _ := os.Stat(old); st.Mode().Perm() != 0o600 {
		t.Errorf("an existing 0644 database has mode %o after Open, want 600", st.Mode().Perm())
	}
}

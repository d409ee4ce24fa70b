package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage/internal/sqldb"
)

// StatusFailed is the status logged for a question that could not be
// answered because something broke (the asker saw "暂时无法回答").
const StatusFailed towndesk.AskStatus = "error"

// Question is one question asked in chat, as logged for the summaries.
type Question struct {
	ID      int64
	AskedAt time.Time
	Source  string // "slack", "console"
	User    string
	Channel string
	Thread  string
	// Text is the question with phone and ID numbers masked.
	Text   string
	Status towndesk.AskStatus
	// Place is the place the question was answered for (zero if none).
	Place   towndesk.Place
	TopCode string   // power-list code of the best answer
	Terms   []string // what was searched for
	// Matter is the question's normalised form: its matter as words,
	// without the place and the question frame.
	Matter []string
	// Candidates are the codes shown as candidates of an uncertain reply.
	Candidates []string
	// Places are the gazetteer codes of the places offered with the
	// reply: the candidates of an ambiguous_place reply, in the order
	// shown, or the place answered for and the same-named places the
	// asker's default ruled out (towndesk.AskResult.Alternatives).
	Places []string
	// Useful and NotUseful count the feedback votes (filled by Questions
	// and Question).
	Useful, NotUseful int
}

// LogQuestion stores q, masking phone and ID numbers in its text, and sets
// q.ID and q.AskedAt. It returns EINVALID for an empty question or an
// unknown status, EINTERNAL otherwise.
func (db *DB) LogQuestion(ctx context.Context, q *Question) error {
	if err := checkQuestion(q); err != nil {
		return err
	}
	q.Text = towndesk.MaskText(q.Text)
	q.AskedAt = db.now()
	res, err := db.conn.ExecContext(ctx, `INSERT INTO questions (asked_at, source, user_id, channel, thread_ts,
		question, status, province, county, county_code, town, town_code, top_code, terms, matter, candidates, places)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		timeText(q.AskedAt), q.Source, q.User, q.Channel, q.Thread, q.Text, string(q.Status),
		q.Place.Province, q.Place.County, q.Place.CountyCode, q.Place.Town, q.Place.TownCode,
		q.TopCode, maskedJoin(q.Terms, "、"), maskedJoin(q.Matter, " "), strings.Join(q.Candidates, " "), strings.Join(q.Places, " "))
	if err != nil {
		return internal("insert question", err)
	}
	q.ID, err = res.LastInsertId()
	return internal("question id", err)
}

func checkQuestion(q *Question) error {
	switch q.Status {
	case towndesk.StatusAnswered, towndesk.StatusUncertain, towndesk.StatusAmbiguousPlace, towndesk.StatusNeedPlace, towndesk.StatusNotFound, StatusFailed:
	default:
		return towndesk.Errorf(towndesk.EINVALID, "未知的提问状态“%s”", q.Status)
	}
	if strings.TrimSpace(q.Text) == "" {
		return towndesk.Errorf(towndesk.EINVALID, "问题为空")
	}
	return nil
}

// UpdateQuestionOutcome records a new outcome for a logged question (its
// status, place, best code and terms), as when the asker picked the place
// it was ambiguous about. It returns ENOTFOUND for an unknown ID.
func (db *DB) UpdateQuestionOutcome(ctx context.Context, q *Question) error {
	if err := checkQuestion(q); err != nil {
		return err
	}
	res, err := db.conn.ExecContext(ctx, `UPDATE questions SET status = ?, province = ?, county = ?, county_code = ?,
		town = ?, town_code = ?, top_code = ?, terms = ?, matter = ?, candidates = ?, places = ? WHERE id = ?`,
		string(q.Status), q.Place.Province, q.Place.County, q.Place.CountyCode, q.Place.Town, q.Place.TownCode,
		q.TopCode, maskedJoin(q.Terms, "、"), maskedJoin(q.Matter, " "), strings.Join(q.Candidates, " "), strings.Join(q.Places, " "), q.ID)
	if err != nil {
		return internal("update question", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return questionNotFound(q.ID)
	}
	return nil
}

// maskedJoin joins words as stored: with phone and ID numbers masked, also
// those the words spell only together.
func maskedJoin(words []string, sep string) string {
	return towndesk.MaskText(strings.Join(words, sep))
}

func questionNotFound(id int64) error {
	return towndesk.Errorf(towndesk.ENOTFOUND, "没有编号为 %d 的提问记录", id)
}

const questionColumns = `q.id, q.asked_at, q.source, q.user_id, q.channel, q.thread_ts, q.question, q.status,
	q.province, q.county, q.county_code, q.town, q.town_code, q.top_code, q.terms, q.matter, q.candidates, q.places,
	(SELECT count(*) FROM question_feedback f WHERE f.question_id = q.id AND f.useful = 1),
	(SELECT count(*) FROM question_feedback f WHERE f.question_id = q.id AND f.useful = 0)`

func scanQuestion(s scanner) (Question, error) {
	var q Question
	var at, status, terms, matter, cands, places string
	err := s.Scan(&q.ID, &at, &q.Source, &q.User, &q.Channel, &q.Thread, &q.Text, &status,
		&q.Place.Province, &q.Place.County, &q.Place.CountyCode, &q.Place.Town, &q.Place.TownCode,
		&q.TopCode, &terms, &matter, &cands, &places, &q.Useful, &q.NotUseful)
	if places != "" {
		q.Places = strings.Fields(places)
	}
	if matter != "" {
		q.Matter = strings.Fields(matter)
	}
	if cands != "" {
		q.Candidates = strings.Fields(cands)
	}
	q.AskedAt = parseTime(at)
	q.Status = towndesk.AskStatus(status)
	if terms != "" {
		q.Terms = strings.Split(terms, "、")
	}
	return q, err
}

// Question returns the logged question with the given ID, or ENOTFOUND.
func (db *DB) Question(ctx context.Context, id int64) (*Question, error) {
	q, err := scanQuestion(db.conn.QueryRowContext(ctx, `SELECT `+questionColumns+` FROM questions q WHERE q.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, questionNotFound(id)
	}
	if err != nil {
		return nil, internal("read question", err)
	}
	return &q, nil
}

// QuestionFilter selects logged questions; nil fields do not filter.
type QuestionFilter struct {
	// Since and Until select questions asked at or after Since and before Until.
	Since, Until *time.Time
	Channel      *string
	TownCode     *string
	CountyCode   *string
	Status       *towndesk.AskStatus
	// NotUseful selects questions someone marked 没用.
	NotUseful bool
	Limit     int // 0: no cap
}

// Questions returns the questions f selects, oldest first.
func (db *DB) Questions(ctx context.Context, f QuestionFilter) ([]Question, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Since != nil {
		add("q.asked_at >= ?", timeText(*f.Since))
	}
	if f.Until != nil {
		add("q.asked_at < ?", timeText(*f.Until))
	}
	if f.Channel != nil {
		add("q.channel = ?", *f.Channel)
	}
	if f.TownCode != nil {
		add("q.town_code = ?", *f.TownCode)
	}
	if f.CountyCode != nil {
		add("q.county_code = ?", *f.CountyCode)
	}
	if f.Status != nil {
		add("q.status = ?", string(*f.Status))
	}
	if f.NotUseful {
		where = append(where, "EXISTS (SELECT 1 FROM question_feedback f WHERE f.question_id = q.id AND f.useful = 0)")
	}
	query := `SELECT ` + questionColumns + ` FROM questions q`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY q.asked_at, q.id"
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := db.conn.QueryContext(ctx, query, args...)
	return collect(rows, err, "query questions", scanQuestion)
}

// SetFeedback records user's verdict on the answer to question id (有用 when
// useful); a second vote by the same user replaces the first. It returns
// ENOTFOUND for an unknown question.
func (db *DB) SetFeedback(ctx context.Context, id int64, user string, useful bool) error {
	v := 0
	if useful {
		v = 1
	}
	_, err := db.conn.ExecContext(ctx, `INSERT INTO question_feedback (question_id, user_id, useful, at)
		VALUES (?, ?, ?, ?) ON CONFLICT (question_id, user_id) DO UPDATE SET useful = excluded.useful, at = excluded.at`,
		id, user, v, timeText(db.now()))
	if isConstraint(err) {
		return questionNotFound(id)
	}
	return internal("record feedback", err)
}

// ClaimEvent records a chat platform's event ID and reports whether it is
// new: false means the event was handled (or is being handled) already.
func (db *DB) ClaimEvent(ctx context.Context, eventID string) (bool, error) {
	res, err := db.conn.ExecContext(ctx, `INSERT INTO chat_events (event_id, received_at) VALUES (?, ?)
		ON CONFLICT (event_id) DO NOTHING`, eventID, timeText(db.now()))
	if err != nil {
		return false, internal("claim event", err)
	}
	n, err := res.RowsAffected()
	return n == 1, internal("claim event", err)
}

// PruneChat forgets event IDs and idempotency keys older than before:
// platforms stop redelivering after minutes, so days are plenty.
func (db *DB) PruneChat(ctx context.Context, before time.Time) error {
	if _, err := db.conn.ExecContext(ctx, `DELETE FROM chat_events WHERE received_at < ?`, timeText(before)); err != nil {
		return internal("prune events", err)
	}
	_, err := db.conn.ExecContext(ctx, `DELETE FROM chat_keys WHERE claimed_at < ?`, timeText(before))
	return internal("prune keys", err)
}

// ThreadPlace returns the place a conversation thread is about; ok is false
// if the thread has none yet.
func (db *DB) ThreadPlace(ctx context.Context, channel, thread string) (p towndesk.Place, ok bool, err error) {
	err = db.conn.QueryRowContext(ctx, `SELECT province, county, county_code, town, town_code FROM thread_places
		WHERE channel = ? AND thread_ts = ?`, channel, thread).
		Scan(&p.Province, &p.County, &p.CountyCode, &p.Town, &p.TownCode)
	if errors.Is(err, sql.ErrNoRows) {
		return towndesk.Place{}, false, nil
	}
	if err != nil {
		return towndesk.Place{}, false, internal("read thread place", err)
	}
	return p, true, nil
}

// SetThreadPlace remembers that a thread is about place p.
func (db *DB) SetThreadPlace(ctx context.Context, channel, thread string, p towndesk.Place) error {
	if p.County == "" {
		return towndesk.Errorf(towndesk.EINVALID, "地点缺少县（市、区）")
	}
	_, err := db.conn.ExecContext(ctx, `INSERT INTO thread_places (channel, thread_ts, province, county, county_code,
		town, town_code, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel, thread_ts) DO UPDATE SET province = excluded.province, county = excluded.county,
		county_code = excluded.county_code, town = excluded.town, town_code = excluded.town_code,
		updated_at = excluded.updated_at`,
		channel, thread, p.Province, p.County, p.CountyCode, p.Town, p.TownCode, timeText(db.now()))
	return internal("record thread place", err)
}

// LastThreadQuestion returns the last question asked in a thread since the
// thread was started over (ForgetThread), or ENOTFOUND if there is none.
// It returns EINTERNAL on failure.
func (db *DB) LastThreadQuestion(ctx context.Context, channel, thread string) (*Question, error) {
	q, err := scanQuestion(db.conn.QueryRowContext(ctx, `SELECT `+questionColumns+` FROM questions q
		WHERE q.channel = ? AND q.thread_ts = ? AND q.id > coalesce((SELECT after_id FROM thread_states s
			WHERE s.channel = q.channel AND s.thread_ts = q.thread_ts), 0)
		ORDER BY q.id DESC LIMIT 1`, channel, thread))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, towndesk.Errorf(towndesk.ENOTFOUND, "这个对话里还没有提问")
	}
	if err != nil {
		return nil, internal("read thread question", err)
	}
	return &q, nil
}

// ForgetThread starts a conversation thread over (新问题): its place is
// forgotten and LastThreadQuestion finds only questions asked after now,
// in one transaction. It returns EINTERNAL on failure.
func (db *DB) ForgetThread(ctx context.Context, channel, thread string) error {
	return db.write(ctx, "forget thread", func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM thread_places WHERE channel = ? AND thread_ts = ?`, channel, thread); err != nil {
			return internal("forget thread place", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO thread_states (channel, thread_ts, after_id, updated_at)
			VALUES (?1, ?2, (SELECT coalesce(max(id), 0) FROM questions WHERE channel = ?1 AND thread_ts = ?2), ?3)
			ON CONFLICT (channel, thread_ts) DO UPDATE SET after_id = excluded.after_id, updated_at = excluded.updated_at`,
			channel, thread, timeText(db.now()))
		return internal("record thread state", err)
	})
}

// DropThreadPlace forgets a thread's place (换个镇); its questions stay.
// It returns EINTERNAL on failure.
func (db *DB) DropThreadPlace(ctx context.Context, channel, thread string) error {
	_, err := db.conn.ExecContext(ctx, `DELETE FROM thread_places WHERE channel = ? AND thread_ts = ?`, channel, thread)
	return internal("forget thread place", err)
}

// upsertRequestCard records where a request's card is (request_id,
// channel, ts, posted_at); a request has one card, so a second card moves it.
const upsertRequestCard = `INSERT INTO request_cards (request_id, channel, ts, posted_at) VALUES (?, ?, ?, ?)
	ON CONFLICT (request_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts, posted_at = excluded.posted_at`

// SetRequestCard records where the card message of a request is; a request
// has one card, so a second call moves it.
func (db *DB) SetRequestCard(ctx context.Context, requestID, channel, ts string) error {
	_, err := db.conn.ExecContext(ctx, upsertRequestCard, requestID, channel, ts, timeText(db.now()))
	return internal("record request card", err)
}

// RequestCard returns the channel and timestamp of a request's card
// message, or ENOTFOUND if it has none.
func (db *DB) RequestCard(ctx context.Context, requestID string) (channel, ts string, err error) {
	err = db.conn.QueryRowContext(ctx, `SELECT channel, ts FROM request_cards WHERE request_id = ?`, requestID).Scan(&channel, &ts)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", towndesk.Errorf(towndesk.ENOTFOUND, "代办 %s 还没有消息卡片", requestID)
	}
	if err != nil {
		return "", "", internal("read request card", err)
	}
	return channel, ts, nil
}

// ClaimKey claims an idempotency key (a button click or a modal submission,
// by its business key). fresh is true for the first claim; a repeat gets
// fresh false and the result recorded by FinishKey ("" while the first
// delivery is still at work).
func (db *DB) ClaimKey(ctx context.Context, key string) (result string, fresh bool, err error) {
	tx, err := db.conn.BeginWrite(ctx)
	if err != nil {
		return "", false, internal("begin claim key", err)
	}
	defer tx.Rollback()
	// A claim whose work never finished (the process died, or releasing it
	// failed) is taken over after staleClaim, so the action can be redone.
	now := db.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO chat_keys (key, claimed_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at WHERE done = 0 AND claimed_at < ?`,
		key, timeText(now), timeText(now.Add(-staleClaim)))
	if err != nil {
		return "", false, internal("claim key", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return "", true, internal("commit claim key", tx.Commit())
	}
	if err := tx.QueryRowContext(ctx, `SELECT result FROM chat_keys WHERE key = ?`, key).Scan(&result); err != nil {
		return "", false, internal("read key", err)
	}
	return result, false, nil
}

// staleClaim is how long an unfinished claim blocks its key.
const staleClaim = 2 * time.Minute

// FinishKey records the outcome of the work a claimed key stood for.
func (db *DB) FinishKey(ctx context.Context, key, result string) error {
	_, err := db.conn.ExecContext(ctx, `UPDATE chat_keys SET result = ?, done = 1 WHERE key = ?`, result, key)
	return internal("finish key", err)
}

// ReleaseKey gives a claimed key back after the work failed, so that a
// retry may do it.
func (db *DB) ReleaseKey(ctx context.Context, key string) error {
	_, err := db.conn.ExecContext(ctx, `DELETE FROM chat_keys WHERE key = ? AND done = 0`, key)
	return internal("release key", err)
}

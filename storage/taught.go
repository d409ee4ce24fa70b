package storage

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/towndesk/towndesk"
)

// Teach stores a taught link and sets its ID, and At unless it is set (a
// link imported from another data directory keeps its time). The question
// is stored with phone and ID numbers masked. It returns the link's
// validation error (EINVALID) or EINTERNAL.
func (db *DB) Teach(ctx context.Context, l *towndesk.TaughtLink) error {
	return db.TeachAll(ctx, []towndesk.TaughtLink{*l}, l)
}

// TeachAll stores links in one transaction: all or none. out, if given,
// receives the stored links (IDs and times set), in order. It returns the
// first link's validation error (EINVALID, nothing stored) or EINTERNAL.
func (db *DB) TeachAll(ctx context.Context, links []towndesk.TaughtLink, out ...*towndesk.TaughtLink) error {
	for i := range links {
		if err := links[i].Validate(); err != nil {
			return err
		}
	}
	tx, err := db.conn.BeginWrite(ctx)
	if err != nil {
		return internal("begin teach", err)
	}
	defer tx.Rollback()
	for i := range links {
		l := &links[i]
		l.Question = towndesk.MaskText(l.Question)
		l.Note = towndesk.MaskText(l.Note)
		if l.At.IsZero() {
			l.At = db.now()
		}
		none := 0
		if l.None {
			none = 1
		}
		var qid any
		if l.QuestionID != 0 {
			qid = l.QuestionID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO taught_links (question, matter, scope, province, county, county_code,
			town, town_code, code, item_name, none, note, taught_by, taught_at, question_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.Question, maskedJoin(l.Matter, " "), string(l.Scope), l.Place.Province, l.Place.County, l.Place.CountyCode,
			l.Place.Town, l.Place.TownCode, l.Code, l.ItemName, none, l.Note, l.By, timeText(l.At), qid)
		if isConstraint(err) {
			return questionNotFound(l.QuestionID)
		}
		if err != nil {
			return internal("insert taught link", err)
		}
		if l.ID, err = res.LastInsertId(); err != nil {
			return internal("taught link id", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return internal("commit teach", err)
	}
	for i := range out {
		if i < len(links) {
			*out[i] = links[i]
		}
	}
	return nil
}

// Retract withdraws taught link id. It returns ENOTFOUND for an unknown
// link and ECONFLICT for one already withdrawn.
func (db *DB) Retract(ctx context.Context, id int64, by, reason string) error {
	if strings.TrimSpace(by) == "" {
		return towndesk.Invalidf("by", "请用 --by 或 TOWNDESK_USER 说明是谁撤销的")
	}
	if _, err := db.TaughtLink(ctx, id); err != nil {
		return err
	}
	_, err := db.conn.ExecContext(ctx, `INSERT INTO taught_retractions (link_id, retracted_by, retracted_at, reason) VALUES (?, ?, ?, ?)`,
		id, by, timeText(db.now()), towndesk.MaskText(reason))
	if isConstraint(err) {
		return towndesk.Errorf(towndesk.ECONFLICT, "纠正 #%d 已经撤销过了", id)
	}
	return internal("retract taught link", err)
}

const taughtColumns = `l.id, l.question, l.matter, l.scope, l.province, l.county, l.county_code, l.town, l.town_code,
	l.code, l.item_name, l.none, l.note, l.taught_by, l.taught_at, coalesce(l.question_id, 0),
	coalesce(r.retracted_by, ''), coalesce(r.retracted_at, ''), coalesce(r.reason, '')`

const taughtFrom = ` FROM taught_links l LEFT JOIN taught_retractions r ON r.link_id = l.id`

func scanTaught(s scanner) (towndesk.TaughtLink, error) {
	var l towndesk.TaughtLink
	var matter, scope, at, rBy, rAt, reason string
	var none int
	err := s.Scan(&l.ID, &l.Question, &matter, &scope, &l.Place.Province, &l.Place.County, &l.Place.CountyCode,
		&l.Place.Town, &l.Place.TownCode, &l.Code, &l.ItemName, &none, &l.Note, &l.By, &at, &l.QuestionID, &rBy, &rAt, &reason)
	l.Matter = strings.Fields(matter)
	l.Scope = towndesk.Scope(scope)
	l.None = none == 1
	l.At = parseTime(at)
	if rAt != "" {
		l.Retracted = &towndesk.Retraction{By: rBy, At: parseTime(rAt), Reason: reason}
	}
	return l, err
}

// TaughtLink returns taught link id, or ENOTFOUND.
func (db *DB) TaughtLink(ctx context.Context, id int64) (*towndesk.TaughtLink, error) {
	l, err := scanTaught(db.conn.QueryRowContext(ctx, `SELECT `+taughtColumns+taughtFrom+` WHERE l.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, towndesk.Errorf(towndesk.ENOTFOUND, "没有编号为 %d 的纠正", id)
	}
	if err != nil {
		return nil, internal("read taught link", err)
	}
	return &l, nil
}

// TaughtLinks returns every taught link, retracted ones included, oldest
// first.
func (db *DB) TaughtLinks(ctx context.Context) ([]towndesk.TaughtLink, error) {
	rows, err := db.conn.QueryContext(ctx, `SELECT `+taughtColumns+taughtFrom+` ORDER BY l.id`)
	return collect(rows, err, "query taught links", scanTaught)
}

// TaughtGeneration changes whenever a link is taught or retracted.
func (db *DB) TaughtGeneration(ctx context.Context) (string, error) {
	var links, retractions int64
	err := db.conn.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM taught_links), (SELECT count(*) FROM taught_retractions)`).
		Scan(&links, &retractions)
	return strconv.FormatInt(links, 10) + "/" + strconv.FormatInt(retractions, 10), internal("taught generation", err)
}

// ItemByCode returns the row with code in an edition; ok is false if it
// has none.
func (db *DB) ItemByCode(ctx context.Context, editionID int64, code string) (towndesk.PowerItem, bool, error) {
	_, it, err := scanItem(db.conn.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM items WHERE edition_id = ? AND code = ?`, editionID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return towndesk.PowerItem{}, false, nil
	}
	return it, err == nil, internal("read item", err)
}

// ItemsByName returns the rows of an edition with the given item name, in
// file order.
func (db *DB) ItemsByName(ctx context.Context, editionID int64, name string) ([]towndesk.PowerItem, error) {
	rows, err := db.conn.QueryContext(ctx, `SELECT `+itemColumns+` FROM items WHERE edition_id = ? AND name = ? ORDER BY seq`, editionID, name)
	return collect(rows, err, "query items by name", scanPowerItem)
}

// RecordPick records that user picked code among the candidates of an
// uncertain reply to question id. It returns ENOTFOUND for an unknown
// question.
func (db *DB) RecordPick(ctx context.Context, id int64, user, code string) error {
	_, err := db.conn.ExecContext(ctx, `INSERT INTO question_picks (question_id, user_id, code, at) VALUES (?, ?, ?, ?)`,
		id, user, code, timeText(db.now()))
	if isConstraint(err) {
		return questionNotFound(id)
	}
	return internal("record pick", err)
}

// ReviewFilter selects the questions of the maintainers' queue.
type ReviewFilter struct {
	Since *time.Time
}

// ReviewQuestions returns the questions maintainers should look at, oldest
// first: those that got not_found or uncertain, and those someone marked
// 没用.
func (db *DB) ReviewQuestions(ctx context.Context, f ReviewFilter) ([]Question, error) {
	query := `SELECT ` + questionColumns + ` FROM questions q WHERE (q.status IN ('not_found', 'uncertain')
		OR EXISTS (SELECT 1 FROM question_feedback f WHERE f.question_id = q.id AND f.useful = 0))`
	var args []any
	if f.Since != nil {
		query += ` AND q.asked_at >= ?`
		args = append(args, timeText(*f.Since))
	}
	rows, err := db.conn.QueryContext(ctx, query+` ORDER BY q.asked_at, q.id`, args...)
	return collect(rows, err, "query review", scanQuestion)
}

package storage

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage/internal/sqldb"
)

// EditionInput is one new edition of a place's power list.
type EditionInput struct {
	Place   towndesk.Place
	Edition string // empty: the import date, made unique
	Files   []string
	Items   []towndesk.PowerItem
	// Progress, if set, is called as rows are written (for a progress line
	// on large imports, and for the crash test).
	Progress func(written int)
}

// ImportEdition stores a new edition of the list of in.Place and makes it
// the list's current edition, all in one transaction: if anything fails, or
// the process dies, the previous edition stays current and nothing of the
// new one is visible. It returns ECONFLICT if the list already has an
// edition of that name.
func (db *DB) ImportEdition(ctx context.Context, in EditionInput) (towndesk.List, error) {
	tx, err := db.conn.BeginWrite(ctx)
	if err != nil {
		return towndesk.List{}, internal("begin import", err)
	}
	defer tx.Rollback()

	now := db.now()
	listID, err := upsertList(ctx, tx, in.Place)
	if err != nil {
		return towndesk.List{}, err
	}
	edition := in.Edition
	if edition == "" {
		if edition, err = freeEditionName(ctx, tx, listID, now.Format("2006-01-02")); err != nil {
			return towndesk.List{}, err
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO editions (list_id, edition, files, imported_at, row_count)
		VALUES (?, ?, ?, ?, ?)`, listID, edition, strings.Join(in.Files, "\n"), timeText(now), len(in.Items))
	if isConstraint(err) {
		return towndesk.List{}, towndesk.Errorf(towndesk.ECONFLICT, "%s 的清单已有版本“%s”，请用 --edition 指定新的版本名", in.Place.Short(), edition)
	}
	if err != nil {
		return towndesk.List{}, internal("insert edition", err)
	}
	editionID, _ := res.LastInsertId()

	stmt, err := tx.PrepareContext(ctx, `INSERT INTO items
		(edition_id, seq, code, name, subitem, category, basis, body, office, mode, level, domain, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return towndesk.List{}, internal("prepare items", err)
	}
	defer stmt.Close()
	for i, it := range in.Items {
		if _, err := stmt.ExecContext(ctx, editionID, i, it.Code, it.Name, it.SubItem, it.Category, it.Basis,
			it.Body, it.Office, string(it.Mode), it.Level, it.Domain, it.Note); err != nil {
			if isConstraint(err) {
				return towndesk.List{}, towndesk.Errorf(towndesk.EINVALID, "事项编码 %s 重复", it.Code)
			}
			return towndesk.List{}, internal("insert item", err)
		}
		if in.Progress != nil && (i+1)%1000 == 0 {
			in.Progress(i + 1)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE lists SET current_edition_id = ? WHERE id = ?`, editionID, listID); err != nil {
		return towndesk.List{}, internal("set current edition", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'kb_generation'`); err != nil {
		return towndesk.List{}, internal("bump generation", err)
	}
	if err := tx.Commit(); err != nil {
		return towndesk.List{}, internal("commit import", err)
	}
	return towndesk.List{ID: listID, Place: in.Place, Edition: edition, EditionID: editionID,
		Rows: len(in.Items), ImportedAt: now, Files: in.Files}, nil
}

func upsertList(ctx context.Context, tx *sqldb.Tx, p towndesk.Place) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM lists WHERE place_code = ?`, p.Code()).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, internal("find list", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO lists (place_code, province, city, county, county_code, town, town_code)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Code(), p.Province, p.City, p.County, p.CountyCode, p.Town, p.TownCode)
	if err != nil {
		return 0, internal("insert list", err)
	}
	return res.LastInsertId()
}

func freeEditionName(ctx context.Context, tx *sqldb.Tx, listID int64, base string) (string, error) {
	name := base
	for n := 2; ; n++ {
		var c int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM editions WHERE list_id = ? AND edition = ?`, listID, name).Scan(&c); err != nil {
			return "", internal("find edition", err)
		}
		if c == 0 {
			return name, nil
		}
		name = base + "-" + strconv.Itoa(n)
	}
}

// Generation returns a value that changes whenever any list's current
// edition changes; the search index compares it with the one it was built from.
func (db *DB) Generation(ctx context.Context) (string, error) {
	var g string
	err := db.conn.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'kb_generation'`).Scan(&g)
	if err != nil {
		return "", internal("read generation", err)
	}
	return g, nil
}

const listColumns = `l.id, l.province, l.city, l.county, l.county_code, l.town, l.town_code,
	e.id, e.edition, e.files, e.imported_at, e.row_count`

func scanList(sc scanner) (towndesk.List, error) {
	var l towndesk.List
	var files, at string
	err := sc.Scan(&l.ID, &l.Place.Province, &l.Place.City, &l.Place.County, &l.Place.CountyCode,
		&l.Place.Town, &l.Place.TownCode, &l.EditionID, &l.Edition, &files, &at, &l.Rows)
	if files != "" {
		l.Files = strings.Split(files, "\n")
	}
	l.ImportedAt = parseTime(at)
	return l, err
}

// Lists returns every list with its current edition, counties first, in
// place-code order.
func (db *DB) Lists(ctx context.Context) ([]towndesk.List, error) {
	rows, err := db.conn.QueryContext(ctx, `SELECT `+listColumns+` FROM lists l
		JOIN editions e ON e.id = l.current_edition_id ORDER BY l.county_code, l.town_code`)
	return collect(rows, err, "query lists", scanList)
}

// Editions returns every edition of the list of place, oldest first. It
// returns ENOTFOUND if the place has no list.
func (db *DB) Editions(ctx context.Context, place towndesk.Place) ([]towndesk.List, error) {
	rows, err := db.conn.QueryContext(ctx, `SELECT `+listColumns+` FROM lists l
		JOIN editions e ON e.list_id = l.id WHERE l.place_code = ? ORDER BY e.id`, place.Code())
	out, err := collect(rows, err, "query editions", scanList)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, towndesk.Errorf(towndesk.ENOTFOUND, "%s 还没有导入权力清单", place.Short())
	}
	return out, nil
}

const itemColumns = `seq, code, name, subitem, category, basis, body, office, mode, level, domain, note`

func scanItem(sc scanner) (int, towndesk.PowerItem, error) {
	var seq int
	var it towndesk.PowerItem
	var mode string
	err := sc.Scan(&seq, &it.Code, &it.Name, &it.SubItem, &it.Category, &it.Basis, &it.Body,
		&it.Office, &mode, &it.Level, &it.Domain, &it.Note)
	it.Mode = towndesk.Mode(mode)
	return seq, it, err
}

// EditionItems returns the rows of one edition in file order.
func (db *DB) EditionItems(ctx context.Context, editionID int64) ([]towndesk.PowerItem, error) {
	rows, err := db.conn.QueryContext(ctx, `SELECT `+itemColumns+` FROM items WHERE edition_id = ? ORDER BY seq`, editionID)
	return collect(rows, err, "query items", scanPowerItem)
}

// scanPowerItem reads a row of itemColumns without its sequence number.
func scanPowerItem(sc scanner) (towndesk.PowerItem, error) {
	_, it, err := scanItem(sc)
	return it, err
}

// Items returns the rows of an edition with the given sequence numbers,
// keyed by sequence number, in one query. Missing rows are left out.
func (db *DB) Items(ctx context.Context, editionID int64, seqs []int) (map[int]towndesk.PowerItem, error) {
	out := make(map[int]towndesk.PowerItem, len(seqs))
	if len(seqs) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(seqs)+1)
	args = append(args, editionID)
	for _, s := range seqs {
		args = append(args, s)
	}
	rows, err := db.conn.QueryContext(ctx, `SELECT `+itemColumns+` FROM items WHERE edition_id = ? AND seq IN (?`+strings.Repeat(",?", len(seqs)-1)+`)`, args...)
	err = eachRow(rows, err, "query items", func(r *sql.Rows) error {
		seq, it, err := scanItem(r)
		out[seq] = it
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

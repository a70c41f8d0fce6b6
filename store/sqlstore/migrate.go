package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
)

//go:embed migrations
var migrationFiles embed.FS

// migration is one embedded SQL file, migrations/<dialect>/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// loadMigrations returns the dialect's migrations in version order.
func loadMigrations(files fs.FS, d Dialect) ([]migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var out []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s/%s: name is not NNNN_name.sql", dir, e.Name())
		}
		body, err := fs.ReadFile(files, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		version, _ := strconv.Atoi(m[1])
		out = append(out, migration{version: version, name: m[2], sql: string(body)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s: version %04d appears twice", dir, out[i].version)
		}
	}
	return out, nil
}

// Migrate applies every embedded migration that the database lacks, in
// version order, each in its own transaction. It is safe to run from
// several processes at once: on PostgreSQL each transaction first takes an
// advisory lock; SQLite serialises writers itself.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := loadMigrations(migrationFiles, s.dialect)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := s.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

// applyMigration applies m unless it is recorded as applied.
func (s *Store) applyMigration(ctx context.Context, m migration) error {
	applied := false
	err := s.inTx(ctx, func(q *querier) error {
		if lock := s.dialect.migrationLock(); lock != "" {
			if _, err := q.execRaw(ctx, lock); err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
		}
		if _, err := q.execRaw(ctx, s.dialect.bookkeepingDDL()); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var n int
		if err := q.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if n > 0 {
			return nil
		}
		if _, err := q.execRaw(ctx, m.sql); err != nil {
			return err
		}
		if _, err := q.exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
			return fmt.Errorf("record migration: %w", err)
		}
		applied = true
		return nil
	})
	if err == nil && applied {
		s.log.Info("applied database migration", "version", m.version, "name", m.name, "dialect", string(s.dialect))
	}
	return err
}

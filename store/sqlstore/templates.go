package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// AddTemplate stores a new template and its first version.
func (s *Store) AddTemplate(ctx context.Context, t store.Template) (store.Template, error) {
	t.Name = strings.ToLower(t.Name)
	if t.Name == "" || t.Department == "" || t.CreatedBy == "" || t.CreatedAt.IsZero() || len(t.Versions) != 1 {
		return store.Template{}, bot.Errorf(bot.EInvalid, "a template needs a name, a department, its author and one version")
	}
	var out store.Template
	err := s.inTx(ctx, func(q *querier) error {
		err := q.queryRow(ctx, `INSERT INTO templates (name, department, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			t.Name, t.Department, t.CreatedBy, t.CreatedAt).Scan(&t.ID)
		if bot.IsCode(err, bot.EConflict) {
			return &bot.Error{Code: bot.EConflict, Message: fmt.Sprintf("a template named %q exists already", t.Name), Err: err}
		}
		if err != nil {
			return err
		}
		t.Versions[0].Version = 1
		if err := insertTemplateVersion(ctx, q, t.ID, t.Versions[0]); err != nil {
			return err
		}
		out, err = loadTemplate(ctx, q, t.Name)
		return err
	})
	if err != nil {
		return store.Template{}, fmt.Errorf("add template %q: %w", t.Name, err)
	}
	return out, nil
}

// AddTemplateVersion stores the next version of a template in use.
func (s *Store) AddTemplateVersion(ctx context.Context, name string, v store.TemplateVersion) (store.Template, error) {
	var out store.Template
	err := s.inTx(ctx, func(q *querier) error {
		t, err := loadTemplate(ctx, q, name)
		if err != nil {
			return err
		}
		if !t.RetiredAt.IsZero() {
			return bot.Errorf(bot.EConflict, "template %s was retired by @%s", t.Name, t.RetiredBy)
		}
		v.Version = t.Latest().Version + 1
		if err := insertTemplateVersion(ctx, q, t.ID, v); err != nil {
			return err
		}
		out, err = loadTemplate(ctx, q, name)
		return err
	})
	if err != nil {
		return store.Template{}, fmt.Errorf("add a version to template %q: %w", name, err)
	}
	return out, nil
}

func insertTemplateVersion(ctx context.Context, q *querier, id int64, v store.TemplateVersion) error {
	if v.Text == "" || v.ContentID == 0 || v.CreatedBy == "" || v.CreatedAt.IsZero() {
		return bot.Errorf(bot.EInvalid, "a template version needs a text, its content item, its author and a time")
	}
	_, err := q.exec(ctx, `INSERT INTO template_versions (template_id, version, text, content_id, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, v.Version, v.Text, v.ContentID, v.CreatedBy, v.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert version %d: %w", v.Version, err)
	}
	return nil
}

// Template returns the template named name with its versions.
func (s *Store) Template(ctx context.Context, name string) (store.Template, error) {
	var out store.Template
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = loadTemplate(ctx, q, name)
		return err
	})
	if err != nil {
		return store.Template{}, fmt.Errorf("load template %q: %w", name, err)
	}
	return out, nil
}

// ListTemplates lists a department's templates (every one when "") by name.
func (s *Store) ListTemplates(ctx context.Context, department string) ([]store.Template, error) {
	var out []store.Template
	err := s.inTx(ctx, func(q *querier) error {
		w := where{}
		if department != "" {
			w.add("department = ?", department)
		}
		rows, err := q.query(ctx, `SELECT name FROM templates`+w.sql()+` ORDER BY name`, w.args...)
		if err != nil {
			return err
		}
		names, err := collect(rows, func(r Rows) (n string, err error) { return n, r.Scan(&n) })
		if err != nil {
			return err
		}
		for _, n := range names {
			t, err := loadTemplate(ctx, q, n)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	return out, nil
}

// RetireTemplate marks a template retired.
func (s *Store) RetireTemplate(ctx context.Context, name, by string, at time.Time) (store.Template, error) {
	var out store.Template
	err := s.inTx(ctx, func(q *querier) error {
		t, err := loadTemplate(ctx, q, name)
		if err != nil {
			return err
		}
		if !t.RetiredAt.IsZero() {
			return bot.Errorf(bot.EConflict, "template %s was retired by @%s already", t.Name, t.RetiredBy)
		}
		if _, err := q.exec(ctx, `UPDATE templates SET retired_by = ?, retired_at = ? WHERE id = ?`, by, at, t.ID); err != nil {
			return err
		}
		out, err = loadTemplate(ctx, q, name)
		return err
	})
	if err != nil {
		return store.Template{}, fmt.Errorf("retire template %q: %w", name, err)
	}
	return out, nil
}

// loadTemplate reads a template, its versions with their items' status,
// and how many answers used it.
func loadTemplate(ctx context.Context, q *querier, name string) (store.Template, error) {
	var (
		t       store.Template
		retired sql.NullTime
	)
	err := q.queryRow(ctx, `SELECT id, name, department, created_by, created_at, retired_by, retired_at
		FROM templates WHERE name = ?`, strings.ToLower(name)).
		Scan(&t.ID, &t.Name, &t.Department, &t.CreatedBy, &t.CreatedAt, &t.RetiredBy, &retired)
	if errors.Is(err, ErrNoRows) {
		return t, bot.Errorf(bot.ENotFound, "no template named %q; see /template list", name)
	}
	if err != nil {
		return t, err
	}
	t.RetiredAt = nullTimeValue(retired)
	rows, err := q.query(ctx, `SELECT v.version, v.text, v.content_id, c.status, v.created_by, v.created_at
		FROM template_versions v JOIN content_items c ON c.id = v.content_id
		WHERE v.template_id = ? ORDER BY v.version`, t.ID)
	if err != nil {
		return t, err
	}
	t.Versions, err = collect(rows, func(r Rows) (v store.TemplateVersion, err error) {
		return v, r.Scan(&v.Version, &v.Text, &v.ContentID, &v.Status, &v.CreatedBy, &v.CreatedAt)
	})
	if err != nil {
		return t, err
	}
	err = q.queryRow(ctx, `SELECT COUNT(*) FROM routed_issues WHERE answer_template = ?`, t.Name).Scan(&t.Uses)
	return t, err
}

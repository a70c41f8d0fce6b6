package store

import (
	"context"
	"time"
)

// Template is a department's named reply with placeholders, e.g. "Sorry,
// {name}! Your order {order} ships today." Each version is approved
// through a content item; a version's status is its item's.
type Template struct {
	ID         int64
	Name       string // unique, lower case
	Department string
	CreatedBy  string
	CreatedAt  time.Time
	RetiredBy  string
	RetiredAt  time.Time         // zero = in use
	Versions   []TemplateVersion // oldest first
	Uses       int               // answers filled from it, every version
}

// TemplateVersion is one text of a template.
type TemplateVersion struct {
	Version   int // 1, then one more per edit
	Text      string
	ContentID int64  // the content item approving it
	Status    string // its content item's status (ContentInReview, ContentApproved, …), read
	CreatedBy string
	CreatedAt time.Time
}

// Approved returns the newest approved version (false when none is).
func (t Template) Approved() (TemplateVersion, bool) {
	for i := len(t.Versions) - 1; i >= 0; i-- {
		if t.Versions[i].Status == ContentApproved {
			return t.Versions[i], true
		}
	}
	return TemplateVersion{}, false
}

// Latest returns the newest version.
func (t Template) Latest() TemplateVersion {
	if len(t.Versions) == 0 {
		return TemplateVersion{}
	}
	return t.Versions[len(t.Versions)-1]
}

// Templates keeps reply templates. An answer's template is recorded on the
// routed issue (RoutedIssue.Template).
type Templates interface {
	// AddTemplate stores a new template with its first version (t.Versions[0]);
	// EConflict when the name is taken.
	AddTemplate(ctx context.Context, t Template) (Template, error)
	// AddTemplateVersion stores v as the next version of the template
	// named name; ENotFound, or EConflict when it is retired.
	AddTemplateVersion(ctx context.Context, name string, v TemplateVersion) (Template, error)
	Template(ctx context.Context, name string) (Template, error) // ENotFound
	// ListTemplates lists the templates of department ("" = all), retired
	// ones too, by name.
	ListTemplates(ctx context.Context, department string) ([]Template, error)
	// RetireTemplate marks it retired; EConflict when it already is.
	RetireTemplate(ctx context.Context, name, by string, at time.Time) (Template, error)
}

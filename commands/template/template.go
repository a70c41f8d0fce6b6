// Package template implements /template: a department's reply templates,
// texts with {placeholders} that liaisons fill in to answer routed issues
// (/route answer <id> --template <name> key=value…). Every version is
// approved through content approvals (commands/content) at the configured
// sensitivity; a version's state is its content item's, read when the
// template is used, so content needs no hook back into templates. The
// newest approved version is the one used: an edit leaves the previous one
// in use until the new one is approved.
package template

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/content"
	"github.com/interlock-coe/interlock/store"
)

// namePattern is a template's name.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// socialLead may manage any department's templates.
const socialLead = "social-lead"

type handlers struct{ commands.Deps }

// Register adds the /template commands.
func Register(r *bot.Router, d commands.Deps) {
	h := &handlers{d}
	r.Describe("template", "Approved reply templates: add · edit · list · show · retire")
	r.Register(
		bot.Command{
			Group: "template", Name: "add", Args: "<name> --dept D <text…>",
			Summary: "Add a reply template with {placeholders}; it is usable once content approval passes",
			Examples: []string{
				"/template add late-parcel --dept customer-care Sorry {name}! Your order {order} ships today.",
			},
			Options: []string{"dept"}, MinWords: 2, Handler: h.add,
		},
		bot.Command{
			Group: "template", Name: "edit", Args: "<name> <text…>",
			Summary:  "Make a new version, approved again; the current one stays in use until then",
			Examples: []string{"/template edit late-parcel Sorry {name}! Order {order} ships today with express delivery."},
			MinWords: 2, Handler: h.edit,
		},
		bot.Command{
			Group: "template", Name: "list", Args: "[--dept D]",
			Summary: "List reply templates with the version in use", Examples: []string{"/template list --dept customer-care"},
			Options: []string{"dept"}, Handler: h.list,
		},
		bot.Command{
			Group: "template", Name: "show", Args: "<name>",
			Summary: "Show a template's versions, their approval state and placeholders", MinWords: 1, Handler: h.show,
		},
		bot.Command{
			Group: "template", Name: "retire", Args: "<name>",
			Summary: "Retire a template: it can no longer be used", MinWords: 1, Handler: h.retire,
		},
	)
}

// name validates a template name word.
func name(word string) (string, error) {
	n := strings.ToLower(word)
	if !namePattern.MatchString(n) {
		return "", bot.Errorf(bot.EInvalid, "%q is not a template name: use letters, digits, '_' and '-', starting with a letter", word)
	}
	return n, nil
}

// department validates a --dept value.
func (h *handlers) department(word string) (string, error) {
	d, ok := h.Config.Department(word)
	if !ok {
		return "", bot.Errorf(bot.EInvalid, "unknown department %q; departments: %s", word, strings.Join(h.Config.DepartmentIDs(), ", "))
	}
	return d.ID, nil
}

// mayManage lets the department's liaisons, the social lead and the CoE
// lead add, edit and retire its templates.
func (h *handlers) mayManage(ctx context.Context, person, dept string) error {
	if h.Config.IsCoELead(person) {
		return nil
	}
	d, _ := h.Config.Department(dept)
	held, err := h.Roster().HeldRoles(ctx, person, []string{d.LiaisonRole, socialLead})
	if err != nil {
		return err
	}
	if len(held) == 0 {
		return bot.Errorf(bot.EForbidden, "only holders of %s (the %s liaisons), %s or the CoE lead may manage %s templates",
			d.LiaisonRole, d.Name, socialLead, d.Name)
	}
	return nil
}

// load returns the template named by word.
func (h *handlers) load(ctx context.Context, word string) (store.Template, error) {
	n, err := name(word)
	if err != nil {
		return store.Template{}, err
	}
	t, err := h.Store.Template(ctx, n)
	if err != nil && !bot.IsCode(err, bot.ENotFound) {
		return t, fmt.Errorf("load template %s: %w", n, err)
	}
	return t, err
}

// submit sends a version's text to content approval.
func (h *handlers) submit(ctx context.Context, n, dept string, version int, text, by string) (store.ContentItem, string, error) {
	return content.Submit(ctx, h.Deps, content.Draft{
		Title: fmt.Sprintf("Reply template %s v%d (%s)", n, version, dept), Body: text,
		Sensitivity: h.Config.Templates.Sensitivity, By: by,
	})
}

// withdrawOpen withdraws the content items of versions still in review
// (an edit replaces them; a retired template needs none).
func (h *handlers) withdrawOpen(ctx context.Context, t store.Template, below int, by, why string) {
	for _, v := range t.Versions {
		if v.Version < below && (v.Status == store.ContentInReview || v.Status == store.ContentChanges) {
			if err := content.Withdraw(ctx, h.Deps, v.ContentID, by, why); err != nil {
				h.Log.Warn("cannot withdraw a replaced template version", "template", t.Name, "version", v.Version, "err", err)
			}
		}
	}
}

package template

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/content"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) add(ctx context.Context, c *bot.Context) error {
	n, err := name(c.Args.Word(0))
	if err != nil {
		return err
	}
	if !c.Args.Has("dept") {
		return bot.Errorf(bot.EInvalid, "say whose template it is with --dept D; departments: %s", strings.Join(h.Config.DepartmentIDs(), ", "))
	}
	dept, err := h.department(c.Args.Flag("dept"))
	if err != nil {
		return err
	}
	text := strings.TrimSpace(c.Args.Text(1))
	keys, err := Placeholders(text)
	if err != nil {
		return err
	}
	if err := h.mayManage(ctx, c.User, dept); err != nil {
		return err
	}
	if _, err := h.load(ctx, n); err == nil {
		return bot.Errorf(bot.EConflict, "a template named %s exists already; change it with /template edit %s <text…>", n, n)
	} else if !bot.IsCode(err, bot.ENotFound) {
		return err
	}
	it, asked, err := h.submit(ctx, n, dept, 1, text, c.User)
	if err != nil {
		return err
	}
	now := h.Clock.Now()
	t, err := h.Store.AddTemplate(ctx, store.Template{
		Name: n, Department: dept, CreatedBy: c.User, CreatedAt: now,
		Versions: []store.TemplateVersion{{Text: text, ContentID: it.ID, CreatedBy: c.User, CreatedAt: now}},
	})
	if err != nil {
		// Someone took the name meanwhile: the approval asked for nothing.
		if werr := content.Withdraw(ctx, h.Deps, it.ID, c.User, "the template could not be stored"); werr != nil {
			h.Log.Warn("cannot withdraw an orphan template version", "content", it.ID, "err", werr)
		}
		return err
	}
	return c.Reply(bot.Message{
		Text: fmt.Sprintf("📝 Template %s (%s) v1 sent for approval as content %s (%s); placeholders %s. It can be used once approved.\n%s",
			t.Name, dept, bot.FormatID(it.ID), it.Sensitivity, orNone(keys), asked),
		Footer: "Follow it with /template show " + t.Name,
	})
}

func (h *handlers) edit(ctx context.Context, c *bot.Context) error {
	t, err := h.load(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	text := strings.TrimSpace(c.Args.Text(1))
	keys, err := Placeholders(text)
	if err != nil {
		return err
	}
	if err := h.mayManage(ctx, c.User, t.Department); err != nil {
		return err
	}
	if !t.RetiredAt.IsZero() {
		return bot.Errorf(bot.EConflict, "template %s was retired by @%s", t.Name, t.RetiredBy)
	}
	version := t.Latest().Version + 1
	it, asked, err := h.submit(ctx, t.Name, t.Department, version, text, c.User)
	if err != nil {
		return err
	}
	t, err = h.Store.AddTemplateVersion(ctx, t.Name, store.TemplateVersion{Text: text, ContentID: it.ID, CreatedBy: c.User, CreatedAt: h.Clock.Now()})
	if err != nil {
		if werr := content.Withdraw(ctx, h.Deps, it.ID, c.User, "the template version could not be stored"); werr != nil {
			h.Log.Warn("cannot withdraw an orphan template version", "content", it.ID, "err", werr)
		}
		return err
	}
	h.withdrawOpen(ctx, t, t.Latest().Version, c.User, fmt.Sprintf("replaced by version %d", t.Latest().Version))
	inUse := "No version is approved yet."
	if v, ok := t.Approved(); ok {
		inUse = fmt.Sprintf("Version %d stays in use until then.", v.Version)
	}
	return c.Reply(bot.Message{Text: fmt.Sprintf("📝 Template %s v%d sent for approval as content %s (%s); placeholders %s. %s\n%s",
		t.Name, t.Latest().Version, bot.FormatID(it.ID), it.Sensitivity, orNone(keys), inUse, asked)})
}

func (h *handlers) retire(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(1))
	}
	t, err := h.load(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	if err := h.mayManage(ctx, c.User, t.Department); err != nil {
		return err
	}
	t, err = h.Store.RetireTemplate(ctx, t.Name, c.User, h.Clock.Now())
	if err != nil {
		return err
	}
	h.withdrawOpen(ctx, t, t.Latest().Version+1, c.User, "template retired")
	return c.Replyf("🗄 Template %s (%s) retired by @%s; it can no longer be used.", t.Name, t.Department, c.User)
}

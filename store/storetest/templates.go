package storetest

import (
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func templateTests() []test {
	return []test{
		{"TemplateAddEditAndStatus", testTemplateAddEditAndStatus},
		{"TemplateNameUniqueAndRetire", testTemplateNameUniqueAndRetire},
		{"TemplateUsesCountedFromAnswers", testTemplateUsesCountedFromAnswers},
		{"ContentWithBodyInsteadOfLink", testContentWithBody},
	}
}

func addTemplate(t *testing.T, s store.Store, name, dept string) store.Template {
	t.Helper()
	it := submitContent(t, s, "template "+name, "priya")
	return must(s.AddTemplate(t.Context(), store.Template{
		Name: name, Department: dept, CreatedBy: "priya", CreatedAt: base(),
		Versions: []store.TemplateVersion{{Text: "Hello {name}", ContentID: it.ID, CreatedBy: "priya", CreatedAt: base()}},
	}))(t)
}

// setContentStatus decides a template version's content item.
func setContentStatus(t *testing.T, s store.Store, id int64, status string) {
	t.Helper()
	_, err := s.UpdateContent(t.Context(), id, func(u *store.ContentUpdate) error {
		u.Item.Status, u.Item.DecidedAt = status, base().Add(time.Hour)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testTemplateAddEditAndStatus(t *testing.T, s store.Store) {
	tp := addTemplate(t, s, "Greeting", "customer-care")
	if tp.ID == 0 || tp.Name != "greeting" || tp.Department != "customer-care" || len(tp.Versions) != 1 ||
		tp.Versions[0].Version != 1 || tp.Versions[0].Status != store.ContentInReview || tp.Uses != 0 {
		t.Fatalf("added = %+v", tp)
	}
	checkTime(t, "created_at", tp.CreatedAt, base())
	if _, ok := tp.Approved(); ok {
		t.Error("a version in review counts as approved")
	}
	setContentStatus(t, s, tp.Versions[0].ContentID, store.ContentApproved)
	next := submitContent(t, s, "template greeting v2", "priya")
	tp = must(s.AddTemplateVersion(t.Context(), "GREETING", store.TemplateVersion{
		Text: "Hi {name}!", ContentID: next.ID, CreatedBy: "sam", CreatedAt: base().Add(2 * time.Hour),
	}))(t)
	if len(tp.Versions) != 2 || tp.Latest().Version != 2 || tp.Latest().Text != "Hi {name}!" || tp.Latest().Status != store.ContentInReview {
		t.Fatalf("after edit = %+v", tp.Versions)
	}
	// The approved version stays usable until the new one is approved.
	if v, ok := tp.Approved(); !ok || v.Version != 1 {
		t.Errorf("approved = %+v, %v; want version 1", v, ok)
	}
	setContentStatus(t, s, next.ID, store.ContentApproved)
	got := must(s.Template(t.Context(), "greeting"))(t)
	if v, ok := got.Approved(); !ok || v.Version != 2 || v.Text != "Hi {name}!" {
		t.Errorf("approved after the second approval = %+v, %v", v, ok)
	}
	if _, err := s.Template(t.Context(), "nope"); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("unknown template: %v, want not found", err)
	}
	if _, err := s.AddTemplateVersion(t.Context(), "nope", store.TemplateVersion{Text: "x", ContentID: next.ID, CreatedBy: "a", CreatedAt: base()}); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("version of an unknown template: %v, want not found", err)
	}
}

func testTemplateNameUniqueAndRetire(t *testing.T, s store.Store) {
	addTemplate(t, s, "refund", "customer-care")
	addTemplate(t, s, "demo", "sales")
	it := submitContent(t, s, "dup", "priya")
	_, err := s.AddTemplate(t.Context(), store.Template{Name: "Refund", Department: "sales", CreatedBy: "a", CreatedAt: base(),
		Versions: []store.TemplateVersion{{Text: "x", ContentID: it.ID, CreatedBy: "a", CreatedAt: base()}}})
	if !bot.IsCode(err, bot.EConflict) {
		t.Errorf("duplicate name: %v, want conflict", err)
	}
	if all := must(s.ListTemplates(t.Context(), ""))(t); len(all) != 2 || all[0].Name != "demo" || all[1].Name != "refund" {
		t.Errorf("list all = %+v", all)
	}
	if care := must(s.ListTemplates(t.Context(), "customer-care"))(t); len(care) != 1 || care[0].Name != "refund" {
		t.Errorf("list customer-care = %+v", care)
	}
	got := must(s.RetireTemplate(t.Context(), "refund", "sam", base().Add(time.Hour)))(t)
	if got.RetiredBy != "sam" {
		t.Errorf("retired = %+v", got)
	}
	checkTime(t, "retired_at", got.RetiredAt, base().Add(time.Hour))
	if _, err := s.RetireTemplate(t.Context(), "refund", "sam", base()); !bot.IsCode(err, bot.EConflict) {
		t.Errorf("retire twice: %v, want conflict", err)
	}
	_, err = s.AddTemplateVersion(t.Context(), "refund", store.TemplateVersion{Text: "x", ContentID: it.ID, CreatedBy: "a", CreatedAt: base()})
	if !bot.IsCode(err, bot.EConflict) {
		t.Errorf("edit a retired template: %v, want conflict", err)
	}
}

func testTemplateUsesCountedFromAnswers(t *testing.T, s store.Store) {
	addTemplate(t, s, "greeting", "customer-care")
	for i, tmpl := range []string{"greeting", "greeting", ""} {
		is := createIssue(t, s, newIssue("inbox", "m"+string(rune('1'+i)), "acme", "customer-care", base()))
		got := must(s.UpdateRoutedIssue(t.Context(), is.ID, func(is *store.RoutedIssue) error {
			is.Status, is.Reply, is.AnsweredBy, is.AnsweredAt = store.IssueAnswered, "Hello Ann", "sam", base()
			is.Template, is.TemplateVersion = tmpl, 1
			return nil
		}))(t)
		if got.Template != tmpl {
			t.Errorf("issue template = %q, want %q", got.Template, tmpl)
		}
		if re := must(s.RoutedIssue(t.Context(), is.ID))(t); re.Template != tmpl || re.TemplateVersion != 1 {
			t.Errorf("reloaded template = %q v%d", re.Template, re.TemplateVersion)
		}
	}
	if tp := must(s.Template(t.Context(), "greeting"))(t); tp.Uses != 2 {
		t.Errorf("uses = %d, want 2", tp.Uses)
	}
}

func testContentWithBody(t *testing.T, s store.Store) {
	it := store.ContentItem{
		Title: "template greeting v1", Body: "Hello {name}", Sensitivity: "high", SubmittedBy: "priya", SubmittedAt: base(),
		Status: store.ContentInReview,
		Stages: []store.ContentStage{{Name: "legal", Roles: []string{"legal"}, Quorum: 1, Target: time.Hour, Status: store.StagePending, StartedAt: base()}},
	}
	entry := store.ContentEntry{At: base(), Actor: "priya", Action: "submitted", Version: 1}
	got := must(s.SubmitContent(t.Context(), it, entry, nil))(t)
	if re := must(s.ContentItem(t.Context(), got.ID))(t); re.Body != "Hello {name}" || re.Link != "" {
		t.Errorf("reloaded = %+v", re)
	}
	for _, bad := range []store.ContentItem{{Title: "neither"}, {Title: "both", Link: "https://x", Body: "y"}} {
		bad.Sensitivity, bad.SubmittedBy, bad.SubmittedAt, bad.Status, bad.Stages = it.Sensitivity, it.SubmittedBy, it.SubmittedAt, it.Status, it.Stages
		if _, err := s.SubmitContent(t.Context(), bad, entry, nil); !bot.IsCode(err, bot.EInvalid) {
			t.Errorf("%s: %v, want invalid", bad.Title, err)
		}
	}
}

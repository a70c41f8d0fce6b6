package template_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/content"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/commands/template"
	"github.com/interlock-coe/interlock/store"
)

// inbox records the answers relayed to the social inbox.
type inbox struct {
	mu      sync.Mutex
	replies []string
}

func (i *inbox) Send(_ context.Context, a route.Answer) error {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.replies = append(i.replies, a.Reply)
	return nil
}

func (i *inbox) all() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.replies...)
}

func newHarness(t *testing.T, opt commandstest.Option) (*commandstest.Harness, *inbox) {
	t.Helper()
	in := &inbox{}
	routes := func(r *bot.Router, d commands.Deps) { route.Register(r, d, in) }
	h := commandstest.New(t, []commandstest.Register{role.Register, content.Register, template.Register, routes}, opt)
	for _, line := range []string{
		"/role assign customer-care @lee",
		"/role assign sales @chris",
		"/role assign comms @sam",
		"/role assign legal @dana",
	} {
		if r := h.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
	return h, in
}

func must(t *testing.T, r commandstest.Result) commandstest.Result {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("unexpected error: %v\n%s", r.Err, r.Text())
	}
	return r
}

// lastPost is the newest post (not update) in channel.
func lastPost(t *testing.T, h *commandstest.Harness, channel string) bot.Message {
	t.Helper()
	posts := h.Chat.Events("post")
	for i := len(posts) - 1; i >= 0; i-- {
		if posts[i].Channel == channel {
			return posts[i].Message
		}
	}
	t.Fatalf("nothing posted in %s", channel)
	return bot.Message{}
}

func TestTemplateApprovedByLegalThenFillsAnswers(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, opt commandstest.Option) {
		h, in := newHarness(t, opt)
		must(t, h.Say("@lee /template add Late-Parcel --dept customer-care Sorry {name}! Your order {order} ships today.")).
			Contains(t, "Template late-parcel (customer-care) v1 sent for approval as content #1 (high); placeholders {name}, {order}",
				"Stage comms asks comms (@sam")
		must(t, h.Say("/route customer-care My parcel never came"))
		if bs := lastPost(t, h, "#customer-care").Buttons; len(bs) != 3 {
			t.Errorf("an unapproved template is offered: %+v", bs)
		}

		use := "@lee /route answer 1 --template late-parcel name=Ann order=A-12"
		h.Say(use).Fails(t, bot.EConflict, "template late-parcel has no approved version yet: v1 is in-review (content #1)")
		must(t, h.Say("@sam /content approve 1"))
		h.Say(use).Fails(t, bot.EConflict, "no approved version yet")
		must(t, h.Say("@dana /content approve 1")).Contains(t, "Content #1 is approved")

		h.Say("@lee /route answer 1 --template late-parcel name=Ann").Fails(t, bot.EInvalid, "template late-parcel: missing {order}: add order=…")
		h.Say("@lee /route answer 1 --template late-parcel name=Ann order=1 tone=warm").Fails(t, bot.EInvalid, "unknown key tone: the template has {name}, {order}")
		h.Say("@lee /route answer 1 --template late-parcel name=Ann order").Fails(t, bot.EInvalid, `"order" is not key=value`)
		h.Say("@chris /route answer 1 --template late-parcel name=Ann order=1").Fails(t, bot.EForbidden, "only holders of customer-care")
		if is, _ := h.Store.RoutedIssue(t.Context(), 1); !is.AnsweredAt.IsZero() || len(in.all()) != 0 {
			t.Fatalf("a refused answer was stored or sent: %+v, %q", is, in.all())
		}
		must(t, h.Say(`@lee /route answer 1 --template late-parcel name=Ann order="A 12"`)).
			Contains(t, "@lee answered #1", "From template late-parcel v1:\n> Sorry Ann! Your order A 12 ships today.")
		if got := in.all(); len(got) != 1 || got[0] != "Sorry Ann! Your order A 12 ships today." {
			t.Fatalf("the inbox received %q", got)
		}
		if is, _ := h.Store.RoutedIssue(t.Context(), 1); is.Template != "late-parcel" || is.TemplateVersion != 1 {
			t.Errorf("issue #1 template = %q v%d", is.Template, is.TemplateVersion)
		}

		// A new issue's post offers the approved template, asking for its values.
		must(t, h.Say("/route customer-care Where is my refund?"))
		bs := lastPost(t, h, "#customer-care").Buttons
		if len(bs) != 4 || bs[3].Label != "Answer with late-parcel" || bs[3].Command != "/route answer 2 --template late-parcel" ||
			bs[3].Input == nil || bs[3].Input.Label != "Values: name=… order=…" {
			t.Fatalf("buttons = %+v", bs)
		}
		clicked, err := bs[3].WithInput("name=Bo order=B-7")
		if err != nil {
			t.Fatal(err)
		}
		must(t, h.Say("@lee "+clicked)).Contains(t, "Sorry Bo! Your order B-7 ships today.")

		// An edit waits for approval; v1 stays in use meanwhile.
		must(t, h.Say("@lee /template edit late-parcel Hi {name}, order {order} is on its way.")).
			Contains(t, "Template late-parcel v2 sent for approval as content #2", "Version 1 stays in use until then.")
		must(t, h.Say("/route customer-care Parcel late again"))
		must(t, h.Say("@lee /route answer 3 --template late-parcel name=Cy order=C-1")).Contains(t, "From template late-parcel v1:")
		must(t, h.Say("@sam /content approve 2"))
		must(t, h.Say("@dana /content approve 2"))
		must(t, h.Say("/route customer-care Parcel late once more"))
		must(t, h.Say("@lee /route answer 4 --template late-parcel name=Di order=D-1")).
			Contains(t, "From template late-parcel v2:\n> Hi Di, order D-1 is on its way.")
		must(t, h.Say("/template show late-parcel")).
			Contains(t, "v2 in use · 4 uses", "v1 approved (content #1)", "v2 approved (content #2)", "Use it: /route answer <id> --template late-parcel name=… order=…")

		// A rejected edit leaves the approved version in use.
		must(t, h.Say("@lee /template edit late-parcel Whatever, {name}."))
		must(t, h.Say("@sam /content reject 3 not our tone"))
		must(t, h.Say("/template list --dept customer-care")).Contains(t, "late-parcel (customer-care): v2 in use · v3 rejected · 4 uses")

		// Another department's template is not this issue's.
		must(t, h.Say("@chris /template add demo-call --dept sales Happy to show you a demo."))
		must(t, h.Say("/route customer-care Another parcel"))
		must(t, h.Say("@sam /content approve 4"))
		must(t, h.Say("@dana /content approve 4"))
		h.Say("@lee /route answer 5 --template demo-call").Fails(t, bot.EInvalid, "template demo-call is for sales, and this issue is routed to customer-care")

		must(t, h.Say("@lee /template retire late-parcel")).Contains(t, "Template late-parcel (customer-care) retired by @lee")
		h.Say("@lee /route answer 5 --template late-parcel name=E order=E-1").Fails(t, bot.EConflict, "template late-parcel was retired by @lee")
		h.Say("@lee /template edit late-parcel Back {name}").Fails(t, bot.EConflict, "was retired")
	})
}

// TestTemplateCommandsRejectBadInputAndStoreNothing: every mistake is
// answered privately with the command's usage, and nothing is stored.
func TestTemplateCommandsRejectBadInputAndStoreNothing(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, opt commandstest.Option) {
		h, _ := newHarness(t, opt)
		for _, tc := range []struct{ line, want, usage string }{
			{"/template add greeting Hello {name}", "--dept D", "Usage: /template add <name> --dept D <text…>"},
			{"/template add greeting --dept nowhere Hello", `unknown department "nowhere"`, "Usage: /template add"},
			{"/template add 1st --dept sales Hello", `"1st" is not a template name`, "Usage: /template add"},
			{"/template add greeting --dept sales Hello {name", "a { without its }", "Usage: /template add"},
			{"/template add greeting --dept sales Hello {first name}", "is not a name", "Usage: /template add"},
			{"/template add greeting --dept sales", "", "Usage: /template add"},
			{"/template add greeting --dept sales --tone warm Hi", "unknown option --tone", "Usage: /template add"},
			{"/template edit greeting", "", "Usage: /template edit <name> <text…>"},
			{"/template edit nope Hello", `no template named "nope"`, ""}, // not found: no usage, as everywhere
			{"/template list extra", `unexpected "extra"`, "Usage: /template list [--dept D]"},
			{"/template list --dept nowhere", `unknown department "nowhere"`, "Usage: /template list"},
			{"/template show", "", "Usage: /template show <name>"},
			{"/template show a b", `unexpected "b"`, "Usage: /template show"},
			{"/template retire", "", "Usage: /template retire <name>"},
			{"/template retire nope", `no template named "nope"`, ""},
		} {
			r := h.Say(tc.line)
			if r.Err == nil || !r.Private() || !strings.Contains(r.Text(), tc.want) || !strings.Contains(r.Text(), tc.usage) {
				t.Errorf("%s: error %v, reply:\n%s\nwant %q and %q", tc.line, r.Err, r.Text(), tc.want, tc.usage)
			}
		}
		h.Say("@priya /template add greeting --dept sales Hello").Fails(t, bot.EForbidden, "only holders of sales")
		ts, err := h.Store.ListTemplates(t.Context(), "")
		items, err2 := h.Store.ListContent(t.Context(), store.ContentQuery{})
		if err != nil || err2 != nil || len(ts) != 0 || len(items) != 0 || len(h.Chat.Events("dm")) != 0 {
			t.Errorf("bad input stored %d templates, %d content items, sent %d DMs (%v, %v)", len(ts), len(items), len(h.Chat.Events("dm")), err, err2)
		}
		must(t, h.Say("/template list")).Contains(t, "No reply templates yet")
		must(t, h.Say("@chris /template add greeting --dept sales Hello"))
		h.Say("@chris /template add Greeting --dept sales Hi").Fails(t, bot.EConflict, "a template named greeting exists already")
		if items, _ := h.Store.ListContent(t.Context(), store.ContentQuery{}); len(items) != 1 {
			t.Errorf("a refused duplicate stored a content item: %d items", len(items))
		}
	})
}

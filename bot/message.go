package bot

import "time"

// Field is a labelled value shown in a message (Slack fields, Discord embed
// fields, an indented line in the shell).
type Field struct {
	Title string
	Value string
}

// ButtonStyle hints how a button is drawn.
type ButtonStyle string

// Button styles.
const (
	StyleDefault ButtonStyle = ""
	StylePrimary ButtonStyle = "primary"
	StyleDanger  ButtonStyle = "danger"
)

// Button is a one-click action. Command is the typed command it stands for
// (for example "/crisis approve 3"): clicking it runs exactly that command as
// the person who clicked, so every button has a typed equivalent. A button
// with an Input first asks for text (a form with one required field) and
// runs the command followed by that text.
type Button struct {
	Label   string
	Command string
	Style   ButtonStyle
	Input   *Input
}

// Input is the text a button asks for before it runs: Name is the argument
// it fills ("reason", shown as "<reason…>" in the typed equivalent) and
// Label the question the form asks.
type Input struct {
	Name  string
	Label string
}

// Message is platform-neutral rich content.
type Message struct {
	Title   string
	Text    string
	Fields  []Field
	Buttons []Button
	Footer  string
	// Outside marks a message that quotes text from outside the workspace:
	// a webhook's customer message, listening samples, mentions. Adapters
	// show all of it verbatim and inert: no "@handle" is matched to a
	// person, and no user, role, channel or @everyone mention written in it
	// is resolved or allowed to notify. Only the people in Notify are
	// alerted.
	Outside bool
	// Notify are the people (handles) the message is meant to alert.
	// Adapters mention them in the message's content, where platforms
	// notify (a Discord embed does not), and allow no other mention when
	// Outside is set.
	Notify []string
}

// Quoting marks m as quoting outside text (see Message.Outside) and
// addressed to notify.
func Quoting(m Message, notify ...string) Message {
	m.Outside = true
	m.Notify = nil
	for _, p := range notify {
		if p != "" {
			m.Notify = append(m.Notify, p)
		}
	}
	return m
}

// Reply is a message answering a request. A private reply is seen only by
// the sender (Slack ephemeral, Discord ephemeral, "only you" in the shell).
//
// A Replace reply takes the place of the message whose button was clicked
// (its buttons go with it), so a request for an answer shows who answered.
type Reply struct {
	Message
	Private bool
	Replace bool
	Files   []File // attached files (PrivateFiles); most replies have none
}

// Request is one inbound command from a person, already normalised by the
// adapter: the text is the typed command ("/crisis open sev2 ..."), mentions
// are "@handle" of the person directory, and User is a person handle.
type Request struct {
	ID       string // delivery id: repeated deliveries share it
	Platform string
	User     string
	Channel  string // where it was typed (room id)
	Text     string
	Time     time.Time
	// Clicked is true when the request came from a click on a button of a
	// message (or the form that button opened), which a Replace reply may
	// then update in place.
	Clicked bool
}

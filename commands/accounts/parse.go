package accounts

import (
	"regexp"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

var (
	validNetwork = regexp.MustCompile(`^[a-z][a-z0-9-]{0,29}$`)
	validHandle  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)
	validCourse  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	validDept    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)
)

// Input is an account as typed or imported, before the configuration and
// the directory are checked.
type Input struct {
	Network, Handle, Brand, Owner, Backup, Dept, URL string
	TwoFactor                                        bool
	LastPost                                         time.Time
}

// network checks a network name, lower-cased.
func network(s string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(s))
	if !validNetwork.MatchString(n) {
		return "", bot.Errorf(bot.EInvalid, "%q is not a network name (like instagram, x, linkedin)", clip(s))
	}
	return n, nil
}

// handle checks an account handle; a leading @ is dropped.
func handle(s string) (string, error) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "@")
	if !validHandle.MatchString(h) {
		return "", bot.Errorf(bot.EInvalid, "%q is not an account handle (letters, digits, '.', '_', '-')", clip(s))
	}
	return h, nil
}

func dept(s string) (string, error) {
	d := strings.ToLower(strings.TrimSpace(s))
	if d != "" && !validDept.MatchString(d) {
		return "", bot.Errorf(bot.EInvalid, "%q is not a department id", clip(s))
	}
	return d, nil
}

// link checks an optional http(s) link.
func link(s string) (string, error) {
	u := strings.TrimSpace(s)
	if u == "" {
		return "", nil
	}
	if len(u) > 500 || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) || strings.ContainsAny(u, " \t\r\n<>") {
		return "", bot.Errorf(bot.EInvalid, "%q is not an http(s) link", clip(s))
	}
	return u, nil
}

// onOff reads on/off (also yes/no, true/false) for --two-factor and the CSV.
func onOff(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "on", "yes", "true", "1":
		return true, nil
	case "off", "no", "false", "0", "":
		return false, nil
	}
	return false, bot.Errorf(bot.EInvalid, "%q is not on or off", clip(s))
}

// date reads a YYYY-MM-DD day in loc; a day after now is refused.
func date(s string, loc *time.Location, now time.Time) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, bot.Errorf(bot.EInvalid, "%q is not a date (YYYY-MM-DD)", clip(s))
	}
	if d.After(now) {
		return time.Time{}, bot.Errorf(bot.EInvalid, "%s is in the future", d.Format("2006-01-02"))
	}
	return d, nil
}

// level checks an access level.
func level(s string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, ok := range store.AccountLevels {
		if l == ok {
			return l, nil
		}
	}
	return "", bot.Errorf(bot.EInvalid, "level must be admin, publisher or viewer, not %q", clip(s))
}

func course(s string) (string, error) {
	c := strings.ToLower(strings.TrimSpace(s))
	if !validCourse.MatchString(c) {
		return "", bot.Errorf(bot.EInvalid, "%q is not a course id (letters, digits, '.', '_', '-')", clip(s))
	}
	return c, nil
}

// clip shortens outside text quoted in an error.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

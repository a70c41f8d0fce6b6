package center

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// How long a sign-in link and a session last.
const (
	LinkTTL        = 10 * time.Minute
	SessionTTL     = 12 * time.Hour
	WallSessionTTL = 30 * 24 * time.Hour
)

// Kinds of signed value; each has its own prefix so that one can never be
// presented as another (a link is not a session cookie).
const (
	kindLink    = "link"
	kindSession = "session"
	kindWall    = "wall"
)

// Errors of the sign-in link and the session cookie. The page shows them
// as they are: they say nothing that a forger could use.
var (
	ErrBadToken = errors.New("this sign-in link or session is not valid")
	ErrExpired  = errors.New("this sign-in link or session has expired")
	ErrReused   = errors.New("this sign-in link was already used")
)

// Keys signs and checks sign-in links, session cookies and CSRF tokens
// with the session secret. Links are checked by any replica (they carry
// their own expiry and signature) and used once across replicas through
// the coordination backend's claims.
type Keys struct {
	Secret []byte
	Claims bot.Claimer
	Clock  bot.Clock
}

// Session is who a cookie says is looking: a person, or a wall screen.
type Session struct {
	Person  string // "" for a wall screen
	Wall    bool
	Expires time.Time
}

// NewLink returns the token of a one-time sign-in link for person.
func (k Keys) NewLink(person string) (string, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("sign-in link nonce: %w", err)
	}
	exp := k.Clock.Now().Add(LinkTTL)
	return k.sign(kindLink, person, exp, base64.RawURLEncoding.EncodeToString(nonce)), nil
}

// Redeem checks a sign-in link's token and uses it up: the same token is
// refused afterwards, by every replica. It returns the person it was for.
func (k Keys) Redeem(ctx context.Context, token string) (string, error) {
	f, err := k.verify(token, kindLink)
	if err != nil {
		return "", err
	}
	if f.person == "" || f.nonce == "" {
		return "", ErrBadToken
	}
	first, err := k.Claims.Claim(ctx, "center-link:"+f.nonce, LinkTTL+time.Minute)
	if err != nil {
		return "", fmt.Errorf("claim sign-in link: %w", err)
	}
	if !first {
		return "", ErrReused
	}
	return f.person, nil
}

// NewSession returns the value of a session cookie for s.
func (k Keys) NewSession(s Session) string {
	kind := kindSession
	if s.Wall {
		kind = kindWall
	}
	return k.sign(kind, s.Person, s.Expires, "")
}

// ParseSession checks a session cookie's value.
func (k Keys) ParseSession(value string) (Session, error) {
	kind, _, _ := strings.Cut(value, ".")
	if kind != kindSession && kind != kindWall {
		return Session{}, ErrBadToken
	}
	f, err := k.verify(value, kind)
	if err != nil {
		return Session{}, err
	}
	s := Session{Person: f.person, Wall: kind == kindWall, Expires: f.expires}
	if !s.Wall && s.Person == "" {
		return Session{}, ErrBadToken
	}
	return s, nil
}

// CSRF returns the token a form posted under the session cookie value must
// carry: it is tied to that session and useless with any other.
func (k Keys) CSRF(cookie string) string {
	return base64.RawURLEncoding.EncodeToString(k.mac("csrf." + cookie))
}

// CheckCSRF reports whether token is the session's CSRF token.
func (k Keys) CheckCSRF(cookie, token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(k.CSRF(cookie))) == 1
}

// fields are the signed parts of a token.
type fields struct {
	person  string
	expires time.Time
	nonce   string
}

// sign makes "kind.person.expires.nonce.mac", the person base64url-encoded
// so that a handle can never shift the fields.
func (k Keys) sign(kind, person string, exp time.Time, nonce string) string {
	body := strings.Join([]string{kind, base64.RawURLEncoding.EncodeToString([]byte(person)),
		strconv.FormatInt(exp.Unix(), 10), nonce}, ".")
	return body + "." + base64.RawURLEncoding.EncodeToString(k.mac(body))
}

var strictB64 = base64.RawURLEncoding.Strict()

// maxToken bounds what is parsed at all.
const maxToken = 512

func (k Keys) verify(token, kind string) (fields, error) {
	if len(k.Secret) == 0 || len(token) > maxToken {
		return fields{}, ErrBadToken
	}
	parts := strings.Split(token, ".")
	if len(parts) != 5 || parts[0] != kind {
		return fields{}, ErrBadToken
	}
	body := strings.Join(parts[:4], ".")
	// The signature is compared as text with its one canonical spelling:
	// a decoder would also take other spellings of the same bytes (spare
	// bits in the last character, CR and LF anywhere).
	want := base64.RawURLEncoding.EncodeToString(k.mac(body))
	if subtle.ConstantTimeCompare([]byte(parts[4]), []byte(want)) != 1 {
		return fields{}, ErrBadToken
	}
	person, err := strictB64.DecodeString(parts[1])
	if err != nil {
		return fields{}, ErrBadToken
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return fields{}, ErrBadToken
	}
	f := fields{person: string(person), expires: time.Unix(exp, 0), nonce: parts[3]}
	if !k.Clock.Now().Before(f.expires) {
		return fields{}, ErrExpired
	}
	return f, nil
}

func (k Keys) mac(s string) []byte {
	m := hmac.New(sha256.New, k.Secret)
	m.Write([]byte(s))
	return m.Sum(nil)
}

package inbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/web"
)

// SendTimeout bounds one delivery attempt when no client is given.
const SendTimeout = 10 * time.Second

// Sender posts answers to the social inbox's outbound URL as JSON, signed
// with X-Interlock-Signature when a secret is configured. It implements
// route.Sender.
type Sender struct {
	url    string
	secret string
	client *http.Client
}

// NewSender returns a sender for out, or nil when out has no URL (answers
// are then only recorded). client may be nil: a client with SendTimeout is
// used.
func NewSender(out config.Outbound, client *http.Client) route.Sender {
	if out.URL == "" {
		return nil
	}
	if client == nil {
		client = &http.Client{Timeout: SendTimeout}
	}
	return &Sender{url: out.URL, secret: out.Secret, client: client}
}

// Send posts one answer. Any answer but 2xx is an error, so the caller
// retries; the Idempotency-Key header lets the inbox drop repeats.
func (s *Sender) Send(ctx context.Context, a route.Answer) error {
	body, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encode answer to issue %d: %w", a.IssueID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request to the inbox: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "interlock")
	req.Header.Set("Idempotency-Key", "interlock-route-"+strconv.FormatInt(a.IssueID, 10))
	if s.secret != "" {
		req.Header.Set("X-Interlock-Signature", web.SignatureHeader(s.secret, body))
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("post answer to the inbox: %w", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		if text := strings.TrimSpace(string(snippet)); text != "" {
			return fmt.Errorf("inbox answered %s: %s", resp.Status, text)
		}
		return fmt.Errorf("inbox answered %s", resp.Status)
	}
	return nil
}

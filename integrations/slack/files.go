package slack

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
)

// Upload posts f into a channel (an id or "#name") with Slack's external
// upload flow: files.getUploadURLExternal, the bytes to the URL it returns,
// then files.completeUploadExternal to share the file with its title.
//
// Each step is retried on its own (429 after Retry-After, faults with
// backoff) rather than the flow as a whole through slack-go's
// UploadFileContext: a retried completion then never uploads the bytes a
// second time, and a completion that fails after an upload does not leave
// one orphan file per attempt.
func (a *Adapter) Upload(ctx context.Context, channel string, f bot.File) error {
	id, err := a.channels.resolve(ctx, channel)
	if err != nil {
		return err
	}
	if err := a.upload(ctx, id, f); err != nil {
		return fmt.Errorf("upload %s to %s: %w", f.Name, channel, err)
	}
	return nil
}

// upload runs the three steps of an upload into a channel id.
func (a *Adapter) upload(ctx context.Context, channel string, f bot.File) error {
	if len(f.Data) == 0 {
		return errors.New("slack: empty file")
	}
	name := cmp.Or(f.Name, "file")
	var target *slack.GetUploadURLExternalResponse
	err := a.call(ctx, "files.getUploadURLExternal", "", func(ctx context.Context) (err error) {
		target, err = a.api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{
			FileName: name, FileSize: len(f.Data), AltTxt: cmp.Or(f.Title, name),
		})
		return err
	})
	if err != nil {
		return err
	}
	err = a.call(ctx, "file upload", "", func(ctx context.Context) error {
		// A fresh reader each attempt: a failed attempt may have read some.
		return a.api.UploadToURL(ctx, slack.UploadToURLParameters{
			UploadURL: target.UploadURL, Reader: bytes.NewReader(f.Data), Filename: name,
		})
	})
	if err != nil {
		return redact(err, target.UploadURL, "(upload URL)")
	}
	// Completing shares the file as a message in the channel: it takes its
	// turn among the channel's posts and their pace, so a chart follows the
	// message it belongs to.
	return a.queue.inOrder(ctx, channel, func() error {
		return a.call(ctx, "files.completeUploadExternal", channel, func(ctx context.Context) error {
			_, err := a.api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
				Files:   []slack.FileSummary{{ID: target.FileID, Title: cmp.Or(f.Title, name)}},
				Channel: channel,
			})
			return err
		})
	})
}

package shell

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/interlock-coe/interlock/bot"
)

// Upload writes f into the files folder of the data directory (beside the
// rooms file) and prints its path in channel: the shell's picture of a file
// posted to chat.
func (c *Chat) Upload(_ context.Context, channel string, f bot.File) error {
	path, err := c.writeFile(f)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.ensure(channel)
	c.writef("%s %s › 📎 %s: %s\n", r.Name, botName, fileTitle(f), path)
	return nil
}

// writeFile stores f under a name that cannot leave the files folder.
func (c *Chat) writeFile(f bot.File) (string, error) {
	if c.statePath == "" {
		return "", errors.New("shell: no data directory for files")
	}
	dir := filepath.Join(filepath.Dir(c.statePath), "files")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("shell: files folder: %w", err)
	}
	path := filepath.Join(dir, safeName(f.Name))
	if err := os.WriteFile(path, f.Data, 0o640); err != nil {
		return "", fmt.Errorf("shell: write %s: %w", f.Name, err)
	}
	return path, nil
}

func safeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == ".." || name == "" {
		return "file"
	}
	return name
}

func fileTitle(f bot.File) string {
	if f.Title != "" {
		return f.Title
	}
	return f.Name
}

// privateFiles writes the files of a private reply and prints their paths
// to the speaker only.
func (s *Shell) privateFiles(prefix string, files []bot.File) error {
	for _, f := range files {
		path, err := s.Chat.writeFile(f)
		if err != nil {
			return err
		}
		s.Chat.sayMessage(prefix, fmt.Sprintf("📎 %s: %s", fileTitle(f), path))
	}
	return nil
}

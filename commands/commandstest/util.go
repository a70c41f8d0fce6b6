package commandstest

import (
	"os"
	"strconv"
)

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }

func itoa(i int) string { return strconv.Itoa(i) }

package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a configuration file, located by file and line.
// Load and Parse return every problem at once, joined with errors.Join, so
// the text has one problem per line.
type Error struct {
	File string // the path given in INTERLOCK_CONFIG, or "example.yaml"
	Line int    // 1-based
	Path string // the setting, e.g. "playbook.sev2.invite"; "" for syntax errors
	Msg  string

	unknownSetting bool // the decoder's report of an unknown key
}

// Error formats the problem as "file:line: path: message".
func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Path, e.Msg)
}

// joinErrors sorts problems by line and joins them into one error, or nil.
func joinErrors(list []*Error) error {
	if len(list) == 0 {
		return nil
	}
	slices.SortStableFunc(list, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
	errs := make([]error, len(list))
	for i, e := range list {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// yamlLine matches the "yaml: line N: " and "line N: " prefixes of yaml.v3
// messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?(?:line (\d+): )?`)

// syntaxError converts an error of the YAML parser into an *Error. Errors the
// parser reports without a line are on the first line.
func syntaxError(file string, data []byte, err error) *Error {
	line, msg := splitLine(err.Error())
	if line > 0 && slices.Contains(parserProblems, msg) {
		// yaml.v3 counts lines from 0 in parser (not scanner) errors.
		line++
	}
	lines := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		lines++
	}
	return &Error{File: file, Line: max(min(line, lines), 1), Msg: "invalid YAML: " + msg}
}

// parserProblems are the messages of yaml.v3's parser, as opposed to its
// scanner (parserc.go).
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// splitLine separates yaml.v3's "line N:" prefix from the message.
func splitLine(text string) (int, string) {
	m := yamlLine.FindStringSubmatch(text)
	line, _ := strconv.Atoi(m[1])
	return line, text[len(m[0]):]
}

var (
	unknownField  = regexp.MustCompile("^field (.*) not found in type .*$")
	cannotDecode  = regexp.MustCompile("(?s)^cannot unmarshal (\\S+?)(?: `(.*)`)? into (.*)$")
	alreadyDefine = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
	alreadySet    = regexp.MustCompile(`^field (.*) already set in type .*$`)
)

// decodeErrors converts the messages of a *yaml.TypeError into *Errors,
// rewording them and locating the setting in root.
func decodeErrors(file string, root *yaml.Node, te *yaml.TypeError) []*Error {
	out := make([]*Error, 0, len(te.Errors))
	for _, text := range te.Errors {
		line, msg := splitLine(text)
		e := &Error{File: file, Line: max(line, 1), Msg: msg}
		switch {
		case unknownField.MatchString(msg):
			key := unknownField.FindStringSubmatch(msg)[1]
			e.Path, e.Msg, e.unknownSetting = keyPath(root, line, key), "unknown setting", true
			if e.Path == "" {
				e.Msg = fmt.Sprintf("unknown key %q", key)
			}
		case cannotDecode.MatchString(msg):
			m := cannotDecode.FindStringSubmatch(msg)
			p, n := valuePath(root, line, tagKind(m[1]), m[2])
			value := m[2]
			if n != nil {
				value = n.Value
			}
			e.Path, e.Msg = p, wrongType(m[1], value, m[3])
		case alreadyDefine.MatchString(msg):
			m := alreadyDefine.FindStringSubmatch(msg)
			e.Path = keyPath(root, line, m[1])
			e.Msg = "set twice (first at line " + m[2] + ")"
		case alreadySet.MatchString(msg):
			key := alreadySet.FindStringSubmatch(msg)[1]
			e.Path, e.Msg = keyPath(root, line, key), "set twice"
		}
		out = append(out, e)
	}
	return out
}

// tagKind tells which kind of node carries a YAML tag.
func tagKind(tag string) yaml.Kind {
	switch tag {
	case "!!map":
		return yaml.MappingNode
	case "!!seq":
		return yaml.SequenceNode
	}
	return yaml.ScalarNode
}

// wrongType words a failed conversion of a YAML value into a Go type.
func wrongType(tag, value, goType string) string {
	want := map[string]string{
		"time.Duration": "a duration like 30m or 24h",
		"int":           "a whole number",
		"int64":         "a whole number",
		"float64":       "a number",
		"bool":          "true or false",
		"string":        "text",
	}[goType]
	switch {
	case want == "" && strings.HasPrefix(goType, "[]"):
		want = "a list"
	case want == "" && (strings.HasPrefix(goType, "map[") || strings.HasPrefix(goType, "config.")):
		want = "a mapping of settings"
	case want == "":
		want = goType
	}
	got := map[string]string{"!!seq": "a list", "!!map": "a mapping"}[tag]
	if got == "" {
		got = strconv.Quote(value)
	}
	return fmt.Sprintf("want %s, got %s", want, got)
}

package config

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// path names a setting by mapping keys (string) and list positions (int),
// e.g. {"roles", 0, "holders", 1, "person"}.
type path []any

// with returns a new path with elems appended; p itself is never changed.
func (p path) with(elems ...any) path {
	return append(slices.Clip(p), elems...)
}

// String renders the path as "roles[0].holders[1].person". A trailing list
// position is left out ("playbook.sev2.invite"): the message names the value.
func (p path) String() string {
	var b strings.Builder
	for i, elem := range p {
		switch v := elem.(type) {
		case int:
			if i < len(p)-1 {
				b.WriteString("[" + strconv.Itoa(v) + "]")
			}
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

// lineOf returns the line of the setting at p in the document root. When the
// setting is absent (left out, so a default or zero applies) it returns the
// line of its nearest present parent, and 1 for an empty document.
func lineOf(root *yaml.Node, p path) int {
	n := content(root)
	if n == nil {
		return 1
	}
	line := n.Line
	for _, elem := range p {
		key, child := step(n, elem)
		if child == nil {
			break
		}
		line = key.Line
		n = child
	}
	return max(line, 1)
}

// content returns the top node of a document, following an alias.
func content(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// step descends from n by one path element. It returns the node that carries
// the line (the key of a mapping entry, or the list item) and the child.
func step(n *yaml.Node, elem any) (at, child *yaml.Node) {
	n = content(n)
	switch key := elem.(type) {
	case string:
		if n == nil || n.Kind != yaml.MappingNode {
			return nil, nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i], n.Content[i+1]
			}
		}
	case int:
		if n == nil || n.Kind != yaml.SequenceNode || key < 0 || key >= len(n.Content) {
			return nil, nil
		}
		return n.Content[key], n.Content[key]
	}
	return nil, nil
}

// keyPath finds the mapping key named key that yaml.v3 reported at line and
// returns its path, or "" when nothing matches.
func keyPath(root *yaml.Node, line int, key string) string {
	paths, _ := matches(root, func(n *yaml.Node, isKey bool) bool {
		return isKey && n.Line == line && n.Value == key
	})
	return unambiguous(paths)
}

// valuePath finds the value of the given kind on line whose text is value
// (any text for lists and mappings) and returns its path and node, or "" and
// nil when there is no such value or several. yaml.v3 shortens values longer
// than ten characters to their first seven and "...", so those match by
// prefix.
func valuePath(root *yaml.Node, line int, kind yaml.Kind, value string) (string, *yaml.Node) {
	paths, nodes := matches(root, func(n *yaml.Node, isKey bool) bool {
		return !isKey && n.Line == line && n.Kind == kind && sameText(n.Value, value, kind)
	})
	p := unambiguous(paths)
	if p == "" {
		return "", nil
	}
	return p, nodes[0]
}

// unambiguous returns the path all paths agree on, or "".
func unambiguous(paths []string) string {
	if len(paths) == 0 || slices.ContainsFunc(paths, func(p string) bool { return p != paths[0] }) {
		return ""
	}
	return paths[0]
}

// sameText tells whether a node's text is the (possibly shortened) text that
// yaml.v3 quoted in a message.
func sameText(text, quoted string, kind yaml.Kind) bool {
	if kind != yaml.ScalarNode || text == quoted {
		return true
	}
	short, cut := strings.CutSuffix(quoted, "...")
	return cut && len(text) > 10 && strings.HasPrefix(text, short)
}

// matches walks the tree below root and returns the paths and nodes that
// match. Aliases are not followed, so a self-referencing document cannot make
// it loop.
func matches(root *yaml.Node, match func(n *yaml.Node, isKey bool) bool) ([]string, []*yaml.Node) {
	var paths []string
	var nodes []*yaml.Node
	var walk func(n *yaml.Node, p path)
	walk = func(n *yaml.Node, p path) {
		if match(n, false) {
			paths, nodes = append(paths, p.String()), append(nodes, n)
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, p)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key := n.Content[i]
				if match(key, true) {
					paths, nodes = append(paths, p.with(key.Value).String()), append(nodes, key)
				}
				walk(n.Content[i+1], p.with(key.Value))
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				walk(item, p.with(i))
			}
		}
	}
	walk(root, nil)
	return paths, nodes
}

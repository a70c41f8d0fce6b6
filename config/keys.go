package config

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// unknownKeys reports every mapping key of the document that names no
// setting: the valid keys are read from the yaml tags of the Go types the
// document decodes into, so a section added to Config is accepted without
// a list to keep. Maps keyed by names people choose (the playbook, the
// permissions) have their values checked, not their keys.
func unknownKeys(file string, root *yaml.Node) []*Error {
	w := keyWalker{file: file, seen: map[visit]bool{}}
	w.walk(root, reflect.TypeFor[Config](), nil)
	return w.errs
}

type keyWalker struct {
	file string
	errs []*Error
	seen map[visit]bool // aliases make a graph: each node is checked once per type
}

type visit struct {
	node *yaml.Node
	typ  reflect.Type
}

var (
	yamlUnmarshaler = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (w *keyWalker) walk(n *yaml.Node, t reflect.Type, p path) {
	if n != nil && n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			w.walk(c, t, p)
		}
		return
	}
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n == nil || w.seen[visit{n, t}] || decodesItself(t) {
		return
	}
	w.seen[visit{n, t}] = true
	switch {
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		w.mapping(n, p, func(key *yaml.Node) (reflect.Type, bool) {
			ft, ok := fieldsOf(t)[key.Value]
			if !ok {
				w.unknown(key, p, t)
			}
			return ft, ok
		}, t)
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		w.mapping(n, p, func(*yaml.Node) (reflect.Type, bool) { return t.Elem(), true }, t)
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && n.Kind == yaml.SequenceNode:
		for i, item := range n.Content {
			w.walk(item, t.Elem(), p.with(i))
		}
	}
	// Any other pairing is a type mismatch, which the decoder reports.
}

// mapping walks the entries of a mapping node decoded into t, following
// merge keys ("<<: *defaults") into the same type.
func (w *keyWalker) mapping(n *yaml.Node, p path, field func(*yaml.Node) (reflect.Type, bool), t reflect.Type) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		if key.Tag == "!!merge" {
			w.merge(value, t, p)
			continue
		}
		if ft, ok := field(key); ok {
			w.walk(value, ft, p.with(key.Value))
		}
	}
}

func (w *keyWalker) merge(v *yaml.Node, t reflect.Type, p path) {
	if v.Kind == yaml.SequenceNode {
		for _, item := range v.Content {
			w.walk(item, t, p)
		}
		return
	}
	w.walk(v, t, p)
}

func (w *keyWalker) unknown(key *yaml.Node, p path, t reflect.Type) {
	where := ""
	if len(p) > 0 {
		// p.String leaves out a trailing list position; with the key it
		// keeps it: "roles[0].holders[1]".
		where = " in " + strings.TrimSuffix(p.with(key.Value).String(), "."+key.Value)
	}
	w.errs = append(w.errs, &Error{
		File: w.file, Line: max(key.Line, 1),
		Msg: fmt.Sprintf("unknown key %q%s; valid keys: %s", key.Value, where, strings.Join(validKeys(t), ", ")),
	})
}

// decodesItself reports whether values of t decode by their own method, so
// their keys are theirs to check.
func decodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Kind() == reflect.Interface || t == reflect.TypeFor[yaml.Node]() ||
		pt.Implements(yamlUnmarshaler) || pt.Implements(textUnmarshaler)
}

// fieldsOf maps the keys a struct decodes from to the fields' types, as
// yaml.v3 reads them: the tag's name, or the lower-cased field name; "-"
// fields and unexported fields are not settings; ",inline" structs add
// their own keys.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if slices.Contains(strings.Split(opts, ","), "inline") && f.Type.Kind() == reflect.Struct {
			for k, v := range fieldsOf(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// validKeys lists the keys of struct t, sorted.
func validKeys(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for k := range fieldsOf(t) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

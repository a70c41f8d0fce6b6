package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	// The time zone database is embedded so that org.timezone resolves on
	// hosts and containers without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// SourceExample is Config.Source when the embedded example is used.
const SourceExample = "embedded example"

// exampleFile is the file name errors in the embedded example would name.
const exampleFile = "example.yaml"

//go:embed example.yaml
var example []byte

// Example returns the text of the embedded example configuration.
func Example() []byte {
	return bytes.Clone(example)
}

// Load reads the configuration file env.ConfigPath, or the embedded example
// when it is empty, and returns it decoded, completed with defaults,
// validated and indexed. The error lists every problem found, one per line,
// each as "file:line: setting: what is wrong".
func Load(env Env) (*Config, error) {
	if err := env.Validate(); err != nil {
		return nil, err
	}
	data, file, source := example, exampleFile, SourceExample
	if env.ConfigPath != "" {
		var err error
		if data, err = os.ReadFile(env.ConfigPath); err != nil {
			return nil, fmt.Errorf("read configuration: %w", err)
		}
		file, source = env.ConfigPath, env.ConfigPath
	}
	cfg, err := Parse(data, file)
	if err != nil {
		return nil, err
	}
	cfg.Env = env
	cfg.Source = source
	return cfg, nil
}

// Parse decodes YAML configuration text as Load does, without the
// environment. file names the text in errors and becomes Config.Source.
func Parse(data []byte, file string) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, joinErrors([]*Error{syntaxError(file, data, err)})
	}
	cfg, err := decode(data, file, &root)
	if err != nil {
		return nil, err
	}
	cfg.Source = file
	cfg.applyDefaults(&root)
	if err := joinErrors(cfg.validate(file, &root)); err != nil {
		return nil, err
	}
	cfg.index = buildIndex(cfg)
	cfg.index.file = file
	cfg.index.permissionLines = map[string]int{}
	for key := range cfg.Permissions {
		cfg.index.permissionLines[key] = lineOf(&root, path{"permissions", key})
	}
	return cfg, nil
}

// decode decodes data into a Config, rejecting unknown settings. root is the
// same text already parsed, used to locate the settings at fault. Unknown
// keys are reported by unknownKeys, with the valid keys; the decoder's own
// "field not found" messages only stand for keys unknownKeys did not reach.
func decode(data []byte, file string, root *yaml.Node) (*Config, error) {
	unknown := unknownKeys(file, root)
	cfg := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(cfg)
	var te *yaml.TypeError
	switch {
	case err == nil, errors.Is(err, io.EOF): // io.EOF: an empty file
		if len(unknown) > 0 {
			return nil, joinErrors(unknown)
		}
		return cfg, nil
	case errors.As(err, &te):
		reported := map[int]bool{}
		for _, e := range unknown {
			reported[e.Line] = true
		}
		errs := unknown
		for _, e := range decodeErrors(file, root, te) {
			if !(e.unknownSetting && reported[e.Line]) {
				errs = append(errs, e)
			}
		}
		return nil, joinErrors(errs)
	default:
		return nil, joinErrors([]*Error{syntaxError(file, data, err)})
	}
}

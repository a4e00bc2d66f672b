package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// The config commands edit the file as a YAML node tree, so that comments,
// key order, anchors and merge keys survive a `config set`.

// checkConfigTarget refuses to read or write anything but a regular file
// (or a missing one): a FIFO would block forever, and writing over a device
// or a directory would break the machine. os.DevNull reads as empty.
func checkConfigTarget(path string, writing bool) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return usageErrorf("config file: %v", cleanPathError(err))
	case st.Mode().IsRegular():
		return nil
	case path == os.DevNull && !writing:
		return nil
	}
	what := "not a regular file"
	if st.IsDir() {
		what = "a directory"
	}
	return usageErrorf("config file %s is %s; pass --config with the path of a YAML file", path, what)
}

// readConfigNode reads the configuration file as a node tree and returns
// the top-level mapping; a missing or empty file gives an empty mapping.
func (o *rootOptions) readConfigNode() (*yaml.Node, *yaml.Node, error) {
	if o.cfg == nil || o.cfg.path == "" {
		return nil, nil, usageErrorf("no configuration file: set XDG_CONFIG_HOME or pass --config")
	}
	if err := checkConfigTarget(o.cfg.path, true); err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(o.cfg.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, usageErrorf("config file: %v", cleanPathError(err))
	}
	doc := &yaml.Node{}
	if err := yaml.Unmarshal(data, doc); err != nil {
		return nil, nil, usageErrorf("config file %s: %s", o.cfg.path, oneLine(err.Error()))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		doc = &yaml.Node{Kind: yaml.DocumentNode,
			Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, nil, usageErrorf("config file %s: line %d: want a mapping with "+
			"current-profile and profiles", o.cfg.path, root.Line)
	}
	return doc, root, nil
}

// editConfigNode applies edit to the file's top-level mapping and writes
// the file back, mode 0600, through a temporary file so that a crash never
// leaves half a file. A symlink is followed: its target is written.
func (o *rootOptions) editConfigNode(edit func(root *yaml.Node) error) error {
	doc, root, err := o.readConfigNode()
	if err != nil {
		return err
	}
	if err := edit(root); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	path := o.cfg.path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real // keep a symlinked file (dotfiles) a symlink: write its target
	}
	if err := checkConfigTarget(path, true); err != nil {
		return err
	}
	return writeConfigFile(path, buf.Bytes())
}

func writeConfigFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return usageErrorf("config file: %v", cleanPathError(err))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.yaml")
	if err != nil {
		// A directory we may not create files in, holding a file we may
		// write: write the file in place.
		f, ferr := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if ferr != nil {
			return usageErrorf("config file %s: %v", path, cleanPathError(ferr))
		}
		_ = f.Chmod(0o600)
		if _, err := f.Write(data); err != nil {
			f.Close()
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return f.Close()
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// nodeValue returns the value of key in mapping m, or nil.
func nodeValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			for v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// nodeMapping returns the mapping under key in m, creating it when missing.
func nodeMapping(m *yaml.Node, key, what string) (*yaml.Node, error) {
	if v := nodeValue(m, key); v != nil {
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			v.Kind, v.Tag, v.Value = yaml.MappingNode, "!!map", ""
			return v, nil
		}
		if v.Kind != yaml.MappingNode {
			return nil, usageErrorf("line %d: %s must be a mapping", v.Line, what)
		}
		return v, nil
	}
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	return v, nil
}

// nodeSet sets key in mapping m to the string value, keeping the key's place.
func nodeSet(m *yaml.Node, key, value string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value,
				LineComment: m.Content[i+1].LineComment}
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
}

// nodeDelete removes key from mapping m and reports whether it was there.
func nodeDelete(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return true
		}
	}
	return false
}

// profileNode returns the mapping of the named profile, created if missing.
func profileNode(root *yaml.Node, name string) (*yaml.Node, error) {
	profiles, err := nodeMapping(root, "profiles", "profiles")
	if err != nil {
		return nil, err
	}
	return nodeMapping(profiles, name, fmt.Sprintf("profile %q", name))
}

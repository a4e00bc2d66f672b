package mock

import (
	"net/http"
	"regexp"

	"go.yaml.in/yaml/v3"
)

func (s *Server) handleNodeStatus(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	status := s.node
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain;charset=ISO-8859-1")
	_, _ = w.Write([]byte(status))
}

func (s *Server) handleNodeChange(w http.ResponseWriter, r *http.Request) {
	status := r.PathValue("status")
	if status != "ONLINE" && status != "OFFLINE" {
		writeError(w, badRequest("Node status must be ONLINE or OFFLINE, not '%s'", status))
		return
	}
	s.mu.Lock()
	s.node = status
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain;charset=ISO-8859-1")
	_, _ = w.Write([]byte(status))
}

// handlePatterns matches every form field against the general pattern list, or a group's,
// and answers {field: patternName} for the fields that matched (first pattern wins).
func (s *Server) handlePatterns(w http.ResponseWriter, r *http.Request) {
	patterns := s.patterns[""]
	if group := r.PathValue("group"); group != "" {
		var ok bool
		if patterns, ok = s.patterns[group]; !ok {
			writeError(w, notFound("Pattern group '%s' is not configured", group))
			return
		}
	}
	f, aerr := readForm(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	out := map[string]string{}
	for _, fl := range f.fields {
		for _, p := range patterns {
			if p.re.MatchString(fl.value) {
				out[fl.name] = p.name
				break
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

type compiledPattern struct {
	name string
	re   *regexp.Regexp
}

// compilePatterns compiles the general list (key "") and the groups.
func compilePatterns(c *Config) map[string][]compiledPattern {
	out := map[string][]compiledPattern{}
	add := func(key string, ps []Pattern) {
		list := []compiledPattern{}
		for _, p := range ps {
			list = append(list, compiledPattern{p.Name, regexp.MustCompile(p.Regex)})
		}
		out[key] = list
	}
	add("", c.Patterns)
	for g, ps := range c.PatternGroups {
		add(g, ps)
	}
	return out
}

// cloneConfig deep-copies a configuration through YAML.
func cloneConfig(c *Config) (*Config, error) {
	data, err := yaml.Marshal(c)
	if err != nil {
		return nil, err
	}
	out := &Config{}
	if err := yaml.Unmarshal(data, out); err != nil {
		return nil, err
	}
	return out, nil
}

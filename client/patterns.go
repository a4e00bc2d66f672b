package client

import (
	"context"
	"encoding/json"
	"net/http"
)

// PatternsAPI calls the GMS pattern matcher (/genesys/1/patterns). Get it from
// [Client.Patterns].
type PatternsAPI struct{ c *Client }

// Match sends the fields of form to the pattern matcher and returns, for each field that
// matched, the name of the pattern it matched; fields that matched nothing are absent.
// An empty group matches against the general pattern list (POST /genesys/1/patterns);
// otherwise against that group (POST /genesys/1/patterns/group/{group}). A pattern name
// sent as a JSON value other than a string is returned as its JSON text.
func (p *PatternsAPI) Match(ctx context.Context, group string, form *Form) (
	map[string]string, error) {
	path := gmsPath("patterns")
	if group != "" {
		if err := checkSegment("pattern group", group); err != nil {
			return nil, err
		}
		path = gmsPath("patterns", "group", group)
	}
	var raw map[string]json.RawMessage
	if err := p.c.sendJSON(ctx, &call{method: http.MethodPost, path: path, form: form},
		&raw); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		out[k] = jsonText(v)
	}
	return out, nil
}

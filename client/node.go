package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// NodeStatus is the health status of a GMS node as load balancers see it.
type NodeStatus string

// The node statuses GMS reports and accepts.
const (
	NodeOnline  NodeStatus = "ONLINE"
	NodeOffline NodeStatus = "OFFLINE" // the node is about to stop; send no new traffic
)

// NodeAPI calls the GMS Node API (/genesys/1/admin/node/...). GMS 8.5.1 and later require
// credentials for it. Get it from [Client.Node].
type NodeAPI struct{ c *Client }

// Status returns the node's status: GET /genesys/1/admin/node/status, a plain-text body,
// ONLINE or OFFLINE (spaces around it and its case do not matter). Any other 2xx body,
// such as a proxy's HTML maintenance page, is an error that quotes it.
func (n *NodeAPI) Status(ctx context.Context) (NodeStatus, error) {
	cl := &call{method: http.MethodGet, path: gmsPath("admin", "node", "status"),
		accept: "text/plain, */*"}
	resp, err := n.c.send(ctx, cl)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if err != nil {
		return "", fmt.Errorf("GET %s: reading status: %w", resp.Request.URL.EscapedPath(), err)
	}
	text := strings.TrimSpace(string(body))
	for _, status := range []NodeStatus{NodeOnline, NodeOffline} {
		if strings.EqualFold(text, string(status)) {
			return status, nil
		}
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "no Content-Type"
	}
	return "", fmt.Errorf("GET %s: %d answer is not %s or %s (%s): %q",
		resp.Request.URL.EscapedPath(), resp.StatusCode, NodeOnline, NodeOffline, ct,
		bodySnippet(body))
}

// ChangeStatus sets the node's status: POST /genesys/1/admin/node/changestatus/{status}.
// status must be [NodeOnline] or [NodeOffline].
func (n *NodeAPI) ChangeStatus(ctx context.Context, status NodeStatus) error {
	if status != NodeOnline && status != NodeOffline {
		return invalidf("node status %q: want %s or %s", status, NodeOnline, NodeOffline)
	}
	path := gmsPath("admin", "node", "changestatus", string(status))
	return n.c.sendDiscard(ctx, &call{method: http.MethodPost, path: path})
}

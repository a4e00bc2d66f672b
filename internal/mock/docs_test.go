package mock

import (
	"os"
	"strings"
	"testing"
)

// TestDocsExampleConfig loads the complete example of docs/mock.md and uses it.
func TestDocsExampleConfig(t *testing.T) {
	doc, err := os.ReadFile("../../docs/mock.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok1 := strings.Cut(string(doc), "<!-- example-config:start -->")
	block, _, ok2 := strings.Cut(rest, "<!-- example-config:end -->")
	if !ok1 || !ok2 {
		t.Fatal("docs/mock.md lacks the example-config markers")
	}
	block = strings.TrimSpace(block)
	block = strings.TrimPrefix(block, "```yaml")
	block = strings.TrimSuffix(block, "```")
	cfg, err := LoadConfig(writeFile(t, "example.yaml", block))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, cfg)
	call := func(user, pass, path string, kv ...string) *response {
		req := h.request("POST", path, "application/x-www-form-urlencoded",
			strings.NewReader(encode(kv...)))
		req.SetBasicAuth(user, pass)
		return h.do(req)
	}
	m := call("gms", "gms-secret", "/genesys/1/service/request-interaction",
		"_phone_number", "1").want(t, 200).json(t)
	if str(m, "_access_number") != "8005550100" || len(str(m, "_access_code")) != 5 {
		t.Errorf("request-interaction %v", m)
	}
	vip := call("vip", "vip-secret", "/genesys/1/service/vip-interaction",
		"_phone_number", "2", "_provide_code", "true").want(t, 200).json(t)
	if str(vip, "_access_number") != "8005550199" || len(str(vip, "_access_code")) != 8 {
		t.Errorf("vip-interaction %v", vip)
	}
	order := call("gms", "gms-secret", "/genesys/1/service/order-tracker", "order", "ORD-1").
		want(t, 200).json(t)
	got := call("gms", "gms-secret", "/genesys/1/service/"+str(order, "_id")+"/status").
		want(t, 200).json(t)
	if got["order"] != "ORD-1" || got["state"] != "shipped" {
		t.Errorf("status %v", got)
	}
	call("gms", "gms-secret", "/genesys/1/storage/60", "a", "b").want(t, 401)
	call("store", "store-secret", "/genesys/1/storage/60", "a", "b").want(t, 200)
	pat := call("gms", "gms-secret", "/genesys/1/patterns/group/orders", "x", "ORD-123456")
	if string(pat.want(t, 200).body) != `{"x":"order-number"}` {
		t.Errorf("patterns %s", pat.body)
	}
}

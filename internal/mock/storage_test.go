package mock

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStorageLifecycle(t *testing.T) {
	h := newHarness(t, nil)
	pic := readPic(t)
	created := h.postMultipart("/genesys/1/storage/3600",
		[]filePart{{"FileKey", "MyPic.png", "image/png", pic}},
		"Key1", "Value1", "Key2", "Value2").want(t, 200).json(t)
	id := str(created, "id")
	if id == "" {
		t.Fatalf("create answer %v", created)
	}
	all := h.get("/genesys/1/storage/"+id).want(t, 200).json(t)
	ref, _ := all["FileKey"].(map[string]any)
	if all["Key1"] != "Value1" || ref["href"] != "/genesys/1/storage/"+id+"/FileKey" ||
		ref["size"] != float64(len(pic)) {
		t.Errorf("read all %v", all)
	}
	h.post("/genesys/1/storage/"+id+"/600", "Key2", "changed", "Key3", "new").want(t, 200)
	h.clock.Advance(599 * time.Second) // the update reset the TTL to 600 s
	all = h.get("/genesys/1/storage/"+id).want(t, 200).json(t)
	if all["Key1"] != "Value1" || all["Key2"] != "changed" || all["Key3"] != "new" {
		t.Errorf("after merge %v", all)
	}
	h.send("DELETE", "/genesys/1/storage/"+id+"/Key1").want(t, http.StatusNoContent)
	h.get("/genesys/1/storage/"+id+"/Key1").wantError(t, 404, excNotFound, "Key1")
	h.send("DELETE", "/genesys/1/storage/"+id+"/Key1").want(t, 404)
	h.send("DELETE", "/genesys/1/storage/"+id).want(t, http.StatusNoContent)
	h.get("/genesys/1/storage/"+id).wantError(t, 404, excNotFound, id)
	h.post("/genesys/1/storage/"+id+"/60", "a", "b").wantError(t, 404, excNotFound, id)
}

func TestStorageTTLFallsBackTo30(t *testing.T) {
	for _, ttl := range []string{"0", "-5", "abc", "1.5"} {
		t.Run(ttl, func(t *testing.T) {
			h := newHarness(t, nil)
			id := str(h.post("/genesys/1/storage/"+ttl, "k", "v").want(t, 200).json(t), "id")
			h.clock.Advance(29 * time.Second)
			h.get("/genesys/1/storage/"+id).want(t, 200)
			h.clock.Advance(time.Second)
			h.get("/genesys/1/storage/"+id).want(t, 404)
		})
	}
}

func TestStorageExpiryReleasesMemory(t *testing.T) {
	h := newHarness(t, nil)
	for i := range 200 {
		h.postMultipart("/genesys/1/storage/5",
			[]filePart{{"f", "x.bin", "", bytes.Repeat([]byte{byte(i)}, 512)}}).want(t, 200)
		if i%50 == 0 {
			h.clock.Advance(time.Second)
		}
	}
	if areas, _ := h.srv.store.Stats(); areas != 200 {
		t.Fatalf("%d areas stored, want 200", areas)
	}
	h.clock.Advance(5 * time.Second)
	h.post("/genesys/1/storage/1", "trigger", "a write sweeps").want(t, 200)
	h.clock.Advance(time.Second)
	st := h.get("/mock/state").want(t, 200).json(t)
	storage := st["storage"].(map[string]any)
	if storage["areas"] != float64(0) || storage["bytes"] != float64(0) {
		t.Errorf("storage after expiry: %v", storage)
	}
}

func TestStorageCustomID(t *testing.T) {
	h := newHarness(t, nil)
	h.post("/genesys/1/storage/custom/mine/60", "k", "v").
		wantError(t, 400, excGSG, "gms_user")
	as := func(user, method, path, body string) *response {
		ct := ""
		if body != "" {
			ct = "application/x-www-form-urlencoded"
		}
		req := h.request(method, path, ct, strings.NewReader(body))
		if user != "" {
			req.Header.Set("gms_user", user)
		}
		return h.do(req)
	}
	m := as("ann", "POST", "/genesys/1/storage/custom/mine/60", "k=v").want(t, 200).json(t)
	if m["id"] != "mine" {
		t.Errorf("custom create answer %v", m)
	}
	as("ann", "GET", "/genesys/1/storage/mine/k", "").want(t, 200)
	as("bob", "GET", "/genesys/1/storage/mine", "").want(t, 404)
	as("", "GET", "/genesys/1/storage/mine", "").want(t, 404)
	as("bob", "POST", "/genesys/1/storage/mine/60", "k=x").want(t, 404)
	as("bob", "POST", "/genesys/1/storage/custom/mine/60", "k=x").want(t, 409)
	as("bob", "DELETE", "/genesys/1/storage/mine", "").want(t, 404)
	as("ann", "POST", "/genesys/1/storage/mine/60", "k2=v2").want(t, 200)
	got := as("ann", "GET", "/genesys/1/storage/mine", "").want(t, 200)
	if string(got.body) != `{"k":"v","k2":"v2"}` {
		t.Errorf("custom area %s", got.body)
	}
}

func TestInstanceStorage(t *testing.T) {
	h := newHarness(t, nil)
	svc := h.post("/genesys/1/service/generic-service", "color", "blue").want(t, 200).json(t)
	base := "/genesys/1/service/" + str(svc, "_id") + "/storage"
	h.post(base, "size", "L", "_flag", "on").want(t, http.StatusNoContent)
	pic := readPic(t)
	h.postMultipart(base, []filePart{{"pic", "MyPic.png", "image/png", pic}}).want(t, 204)

	all := h.get(base).want(t, 200).json(t)
	ref, _ := all["pic"].(map[string]any)
	if all["color"] != "blue" || all["size"] != "L" || all["_flag"] != "on" ||
		ref["href"] != base+"/binary/pic" {
		t.Errorf("instance storage %v", all)
	}
	if got := h.get(base+"/size").want(t, 200); string(got.body) != "L" {
		t.Errorf("one key %q", got.body)
	}
	if got := h.get(base+"/binary/pic").want(t, 200); !bytes.Equal(got.body, pic) {
		t.Error("binary read differs")
	}
	h.send("DELETE", base+"/size").want(t, 204)
	h.get(base+"/size").want(t, 404)
	h.get("/genesys/1/service/unknown/storage").wantError(t, 404, excNotFound, "unknown")
}

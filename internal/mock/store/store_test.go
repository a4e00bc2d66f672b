package store

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func text(k, v string) Entry { return Entry{Key: k, Value: Value{Text: v}} }

func TestExpiryFreesEverything(t *testing.T) {
	s := New(0)
	now := t0
	// A stream of short-lived areas, some updated (which pushes more heap items).
	for i := range 1000 {
		id := fmt.Sprint("area-", i)
		if err := s.Put(id, "", 5*time.Second, now, []Entry{text("k", "value")}); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if err := s.Merge(id, "", 7*time.Second, now, []Entry{text("x", "y")}); err != nil {
				t.Fatal(err)
			}
		}
		now = now.Add(time.Millisecond)
	}
	if n, b := s.Stats(); n != 1000 || b == 0 {
		t.Fatalf("stats %d areas %d bytes", n, b)
	}
	s.Sweep(now.Add(8 * time.Second))
	if n, b := s.Stats(); n != 0 || b != 0 {
		t.Errorf("after expiry: %d areas, %d bytes", n, b)
	}
	if len(s.expiry) != 0 {
		t.Errorf("expiry heap keeps %d stale items", len(s.expiry))
	}
}

func TestExpiryBoundary(t *testing.T) {
	s := New(0)
	_ = s.Put("a", "", 30*time.Second, t0, []Entry{text("k", "v")})
	if _, err := s.Get("a", "", t0.Add(30*time.Second-time.Nanosecond)); err != nil {
		t.Errorf("expired early: %v", err)
	}
	if _, err := s.Get("a", "", t0.Add(30*time.Second)); !errors.Is(err, ErrNotFound) {
		t.Errorf("not expired at its TTL: %v", err)
	}
}

func TestMergeResetsTTLAndKeepsOrder(t *testing.T) {
	s := New(0)
	_ = s.Put("a", "", 10*time.Second, t0, []Entry{text("k1", "1"), text("k2", "2")})
	if err := s.Merge("a", "", 20*time.Second, t0.Add(9*time.Second),
		[]Entry{text("k1", "one"), text("k3", "3")}); err != nil {
		t.Fatal(err)
	}
	area, err := s.Get("a", "", t0.Add(25*time.Second))
	if err != nil {
		t.Fatalf("TTL not reset: %v", err)
	}
	var got string
	for _, e := range area.Entries {
		got += e.Key + "=" + e.Value.Text + ";"
	}
	if got != "k1=one;k2=2;k3=3;" {
		t.Errorf("entries %s", got)
	}
	if err := s.Merge("zz", "", 0, t0, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("merge of unknown area: %v", err)
	}
}

func TestOwners(t *testing.T) {
	s := New(0)
	_ = s.Put("c", "ann", time.Minute, t0, []Entry{text("k", "v")})
	if _, err := s.Get("c", "bob", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("another user read a custom area: %v", err)
	}
	if _, err := s.Get("c", "", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("no user read a custom area: %v", err)
	}
	if err := s.Put("c", "bob", time.Minute, t0, nil); !errors.Is(err, ErrTaken) {
		t.Errorf("another user replaced a custom area: %v", err)
	}
	_ = s.Put("plain", "", time.Minute, t0, nil)
	if _, err := s.Get("plain", "bob", t0); err != nil {
		t.Errorf("a plain area is hidden from a user: %v", err)
	}
}

func TestByteLimitAndDeletes(t *testing.T) {
	s := New(100)
	big := Entry{Key: "f", Value: Value{File: &File{Filename: "a", ContentType: "b",
		Data: make([]byte, 90)}}}
	if err := s.Put("a", "", time.Minute, t0, []Entry{big}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("b", "", time.Minute, t0, []Entry{big}); !errors.Is(err, ErrFull) {
		t.Errorf("over the limit: %v", err)
	}
	if err := s.DeleteKey("a", "", "nope", t0); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("delete unknown key: %v", err)
	}
	if err := s.DeleteKey("a", "", "f", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("b", "", time.Minute, t0, []Entry{big}); err != nil {
		t.Errorf("space not given back by DeleteKey: %v", err)
	}
	if err := s.Delete("b", "", t0); err != nil {
		t.Fatal(err)
	}
	if n, b := s.Stats(); n != 1 || b != 0 {
		t.Errorf("stats %d %d", n, b)
	}
}

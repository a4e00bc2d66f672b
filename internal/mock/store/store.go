// Package store keeps the mock's GMS Storage areas: small key/value maps whose values are
// strings or files, each area with an expiry time. Time is always passed in by the caller,
// so the mock's injectable clock drives expiry and tests never sleep.
package store

import (
	"container/heap"
	"errors"
	"sort"
	"sync"
	"time"
)

// ErrNotFound means the area does not exist, has expired, or belongs to another gms_user.
var ErrNotFound = errors.New("storage area not found")

// ErrKeyNotFound means the area exists but has no such key.
var ErrKeyNotFound = errors.New("storage key not found")

// ErrFull means storing the values would pass the store's byte limit.
var ErrFull = errors.New("storage is full")

// ErrTaken means a custom id is already used by another owner.
var ErrTaken = errors.New("storage id already in use")

// File is a stored file value.
type File struct {
	Filename    string
	ContentType string
	Data        []byte
}

// Value is one stored value: a string, or a file when File is not nil.
type Value struct {
	Text string
	File *File
}

func (v Value) size() int64 {
	if v.File != nil {
		return int64(len(v.File.Data) + len(v.File.Filename) + len(v.File.ContentType))
	}
	return int64(len(v.Text))
}

// Entry is a key with its value, in the order the client sent them.
type Entry struct {
	Key   string
	Value Value
}

// Area is a snapshot of one storage area.
type Area struct {
	ID      string
	Owner   string
	Expires time.Time
	Entries []Entry
}

// Get returns the value of key.
func (a Area) Get(key string) (Value, bool) {
	for _, e := range a.Entries {
		if e.Key == key {
			return e.Value, true
		}
	}
	return Value{}, false
}

type area struct {
	owner   string
	expires time.Time
	keys    []string
	values  map[string]Value
	bytes   int64
}

// Store is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	areas    map[string]*area
	expiry   expiryHeap
	bytes    int64
	maxBytes int64
}

// New returns an empty store that holds at most maxBytes of keys and values
// (0 means no limit).
func New(maxBytes int64) *Store {
	return &Store{areas: make(map[string]*area), maxBytes: maxBytes}
}

// Put creates the area id, or replaces it when it exists with the same owner.
// An area of another owner (or none) gives ErrTaken. An area with an owner (a custom id) is only
// seen by requests of that owner; an area without one is seen by every request.
func (s *Store) Put(id, owner string, ttl time.Duration, now time.Time, entries []Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	old := s.areas[id]
	if old != nil && old.owner != owner {
		return ErrTaken
	}
	a := &area{owner: owner, values: make(map[string]Value)}
	for _, e := range entries {
		a.set(e)
	}
	var oldBytes int64
	if old != nil {
		oldBytes = old.bytes
	}
	if s.maxBytes > 0 && s.bytes-oldBytes+a.bytes > s.maxBytes {
		return ErrFull
	}
	s.bytes += a.bytes - oldBytes
	a.expires = now.Add(ttl)
	s.areas[id] = a
	heap.Push(&s.expiry, expiryItem{id: id, at: a.expires})
	return nil
}

// Merge adds or replaces keys of an existing area. A positive ttl also resets its expiry.
func (s *Store) Merge(id, owner string, ttl time.Duration, now time.Time, entries []Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	a, ok := s.lookup(id, owner)
	if !ok {
		return ErrNotFound
	}
	grow := int64(0)
	for _, e := range entries {
		grow += entrySize(e)
		if old, ok := a.values[e.Key]; ok {
			grow -= entrySize(Entry{Key: e.Key, Value: old})
		}
	}
	if s.maxBytes > 0 && s.bytes+grow > s.maxBytes {
		return ErrFull
	}
	before := a.bytes
	for _, e := range entries {
		a.set(e)
	}
	s.bytes += a.bytes - before
	if ttl > 0 {
		a.expires = now.Add(ttl)
		heap.Push(&s.expiry, expiryItem{id: id, at: a.expires})
	}
	return nil
}

// Get returns a snapshot of the area (values share file bytes, which are never mutated).
func (s *Store) Get(id, owner string, now time.Time) (Area, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	a, ok := s.lookup(id, owner)
	if !ok {
		return Area{}, ErrNotFound
	}
	out := Area{ID: id, Owner: a.owner, Expires: a.expires}
	for _, k := range a.keys {
		out.Entries = append(out.Entries, Entry{Key: k, Value: a.values[k]})
	}
	return out, nil
}

// DeleteKey removes one key of an area.
func (s *Store) DeleteKey(id, owner, key string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	a, ok := s.lookup(id, owner)
	if !ok {
		return ErrNotFound
	}
	v, ok := a.values[key]
	if !ok {
		return ErrKeyNotFound
	}
	size := entrySize(Entry{Key: key, Value: v})
	delete(a.values, key)
	for i, k := range a.keys {
		if k == key {
			a.keys = append(a.keys[:i:i], a.keys[i+1:]...)
			break
		}
	}
	a.bytes -= size
	s.bytes -= size
	return nil
}

// Delete removes a whole area.
func (s *Store) Delete(id, owner string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	a, ok := s.lookup(id, owner)
	if !ok {
		return ErrNotFound
	}
	s.bytes -= a.bytes
	delete(s.areas, id)
	return nil
}

// Sweep deletes every area expired at now and returns how many it deleted.
func (s *Store) Sweep(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sweepLocked(now)
}

// Reset deletes everything.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.areas = make(map[string]*area)
	s.expiry = nil
	s.bytes = 0
}

// Stats reports the number of live areas and the bytes they hold.
func (s *Store) Stats() (areas int, bytes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.areas), s.bytes
}

// IDs lists the ids of the areas, sorted.
func (s *Store) IDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.areas))
	for id := range s.areas {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (s *Store) lookup(id, owner string) (*area, bool) {
	a, ok := s.areas[id]
	if !ok || (a.owner != "" && a.owner != owner) {
		return nil, false
	}
	return a, true
}

// sweepLocked pops heap items that are due. An item is stale when its area was deleted,
// replaced or given a later expiry; the area's own expiry decides.
func (s *Store) sweepLocked(now time.Time) int {
	n := 0
	for len(s.expiry) > 0 && !s.expiry[0].at.After(now) {
		it := heap.Pop(&s.expiry).(expiryItem)
		a, ok := s.areas[it.id]
		if !ok || a.expires.After(now) {
			continue
		}
		s.bytes -= a.bytes
		delete(s.areas, it.id)
		n++
	}
	if len(s.areas) == 0 {
		s.expiry = nil // drop stale items so the heap cannot grow without bound
	}
	return n
}

func (a *area) set(e Entry) {
	if old, ok := a.values[e.Key]; ok {
		a.bytes -= entrySize(Entry{Key: e.Key, Value: old})
	} else {
		a.keys = append(a.keys, e.Key)
	}
	a.values[e.Key] = e.Value
	a.bytes += entrySize(e)
}

func entrySize(e Entry) int64 { return int64(len(e.Key)) + e.Value.size() }

type expiryItem struct {
	id string
	at time.Time
}

type expiryHeap []expiryItem

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiryItem)) }
func (h *expiryHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

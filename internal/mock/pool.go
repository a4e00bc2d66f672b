package mock

import (
	"errors"
	"time"
)

var errPoolExhausted = errors.New("no free access number")

// pool hands out the access numbers of one resource group, round robin, one reservation
// per number at a time.
type pool struct {
	numbers []string
	next    int
	held    map[string]*reservation // number -> reservation
}

// reservation ties an access number (and maybe a code) to a service instance until it
// expires or is matched.
type reservation struct {
	group, number, code, phone string
	instanceID                 string
	expires                    time.Time
}

func newPool(numbers []string) *pool {
	return &pool{numbers: append([]string(nil), numbers...), held: map[string]*reservation{}}
}

// take reserves the next free number. The caller holds the server lock and releases
// expired reservations first.
func (p *pool) take(r *reservation) error {
	for i := range p.numbers {
		idx := (p.next + i) % len(p.numbers)
		number := p.numbers[idx]
		if _, busy := p.held[number]; busy {
			continue
		}
		p.next = idx + 1
		r.number = number
		p.held[number] = r
		return nil
	}
	return errPoolExhausted
}

func (p *pool) free() int { return len(p.numbers) - len(p.held) }

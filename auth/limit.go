package auth

import (
	"sync"
	"time"
)

// Limiter limits login attempts per key (an address, a user name): at most Burst failures,
// then one more per Every. It forgets keys that have been quiet for a while, so its memory
// stays bounded by the recent attackers.
type Limiter struct {
	Burst int
	Every time.Duration
	now   func() time.Time

	mu   sync.Mutex
	seen map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter allows burst attempts, refilled at one per every.
func NewLimiter(burst int, every time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{Burst: burst, Every: every, now: now, seen: map[string]*bucket{}}
}

// Allow takes one attempt for each key; it returns false, and how long to wait, when any
// key has none left.
func (l *Limiter) Allow(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.seen) > 10000 {
		for k, b := range l.seen {
			if now.Sub(b.at) > l.Every*time.Duration(l.Burst) {
				delete(l.seen, k)
			}
		}
	}
	wait := time.Duration(0)
	bs := make([]*bucket, 0, len(keys))
	for _, k := range keys {
		b := l.seen[k]
		if b == nil {
			b = &bucket{tokens: float64(l.Burst), at: now}
			l.seen[k] = b
		}
		b.tokens = min(float64(l.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.Every))
		b.at = now
		if b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)*float64(l.Every)))
		}
		bs = append(bs, b)
	}
	if wait > 0 {
		return false, wait
	}
	for _, b := range bs {
		b.tokens--
	}
	return true, 0
}

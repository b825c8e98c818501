package auth

import (
	"sync"
	"time"
)

// Limiter limits failed login attempts per key (an address, a user name): at most Burst
// failures, then one more per Every; a successful sign-in costs nothing. It forgets keys that have been quiet for a while, so its memory
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

// Allow reports whether an attempt may be made for every key (without using one up); when
// not, it says how long to wait.
func (l *Limiter) Allow(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	wait := time.Duration(0)
	for _, b := range l.buckets(keys) {
		if b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)*float64(l.Every)))
		}
	}
	return wait == 0, wait
}

// Fail records a failed attempt against every key.
func (l *Limiter) Fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range l.buckets(keys) {
		b.tokens = max(0, b.tokens-1)
	}
}

// buckets returns the buckets of keys, refilled to now. l.mu is held.
func (l *Limiter) buckets(keys []string) []*bucket {
	now := l.now()
	if len(l.seen) > 10000 {
		for k, b := range l.seen {
			if now.Sub(b.at) > l.Every*time.Duration(l.Burst) {
				delete(l.seen, k)
			}
		}
	}
	bs := make([]*bucket, 0, len(keys))
	for _, k := range keys {
		b := l.seen[k]
		if b == nil {
			b = &bucket{tokens: float64(l.Burst), at: now}
			l.seen[k] = b
		}
		b.tokens = min(float64(l.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.Every))
		b.at = now
		bs = append(bs, b)
	}
	return bs
}

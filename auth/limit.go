package auth

import "time"

// A token bucket holds at most burst tokens and gains one per every; an attempt takes one
// (or more). Buckets that have refilled are forgotten, so that the memory stays bounded by
// the recent callers. A bucketSet is the buckets of one kind of key; its owner holds the lock.
type bucketSet struct {
	burst float64
	every time.Duration
	m     map[string]*bucket
	// swept is the size after the last sweep: the next sweep waits until the map has doubled,
	// so that sweeping costs O(1) per call however many keys an attacker makes.
	swept int
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newBucketSet(burst int, every time.Duration) bucketSet {
	return bucketSet{burst: float64(max(burst, 1)), every: max(every, time.Nanosecond), m: map[string]*bucket{}}
}

// level is the number of tokens in k's bucket at now.
func (s *bucketSet) level(k string, now time.Time) float64 {
	b := s.m[k]
	if b == nil {
		return s.burst
	}
	return min(s.burst, b.tokens+float64(now.Sub(b.at))/float64(s.every))
}

// full reports whether k's bucket is full at now (as if never used).
func (s *bucketSet) full(k string, now time.Time) bool { return s.level(k, now) >= s.burst }

// wait is how long until k's bucket holds n tokens (0 if it does now).
func (s *bucketSet) wait(k string, n float64, now time.Time) time.Duration {
	lv := s.level(k, now)
	if lv >= n {
		return 0
	}
	return time.Duration((n - lv) * float64(s.every))
}

// take removes n tokens from k's bucket (a negative n gives tokens back, up to the burst).
func (s *bucketSet) take(k string, n float64, now time.Time) {
	lv := min(s.burst, max(0, s.level(k, now)-n))
	if lv >= s.burst {
		delete(s.m, k) // a full bucket is the same as no bucket
		return
	}
	if b := s.m[k]; b != nil {
		b.tokens, b.at = lv, now
		return
	}
	s.m[k] = &bucket{tokens: lv, at: now}
	if len(s.m) >= max(1024, 2*s.swept) {
		s.sweep(now)
	}
}

// sweep forgets the buckets that have refilled.
func (s *bucketSet) sweep(now time.Time) {
	for k := range s.m {
		if s.full(k, now) {
			delete(s.m, k)
		}
	}
	s.swept = len(s.m)
}

package auth

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var testLimits = LoginLimits{Client: Rate{20, 15 * time.Second}, Pair: Rate{5, 20 * time.Second}, User: Rate{10, time.Minute}}

// Check and take are one step: of 50 concurrent attempts only the burst passes.
func TestLoginLimiterAtomic(t *testing.T) {
	for _, tc := range []struct {
		name    string
		client  func(i int) string
		user    func(i int) string
		allowed int
	}{
		{"one client, one user: the pair's burst", func(int) string { return "192.0.2.1" }, func(int) string { return "alice" }, 5},
		{"one client, many users: the client's burst", func(int) string { return "192.0.2.1" }, func(i int) string { return fmt.Sprint("u", i) }, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &clock{t: time.Unix(1e9, 0)}
			l := NewLoginLimiter(testLimits, c.now)
			var passed atomic.Int32
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if _, _, ok := l.Begin(tc.client(i), tc.user(i)); ok {
						passed.Add(1)
					}
				}()
			}
			close(start)
			wg.Wait()
			assert.Equal(t, int32(tc.allowed), passed.Load())
		})
	}
}

func TestLoginLimiterRefillAndRefund(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 0)}
	l := NewLoginLimiter(testLimits, c.now)
	for range 5 {
		_, _, ok := l.Begin("a", "alice")
		require.True(t, ok)
	}
	_, wait, ok := l.Begin("a", "alice")
	assert.False(t, ok)
	assert.Equal(t, 20*time.Second, wait, "one token back after Pair.Every")
	_, _, ok = l.Begin("b", "alice")
	assert.True(t, ok, "another client is apart")
	c.add(20 * time.Second)
	a, _, ok := l.Begin("a", "alice")
	require.True(t, ok, "one more after the refill")
	_, _, ok = l.Begin("a", "alice")
	assert.False(t, ok)
	a.Succeeded()
	_, _, ok = l.Begin("a", "alice")
	assert.True(t, ok, "a success gives its token back")
}

// A user over its own limit is soft-locked: an address that has not failed on it lately
// gets one attempt (so the real user can sign in from a fresh client), and then waits a full
// refill of its pair bucket; an address that has failed on it waits too.
func TestLoginLimiterUserUnderAttack(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 0)}
	l := NewLoginLimiter(testLimits, c.now)
	for i := range 10 {
		a, _, ok := l.Begin(fmt.Sprint("attacker", i), "alice")
		require.True(t, ok)
		assert.False(t, a.Throttled)
	}
	// The account is under attack: a fresh address gets exactly one attempt.
	a, _, ok := l.Begin("attacker99", "alice")
	require.True(t, ok)
	assert.True(t, a.Throttled)
	_, wait, ok := l.Begin("attacker99", "alice")
	assert.False(t, ok)
	assert.Equal(t, 100*time.Second, wait, "a full refill of the pair bucket: 5 x 20 s")
	// An address that failed once before the lock has not a full pair bucket: it waits.
	_, _, ok = l.Begin("attacker0", "alice")
	assert.False(t, ok)
	// The real user from a new address: one attempt, which succeeds and costs nothing.
	real, _, ok := l.Begin("real-user", "alice")
	require.True(t, ok)
	real.Succeeded()
	_, _, ok = l.Begin("real-user", "alice")
	assert.True(t, ok, "the success gave back the whole pair bucket")
	// Other users are not affected.
	b, _, ok := l.Begin("attacker99", "bob")
	require.True(t, ok)
	assert.False(t, b.Throttled)
	// After a minute the user has a token again: one normal attempt.
	c.add(time.Minute)
	a, _, ok = l.Begin("attacker5", "alice")
	require.True(t, ok)
	assert.False(t, a.Throttled)
}

// Buckets that have refilled are forgotten, and the sweep keeps the memory bounded by the
// recent attempts however many addresses are used.
func TestLoginLimiterForgets(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 0)}
	l := NewLoginLimiter(testLimits, c.now)
	a, _, ok := l.Begin("a", "alice")
	require.True(t, ok)
	assert.Equal(t, 3, l.Len())
	a.Succeeded()
	assert.Equal(t, 0, l.Len(), "a success leaves nothing behind")
	for i := range 5000 {
		l.Begin(fmt.Sprint("10.0.", i/256, ".", i%256), "x")
		c.add(50 * time.Millisecond)
	}
	// 250 s of attempts from 5000 addresses: without forgetting there would be 10,001
	// buckets. A client bucket refills in 15 s and a pair bucket (the user is soft-locked,
	// each attempt takes all 5 tokens) in 100 s, so about 300 + 2000 are live; a sweep runs
	// whenever a map has doubled, so at most twice that (and at least 1024) is held.
	assert.Less(t, l.Len(), 1024+2*2000+1)
	c.add(time.Hour)
	l.Begin("b", "y")
	l.mu.Lock()
	l.client.sweep(c.now())
	l.pair.sweep(c.now())
	l.byUser.sweep(c.now())
	l.mu.Unlock()
	assert.Equal(t, 3, l.Len(), "after an hour only the last attempt is remembered")
}

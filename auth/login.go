package auth

import (
	"sync"
	"time"
)

// Rate is a token bucket's size and refill: Burst attempts at once, then one per Every.
type Rate struct {
	Burst int
	Every time.Duration
}

// LoginLimits are the three budgets of sign-in attempts. Successful attempts are given back,
// so only failures count.
type LoginLimits struct {
	// Client bounds the attempts of one client address, whatever user names it tries
	// (password spraying).
	Client Rate
	// Pair bounds the attempts of one client address on one user name.
	Pair Rate
	// User bounds the attempts on one user name from all addresses together. When it is
	// spent the account is under attack, and it is a soft limit: each address may still make
	// one attempt per Pair.Burst × Pair.Every on it, so that the real user, from an address
	// that has not failed on it lately, can still sign in.
	User Rate
}

// DefaultLoginLimits are the limits codenav serve uses.
var DefaultLoginLimits = LoginLimits{
	Client: Rate{Burst: 20, Every: 15 * time.Second},
	Pair:   Rate{Burst: 5, Every: 20 * time.Second},
	User:   Rate{Burst: 10, Every: time.Minute},
}

// LoginLimiter decides, before a password is checked, whether a sign-in attempt may be made.
// The decision and the taking of its tokens happen under one lock, so that concurrent
// attempts cannot all pass a check made before any of them failed.
type LoginLimiter struct {
	limits LoginLimits
	now    func() time.Time

	mu                   sync.Mutex
	client, pair, byUser bucketSet
}

// NewLoginLimiter makes a limiter; now may be nil (the clock).
func NewLoginLimiter(limits LoginLimits, now func() time.Time) *LoginLimiter {
	if now == nil {
		now = time.Now
	}
	return &LoginLimiter{limits: limits, now: now,
		client: newBucketSet(limits.Client.Burst, limits.Client.Every),
		pair:   newBucketSet(limits.Pair.Burst, limits.Pair.Every),
		byUser: newBucketSet(limits.User.Burst, limits.User.Every)}
}

// Attempt is a sign-in attempt that Begin let through: the tokens it took.
type Attempt struct {
	l                  *LoginLimiter
	client, pair, user string
	pairCost, userCost float64
	// Throttled is true when the user name was over its own limit and the attempt was let
	// through as the one attempt its address gets in a while.
	Throttled bool
}

// Begin takes the tokens of an attempt by client (an address) on user (a user name), or
// takes none and says how long to wait. Call Succeeded on the attempt if the password was
// right.
func (l *LoginLimiter) Begin(client, user string) (*Attempt, time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	a := &Attempt{l: l, client: client, pair: user + "\x00" + client, user: user, pairCost: 1, userCost: 1}
	if l.byUser.level(user, now) < 1 {
		// The account is under attack: an address gets an attempt only if it has not failed
		// on this user for a full refill of its pair bucket, and uses up all of it.
		a.pairCost, a.userCost, a.Throttled = l.pair.burst, 0, true
	}
	wait := max(l.client.wait(client, 1, now), l.pair.wait(a.pair, a.pairCost, now))
	if wait > 0 {
		return nil, wait, false
	}
	l.client.take(client, 1, now)
	l.pair.take(a.pair, a.pairCost, now)
	l.byUser.take(user, a.userCost, now)
	return a, 0, true
}

// Succeeded gives back the tokens of a successful attempt: signing in costs nothing.
func (a *Attempt) Succeeded() { a.refund() }

// Cancel gives back the tokens of an attempt whose password was never checked.
func (a *Attempt) Cancel() { a.refund() }

func (a *Attempt) refund() {
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.client.take(a.client, -1, now)
	l.pair.take(a.pair, -a.pairCost, now)
	l.byUser.take(a.user, -a.userCost, now)
}

// Len is the number of buckets remembered (for tests: forgotten buckets free their memory).
func (l *LoginLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.client.m) + len(l.pair.m) + len(l.byUser.m)
}

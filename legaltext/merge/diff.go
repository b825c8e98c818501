package merge

// edit replaces the tokens [s, e) of the old sequence with the tokens [rs, re) of the new one.
// A pure insertion has s == e; a pure deletion rs == re.
type edit struct {
	s, e, rs, re int
}

// Bounds on the search for a shortest edit script. Past them the changed middle of the two
// sequences is taken as replaced as a whole: still an exact script, only coarser, so that a
// merge may report a conflict it could have avoided but never applies a change wrongly. The
// bounds depend only on the lengths, which keeps the result deterministic (a time limit would
// not).
const (
	maxDiffCost = 1000       // edit steps (insertions plus deletions)
	maxDiffWork = 20_000_000 // tokens examined, roughly (length times cost)
)

// diff returns the edits that turn a into b: a shortest edit script over tokens (Myers'
// O(ND) algorithm) after the common prefix and suffix are set aside. Consecutive steps are
// joined, so that two edits are always separated by at least one unchanged token.
func diff(a, b []int32) []edit {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	q := 0
	for q < len(a)-p && q < len(b)-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	ma, mb := a[p:len(a)-q], b[p:len(b)-q]
	if len(ma) == 0 && len(mb) == 0 {
		return nil
	}
	limit := min(maxDiffCost, len(ma)+len(mb), maxDiffWork/(len(ma)+len(mb)))
	es, ok := myers(ma, mb, limit)
	if !ok || !exact(ma, mb, es) {
		es = []edit{{0, len(ma), 0, len(mb)}}
	}
	for i := range es {
		es[i].s += p
		es[i].e += p
		es[i].rs += p
		es[i].re += p
	}
	return es
}

// myers finds a shortest edit script of at most limit steps; ok is false when there is none.
func myers(a, b []int32, limit int) (es []edit, ok bool) {
	n, m := len(a), len(b)
	off := limit + 1
	// v[off+k] is the furthest x reached on diagonal k (x - y = k); trace[d] keeps v[-d..d]
	// as it stood after step d, to walk the path back.
	v := make([]int, 2*off+1)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1] // down: a token of b inserted
			} else {
				x = v[off+k-1] + 1 // right: a token of a deleted
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
				return backtrack(trace, n, m), true
			}
		}
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
	}
	return nil, false
}

// backtrack walks the path from (n, m) back to (0, 0) and returns its edits in order.
func backtrack(trace [][]int, n, m int) []edit {
	x, y := n, m
	var rev []edit
	add := func(s, e, rs, re int) {
		// Steps arrive last first: join one to the edit just after it when they touch.
		if k := len(rev) - 1; k >= 0 && rev[k].s == e && rev[k].rs == re {
			rev[k].s, rev[k].rs = s, rs
			return
		}
		rev = append(rev, edit{s, e, rs, re})
	}
	for d := len(trace) - 1; d > 0; d-- {
		prev := trace[d-1] // v[-(d-1)..d-1], indexed from -(d-1)
		at := func(k int) int { return prev[k+d-1] }
		k := x - y
		var pk int
		if k == -d || k != d && at(k-1) < at(k+1) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		// The snake (equal tokens) from the end of the step to (x, y) is skipped.
		if pk == k+1 {
			add(px, px, py, py+1) // insertion of b[py]
		} else {
			add(px, px+1, py, py) // deletion of a[px]
		}
		x, y = px, py
	}
	// Reverse into document order.
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// exact reports whether es, applied to a, gives b, and leaves an unchanged token between any
// two edits: the promise diff makes to the merge.
func exact(a, b []int32, es []edit) bool {
	var out []int32
	pos := 0
	for i, e := range es {
		if e.s < pos || e.e < e.s || e.re < e.rs || e.e > len(a) || e.re > len(b) || i > 0 && e.s == pos {
			return false
		}
		out = append(out, a[pos:e.s]...)
		out = append(out, b[e.rs:e.re]...)
		pos = e.e
	}
	out = append(out, a[pos:]...)
	if len(out) != len(b) {
		return false
	}
	for i := range out {
		if out[i] != b[i] {
			return false
		}
	}
	return true
}

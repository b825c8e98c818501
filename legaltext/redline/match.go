package redline

import (
	"github.com/sergi/go-diff/diffmatchpatch"
)

// matchSequence aligns two sequences of texts (paragraphs of two versions, lines of two
// versions of a clause) and returns the pairs (index in a, index in b), increasing in both.
// Identical texts are matched first by a longest common subsequence (go-diff over one rune
// per distinct text, which is near-linear when the sequences are mostly alike); in each run
// of unmatched texts between two matches, texts at least threshold similar are paired by a
// dynamic programme that maximises the total similarity. When pairSingle is set, a run of
// exactly one text on each side is paired whatever their similarity (the one line of a
// changed clause is that clause's line).
func matchSequence(a, b []string, sim func(i, j int) float64, threshold float64, pairSingle bool) [][2]int {
	var out [][2]int
	if len(a) == 0 || len(b) == 0 {
		return out
	}
	e := newEncoder()
	ra, rb := e.encodeWhole(a), e.encodeWhole(b)
	if ra == nil || rb == nil {
		return similarRun(nil, seq(0, len(a)), seq(0, len(b)), sim, threshold, pairSingle)
	}
	diffs := boundedDiff(ra, rb)
	i, j := 0, 0
	var runA, runB []int
	flush := func() {
		out = similarRun(out, runA, runB, sim, threshold, pairSingle)
		runA, runB = runA[:0], runB[:0]
	}
	for _, d := range diffs {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			flush()
			for k := 0; k < n; k++ {
				out = append(out, [2]int{i + k, j + k})
			}
			i, j = i+n, j+n
		case diffmatchpatch.DiffDelete:
			runA = append(runA, seq(i, i+n)...)
			i += n
		case diffmatchpatch.DiffInsert:
			runB = append(runB, seq(j, j+n)...)
			j += n
		}
	}
	flush()
	return out
}

func seq(from, to int) []int {
	s := make([]int, 0, to-from)
	for k := from; k < to; k++ {
		s = append(s, k)
	}
	return s
}

// encodeWhole maps each whole text to one rune (a text of one ASCII character to itself).
func (e *encoder) encodeWhole(texts []string) []rune {
	out := make([]rune, 0, len(texts))
	for _, t := range texts {
		rs := e.encode([]string{t})
		if rs == nil {
			return nil
		}
		out = append(out, rs[0])
	}
	return out
}

// similarRun pairs the similar texts of one unmatched run and appends the pairs to out. A run
// longer than dpChunk on either side is cut into pieces along its diagonal, so that the work
// grows with the length of the run, not its square.
func similarRun(out [][2]int, ra, rb []int, sim func(i, j int) float64, threshold float64, pairSingle bool) [][2]int {
	if len(ra) == 0 || len(rb) == 0 {
		return out
	}
	if pairSingle && len(ra) == 1 && len(rb) == 1 {
		return append(out, [2]int{ra[0], rb[0]})
	}
	chunks := max((len(ra)+dpChunk-1)/dpChunk, (len(rb)+dpChunk-1)/dpChunk)
	for k := 0; k < chunks; k++ {
		a := ra[k*len(ra)/chunks : (k+1)*len(ra)/chunks]
		b := rb[k*len(rb)/chunks : (k+1)*len(rb)/chunks]
		out = append(out, bestPairs(a, b, sim, threshold)...)
	}
	return out
}

// bestPairs is the order-keeping matching of a and b with the greatest total similarity,
// counting only pairs at least threshold similar.
func bestPairs(a, b []int, sim func(i, j int) float64, threshold float64) [][2]int {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	w := len(b) + 1
	score := make([]float64, (len(a)+1)*w)
	take := make([]bool, (len(a)+1)*w)
	for x := 1; x <= len(a); x++ {
		for y := 1; y <= len(b); y++ {
			best := score[(x-1)*w+y]
			if s := score[x*w+y-1]; s > best {
				best = s
			}
			if s := sim(a[x-1], b[y-1]); s >= threshold {
				if t := score[(x-1)*w+y-1] + s; t > best {
					best = t
					take[x*w+y] = true
				}
			}
			score[x*w+y] = best
		}
	}
	var rev [][2]int
	for x, y := len(a), len(b); x > 0 && y > 0; {
		switch {
		case take[x*w+y]:
			rev = append(rev, [2]int{a[x-1], b[y-1]})
			x, y = x-1, y-1
		case score[(x-1)*w+y] == score[x*w+y]:
			x--
		default:
			y--
		}
	}
	for l, r := 0, len(rev)-1; l < r; l, r = l+1, r-1 {
		rev[l], rev[r] = rev[r], rev[l]
	}
	return rev
}

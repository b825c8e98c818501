package redline

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// kinds lists "kind old->new" for each block, the shape a scenario expects.
func kinds(r *Redline) []string {
	var out []string
	for _, b := range r.Blocks {
		s := b.Kind.String()
		if b.OldID != "" || b.NewID != "" {
			s += " " + b.OldID + ">" + b.NewID
		}
		out = append(out, s)
	}
	return out
}

// opsString shows a block's word changes as [-deleted-]{+inserted+}.
func opsString(ls []Line) string {
	var b strings.Builder
	for k, l := range ls {
		if k > 0 {
			b.WriteString(" / ")
		}
		for _, op := range l.Ops {
			switch op.Kind {
			case OpInsert:
				b.WriteString("{+" + op.Text + "+}")
			case OpDelete:
				b.WriteString("[-" + op.Text + "-]")
			default:
				b.WriteString(op.Text)
			}
		}
	}
	return b.String()
}

func TestCompareScenarios(t *testing.T) {
	const base = "# Section H\n\n## H1 Entry {#H1}\n\n**H1.1** A Party shall apply.\n\n**H1.2** The DCC shall reply.\n\n**H1.3** The Panel may decide any dispute about an application.\n\n**H1.4** The Code Administrator shall keep a record of each application.\n"
	cases := []struct {
		name  string
		old   string
		new   string
		kinds []string
		check func(t *testing.T, r *Redline)
	}{
		{name: "identical", old: base, new: base,
			kinds: []string{"equal", "equal H1>H1", "equal H1.1>H1.1", "equal H1.2>H1.2", "equal H1.3>H1.3", "equal H1.4>H1.4"},
			check: func(t *testing.T, r *Redline) {
				assert.Empty(t, r.Changes())
				assert.Equal(t, Counts{Unchanged: 4}, r.Summary.Clauses)
			}},
		{name: "rewrapped and respaced only",
			old:   base,
			new:   strings.Replace(strings.Replace(base, "The DCC shall reply.", "The   DCC\nshall\treply.", 1), "each application.", "each\napplication.   ", 1),
			kinds: []string{"equal", "equal H1>H1", "equal H1.1>H1.1", "equal H1.2>H1.2", "equal H1.3>H1.3", "equal H1.4>H1.4"}},
		{name: "list markers only",
			old:   "**H2.1** The DCC shall:\n\n- (a) test;\n- (b) report.\n\n## Steps\n\n1. one\n2. two\n",
			new:   "**H2.1** The DCC shall:\n\n* (a) test;\n* (b) report.\n\n## Steps\n\n1. one\n1. two\n",
			kinds: []string{"equal H2.1>H2.1", "equal", "equal"},
			check: func(t *testing.T, r *Redline) {
				assert.False(t, r.Blocks[2].Wording)
				assert.Equal(t, "1. one / [-2. -]{+1. +}two", opsString(r.Blocks[2].Lines), "the number change is shown, as layout")
			}},
		{name: "heading level only",
			old: "## Part One\n\ntext\n", new: "### Part One\n\ntext\n",
			kinds: []string{"equal", "equal"}},
		{name: "words changed",
			old:   base,
			new:   strings.Replace(base, "The DCC shall reply.", "The DCC shall reply within five Working Days.", 1),
			kinds: []string{"equal", "equal H1>H1", "equal H1.1>H1.1", "changed H1.2>H1.2", "equal H1.3>H1.3", "equal H1.4>H1.4"},
			check: func(t *testing.T, r *Redline) {
				assert.Equal(t, "H1.2 The DCC shall reply{+ within five Working Days+}.", opsString(r.Blocks[3].Lines))
				assert.True(t, r.Blocks[3].Wording)
				assert.Equal(t, 1, r.Blocks[3].Change)
				assert.Equal(t, Counts{Changed: 1, Unchanged: 3}, r.Summary.Clauses)
			}},
		{name: "clause inserted and deleted",
			old:   base,
			new:   strings.Replace(strings.Replace(base, "**H1.4** The Code Administrator shall keep a record of each application.\n", "", 1), "**H1.2**", "**H1.1A** A new clause about something else entirely.\n\n**H1.2**", 1),
			kinds: []string{"equal", "equal H1>H1", "equal H1.1>H1.1", "inserted >H1.1A", "equal H1.2>H1.2", "equal H1.3>H1.3", "deleted H1.4>"},
			check: func(t *testing.T, r *Redline) {
				assert.Equal(t, Counts{Added: 1, Deleted: 1, Unchanged: 3}, r.Summary.Clauses)
			}},
		{name: "renumbered after a deletion",
			old:   base,
			new:   strings.Replace(strings.Replace(base, "**H1.2** The DCC shall reply.\n\n", "", 1), "**H1.3** The Panel may decide any dispute", "**H1.2** The Panel may decide any dispute", 1),
			kinds: []string{"equal", "equal H1>H1", "equal H1.1>H1.1", "deleted H1.2>", "renumbered H1.3>H1.2", "equal H1.4>H1.4"},
			check: func(t *testing.T, r *Redline) {
				assert.Equal(t, "[-H1.3-]{+H1.2+} The Panel may decide any dispute about an application.", opsString(r.Blocks[4].Lines))
				assert.Equal(t, Counts{Deleted: 1, Renumbered: 1, Unchanged: 2}, r.Summary.Clauses)
			}},
		{name: "renumbered with its own changes",
			old:   base,
			new:   strings.Replace(strings.Replace(base, "**H1.2** The DCC shall reply.\n\n", "", 1), "**H1.3** The Panel may decide any dispute about", "**H1.2** The Panel may determine any dispute about", 1),
			kinds: []string{"equal", "equal H1>H1", "equal H1.1>H1.1", "deleted H1.2>", "renumbered H1.3>H1.2", "equal H1.4>H1.4"},
			check: func(t *testing.T, r *Redline) {
				assert.Equal(t, "[-H1.3-]{+H1.2+} The Panel may [-decide-]{+determine+} any dispute about an application.", opsString(r.Blocks[4].Lines))
			}},
		{name: "moved",
			old:   base,
			new:   strings.Replace(strings.Replace(base, "**H1.2** The DCC shall reply.\n\n", "", 1), "each application.\n", "each application.\n\n**H1.2** The DCC shall reply promptly.\n", 1),
			kinds: []string{"equal", "equal H1>H1", "equal H1.1>H1.1", "moved-away H1.2>H1.2", "equal H1.3>H1.3", "equal H1.4>H1.4", "moved H1.2>H1.2"},
			check: func(t *testing.T, r *Redline) {
				away, moved := r.Blocks[3], r.Blocks[6]
				assert.Equal(t, moved.Change, away.Pair)
				assert.Equal(t, away.Change, moved.Pair)
				assert.Equal(t, "{+H1.2 The DCC shall reply promptly.+}", opsString(moved.Lines), "the text arrives whole")
				assert.Equal(t, "H1.2 The DCC shall reply{+ promptly+}.", opsString(moved.Diff), "its own changes are shown apart")
				assert.Equal(t, Counts{Moved: 1, Unchanged: 3}, r.Summary.Clauses)
			}},
		{name: "table cell",
			old:   "**H13.1** Measures:\n\n| No. | Measure | Target |\n|---|---|---|\n| 1 | Availability of the gateway | 9.95% |\n| 2 | Alerts delivered | 99% |\n",
			new:   "**H13.1** Measures:\n\n| No. | Measure | Target |\n|---|---|---|\n| 1 | Availability of the gateway | 99.5% |\n| 2 | Alerts delivered on time | 99% |\n",
			kinds: []string{"changed H13.1>H13.1"},
			check: func(t *testing.T, r *Redline) {
				assert.Equal(t, "H13.1 Measures: / No. | Measure | Target / 1 | Availability of the gateway | [-9.95-]{+99.5+}% / 2 | Alerts delivered{+ on time+} | 99%", opsString(r.Blocks[0].Lines))
				assert.Equal(t, StyleRow, r.Blocks[0].Lines[2].Style)
			}},
		{name: "sub-paragraph inserted",
			old:   "**H1.4** The Applicant shall give:\n\n- (a) its name;\n- (b) its address.\n",
			new:   "**H1.4** The Applicant shall give:\n\n- (a) its name;\n- (b) its registered number; and\n- (c) its address.\n",
			kinds: []string{"changed H1.4>H1.4"},
			check: func(t *testing.T, r *Redline) {
				ls := r.Blocks[0].Lines
				require.Len(t, ls, 4)
				assert.Equal(t, StyleItem, ls[1].Style)
				assert.Equal(t, "H1.4 The Applicant shall give: / (a) its name; / {+(b) its registered number; and+} / ([-b-]{+c+}) its address.", opsString(ls))
			}},
		{name: "text without ids pairs by sequence",
			old:   "First paragraph about the parties.\n\nSecond paragraph about payment of fees by the customer.\n\nThird paragraph about termination.\n",
			new:   "First paragraph about the parties.\n\nSecond paragraph about prompt payment of fees by the customer.\n\nA new paragraph.\n\nThird paragraph about termination.\n",
			kinds: []string{"equal", "changed", "inserted", "equal"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := checkLaw(t, c.name, legaltext.Parse([]byte(c.old)), legaltext.Parse([]byte(c.new)))
			assert.Equal(t, c.kinds, kinds(r))
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

// TestSampleRenumbering: in Section H 1.0 -> 2.0, H14.5 was deleted and H14.6/H14.7 became
// H14.5/H14.6. They must show as renumbered, not as deleted and inserted.
func TestSampleRenumbering(t *testing.T) {
	dir := filepath.Join(corpusDocs, "section-h")
	r := Compare(parseFile(t, filepath.Join(dir, "1.0.md")), parseFile(t, filepath.Join(dir, "2.0.md")))
	byOld := map[string]Block{}
	for _, b := range r.Blocks {
		if b.OldID != "" {
			byOld[b.OldID] = b
		}
	}
	assert.Equal(t, ChangeDeleted, byOld["H14.5"].Kind)
	for old, new := range map[string]string{"H14.6": "H14.5", "H14.7": "H14.6"} {
		b := byOld[old]
		assert.Equal(t, ChangeRenumbered, b.Kind, old)
		assert.Equal(t, new, b.NewID, old)
		assert.Equal(t, "[-"+old+"-]{+"+new+"+}", strings.SplitN(opsString(b.Lines), " ", 2)[0], "only the number changes")
	}
	assert.Equal(t, 2, r.Summary.Clauses.Renumbered)
	assert.Zero(t, r.Summary.Clauses.Added, "no clause shows as inserted")
	t.Logf("section-h 1.0 -> 2.0 clauses: %+v", r.Summary.Clauses)
}

// listNumRE is an ordered list number at the start of a line.
var listNumRE = regexp.MustCompile(`(?m)^\d{1,9}[.)] `)

// changedWords counts the words inserted and deleted, list numbers apart.
func changedWords(r *Redline) (changed, equal int) {
	for _, b := range r.Blocks {
		for _, l := range b.Lines {
			for k, op := range l.Ops {
				n := len(strings.Fields(op.Text))
				switch {
				case op.Kind == OpEqual:
					equal += n
				case k <= 1 && ordMarker(op.Text) != "":
					// a list number: layout
				default:
					changed += n
				}
			}
		}
	}
	return changed, equal
}

// TestSitePolicyReformat: 348ff86 is a reformat of bd28587 (list numbers, heading levels,
// links). The pair also carries real amendments ("User Account" became "Personal Account",
// a section D.8 was added), so not every block can be unchanged; what must hold is that the
// reformatting shows as no change at all.
func TestSitePolicyReformat(t *testing.T) {
	old := parseFile(t, realFile(t, "site-policy", "github-terms-of-service@bd28587.md"))
	new := parseFile(t, realFile(t, "site-policy", "github-terms-of-service@348ff86.md"))
	r := Compare(old, new)
	same, layoutOnly := 0, 0
	for _, b := range r.Blocks {
		if !b.Wording {
			same++
			if strings.Contains(opsString(b.Lines), "[-") {
				layoutOnly++
			}
		}
	}
	blockShare := float64(same) / float64(len(r.Blocks))
	changed, equal := changedWords(r)
	wordShare := float64(equal) / float64(equal+changed)
	// An independent measure of the real amendments: a word diff of the two whole texts with
	// list numbers removed. The redline must not show much more than that.
	strip := func(d *legaltext.Doc) string { return Normalize(listNumRE.ReplaceAllString(CleanText(d.Text()), "")) }
	global := 0
	for _, op := range diffWords(strip(old), strip(new)) {
		if op.Kind != OpEqual {
			global += len(strings.Fields(op.Text))
		}
	}
	t.Logf("site-policy bd28587 -> 348ff86: %d of %d blocks (%.1f%%) show no wording change (%d of them with list numbers changed); %.1f%% of words unchanged; %d words changed in the redline, %d in a whole-text word diff",
		same, len(r.Blocks), 100*blockShare, layoutOnly, 100*wordShare, changed, global)
	assert.GreaterOrEqual(t, wordShare, 0.95, "share of words unchanged")
	assert.GreaterOrEqual(t, blockShare, 0.85, "share of blocks without a wording change")
	assert.LessOrEqual(t, changed, global*5/4+10, "the redline shows no more change than the texts have")
	for _, b := range r.Blocks {
		if b.Wording && b.Kind != ChangeInserted && b.Kind != ChangeDeleted {
			// A block flagged as a change of wording has a changed word that is not a list number.
			c, _ := changedWords(&Redline{Blocks: []Block{b}})
			assert.Positive(t, c, "block %d flagged without a changed word: %s", b.Change, opsString(b.Lines))
		}
	}
}

// TestCCByRewriteReadable: cc-by 3.0 -> 4.0 is a near rewrite with renumbering. The redline
// must still pair paragraphs that correspond, and keep at least the common wording that a
// plain word diff of the whole texts finds.
func TestCCByRewriteReadable(t *testing.T) {
	for _, p := range [][2]string{{"v3.0", "v4.0"}, {"v2.5", "v3.0"}, {"v2.0", "v2.5"}} {
		old := parseFile(t, realFile(t, "cc-by", "cc-by@"+p[0]+".txt"))
		new := parseFile(t, realFile(t, "cc-by", "cc-by@"+p[1]+".txt"))
		r := Compare(old, new)
		lines := map[Change]int{}
		for _, b := range r.Blocks {
			for _, l := range b.Lines {
				lines[l.Kind]++
			}
		}
		oldLines := lines[ChangeEqual] + lines[ChangeChanged] + lines[ChangeDeleted]
		paired := float64(lines[ChangeEqual]+lines[ChangeChanged]) / float64(oldLines)
		_, equal := changedWords(r)
		global := 0
		for _, op := range diffWords(Normalize(CleanText(old.Text())), Normalize(CleanText(new.Text()))) {
			if op.Kind == OpEqual {
				global += len(strings.Fields(op.Text))
			}
		}
		t.Logf("cc-by %s -> %s: %d of %d old paragraphs paired (%.0f%%: %d equal, %d changed, %d deleted; %d inserted); %d words kept in common (a whole-text word diff keeps %d)",
			p[0], p[1], lines[ChangeEqual]+lines[ChangeChanged], oldLines, 100*paired,
			lines[ChangeEqual], lines[ChangeChanged], lines[ChangeDeleted], lines[ChangeInserted], equal, global)
		assert.GreaterOrEqual(t, paired, 0.3, "%s -> %s: share of old paragraphs paired", p[0], p[1])
		assert.GreaterOrEqual(t, equal, global, "%s -> %s: words kept in common", p[0], p[1])
	}
}

func TestSummaryCountsEveryBlock(t *testing.T) {
	for _, p := range corpusPairs(t) {
		r := Compare(parseFile(t, p.old), parseFile(t, p.new))
		away := 0
		for _, b := range r.Blocks {
			if b.Kind == ChangeMovedAway {
				away++
			}
		}
		assert.Equal(t, len(r.Blocks)-away, r.Summary.Blocks.Total(), p.name)
		assert.Equal(t, len(r.Changes())-away, r.Summary.Blocks.Total()-r.Summary.Blocks.Unchanged, p.name)
	}
}

func TestChangeStrings(t *testing.T) {
	for c, want := range map[Change]string{ChangeEqual: "equal", ChangeMovedAway: "moved-away", Change(99): "unknown"} {
		assert.Equal(t, want, c.String())
	}
	assert.Equal(t, "insert", OpInsert.String())
	assert.Equal(t, "row", StyleRow.String())
	assert.Equal(t, "paragraph", Style(42).String())
	assert.Equal(t, "H1 → H2", Block{OldID: "H1", NewID: "H2"}.label())
	assert.Equal(t, fmt.Sprint(ChangeRenumbered), "renumbered")
}

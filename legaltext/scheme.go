package legaltext

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// A Scheme says how a document numbers its citable units: which headings or paragraphs open
// a clause, which labels nest under a clause and in what order, and how ids are formed. The
// SEC's "**H1.1**" is one scheme; a German statute ("§ 14a", "(1)", "1.", "a)") and a US code
// ("(a)(1)(A)(i)") are others. Every scheme yields the same tree: clauses (KindClause nodes)
// with their units (Node.Units), each with an id that depends only on the numbers above it,
// so that it is the same in every version where the unit exists.
type Scheme struct {
	// Name is the built-in name ("sec", "german-statute", "us-code", "uk-legislation") or
	// "custom".
	Name string
	// Headings are the words that open a numbered heading ("§", "Art", "Section"); the word is
	// followed by the number: "§ 14a", "Art 12", "Section 3".
	Headings []string
	// HeadingClauses: a numbered heading is itself a clause, and its labelled paragraphs are
	// the clause's units (a German "§ 14a" with its "(1)"). Otherwise the numbered heading is
	// a part, and each paragraph whose label is of the first level opens a clause (a US
	// code's "§ 50-2201.03" with its "(a)", "(b)").
	HeadingClauses bool
	// DashClauses: a paragraph opening with "1.—" (UK legislation: "1.—(1) ...") or a bold
	// "**1.**" opens clause 1.
	DashClauses bool
	// NumberClauses: a paragraph of the document (not of a list) that opens with a number
	// "1." or with a heading word and its number ("Section 1 – Definitions.") opens a clause:
	// an outline in plain text, made Markdown.
	NumberClauses bool
	// TitleNumbers: a heading whose title opens with "A." or "1." is a clause numbered so,
	// under the numbered heading above it ("B. Account Terms", then "1. Required Information"
	// is clause "B 1").
	TitleNumbers bool
	// Labels are the label styles of the units under a clause, outermost first.
	Labels []LabelStyle
	// Sep is put between the labels of a unit's citation ("§ 14a (2) 3." with " ",
	// "§ 50-2201.03(a)(2)" with "").
	Sep string

	sec bool // the SEC's own convention, parsed as it always was
}

// LabelStyle is one way of writing a unit label.
type LabelStyle string

// The label styles a scheme can list.
const (
	LabelParenDigit LabelStyle = "(1)" // (1), (1a), (1A)
	LabelParenLower LabelStyle = "(a)" // (a), (aa), (c-1)
	LabelParenUpper LabelStyle = "(A)" // (A), (AA)
	LabelParenRoman LabelStyle = "(i)" // (i), (iv)
	LabelParenURom  LabelStyle = "(I)" // (I), (IV)
	LabelDotDigit   LabelStyle = "1."  // 1., 4c.
	LabelLowerParen LabelStyle = "a)"  // a), b)
	LabelDoubleLow  LabelStyle = "aa)" // aa), bb)
	LabelDotLower   LabelStyle = "a."  // a., b.
	LabelDotRoman   LabelStyle = "i."  // i., iv.
	LabelDigitParen LabelStyle = "1)"  // 1), 2)
)

var labelStyles = []LabelStyle{LabelParenDigit, LabelParenLower, LabelParenUpper, LabelParenRoman, LabelParenURom,
	LabelDotDigit, LabelLowerParen, LabelDoubleLow, LabelDotLower, LabelDotRoman, LabelDigitParen}

// Built-in schemes, by name.
var builtinNames = []string{"sec", "german-statute", "us-code", "uk-legislation", "numbered-headings", "outline"}

// SchemeNames lists the built-in schemes.
func SchemeNames() []string { return slices.Clone(builtinNames) }

// BuiltinScheme returns the built-in scheme of that name.
func BuiltinScheme(name string) (*Scheme, bool) {
	switch name {
	case "sec", "":
		return &Scheme{Name: "sec", sec: true, Labels: []LabelStyle{LabelParenLower, LabelParenRoman}}, true
	case "german-statute":
		return &Scheme{Name: name, Headings: []string{"§", "Art", "Artikel"}, HeadingClauses: true,
			Labels: []LabelStyle{LabelParenDigit, LabelDotDigit, LabelLowerParen, LabelDoubleLow}, Sep: " "}, true
	case "us-code":
		return &Scheme{Name: name, Headings: []string{"§", "Sec", "Section"},
			Labels: []LabelStyle{LabelParenLower, LabelParenDigit, LabelParenUpper, LabelParenRoman, LabelParenURom}}, true
	case "outline":
		return &Scheme{Name: name, Headings: []string{"Section", "Article"}, HeadingClauses: true, NumberClauses: true,
			Labels: []LabelStyle{LabelDotLower, LabelDotDigit, LabelDotRoman, LabelParenLower, LabelParenRoman}, Sep: " "}, true
	case "numbered-headings":
		return &Scheme{Name: name, TitleNumbers: true, HeadingClauses: true,
			Labels: []LabelStyle{LabelDotDigit, LabelParenLower, LabelParenRoman}, Sep: " "}, true
	case "uk-legislation":
		return &Scheme{Name: name, Headings: []string{"Regulation", "Section", "Article", "Rule"}, HeadingClauses: true,
			DashClauses: true, Labels: []LabelStyle{LabelParenDigit, LabelParenLower, LabelParenRoman, LabelParenUpper}}, true
	}
	return nil, false
}

// SEC is the SEC's own scheme: "**H1.1**" clauses with "(a)" and "(i)" sub-paragraphs.
func SEC() *Scheme {
	s, _ := BuiltinScheme("sec")
	return s
}

// SchemeSpec is a scheme as a code.yaml or document.yaml writes it when no built-in fits:
//
//	numbering:
//	  base: german-statute        # optional: start from a built-in
//	  headings: ["§", "Art"]      # words that open a numbered heading
//	  heading-clauses: true       # the heading is the clause (else it is a part)
//	  labels: ["(1)", "1.", "a)"] # label styles, outermost first
//	  separator: " "              # between labels in a citation
type SchemeSpec struct {
	Base           string   `yaml:"base"`
	Headings       []string `yaml:"headings"`
	HeadingClauses *bool    `yaml:"heading-clauses"`
	DashClauses    *bool    `yaml:"dash-clauses"`
	Labels         []string `yaml:"labels"`
	Separator      *string  `yaml:"separator"`
}

// Scheme checks the spec and returns the scheme it describes.
func (sp SchemeSpec) Scheme() (*Scheme, error) {
	base := sp.Base
	if base == "" {
		base = "german-statute"
		if len(sp.Headings) == 0 && sp.HeadingClauses == nil && sp.DashClauses == nil {
			base = "us-code"
		}
	}
	if base == "sec" {
		return nil, fmt.Errorf("base sec cannot be changed: write numbering: sec, or start from another base")
	}
	s, ok := BuiltinScheme(base)
	if !ok {
		return nil, fmt.Errorf("unknown base scheme %q (built in: %s)", sp.Base, strings.Join(builtinNames, ", "))
	}
	s.Name = "custom"
	if sp.Headings != nil {
		s.Headings = nil
		for _, h := range sp.Headings {
			h = strings.TrimSpace(h)
			if h == "" || strings.ContainsAny(h, " \t\n") || strings.ContainsAny(h, "0123456789") {
				return nil, fmt.Errorf("heading word %q: want one word without digits, such as § or Art", h)
			}
			s.Headings = append(s.Headings, strings.TrimSuffix(h, "."))
		}
	}
	if sp.HeadingClauses != nil {
		s.HeadingClauses = *sp.HeadingClauses
	}
	if sp.DashClauses != nil {
		s.DashClauses = *sp.DashClauses
	}
	if sp.Labels != nil {
		s.Labels = nil
		for _, l := range sp.Labels {
			st := LabelStyle(strings.TrimSpace(l))
			if !slices.Contains(labelStyles, st) {
				return nil, fmt.Errorf("unknown label style %q (known: %s)", l, styleList())
			}
			if slices.Contains(s.Labels, st) {
				return nil, fmt.Errorf("label style %q listed twice", l)
			}
			s.Labels = append(s.Labels, st)
		}
		if len(s.Labels) == 0 {
			return nil, fmt.Errorf("labels: list at least one label style (%s)", styleList())
		}
	}
	if sp.Separator != nil {
		if *sp.Separator != "" && *sp.Separator != " " {
			return nil, fmt.Errorf("separator %q: want \"\" or \" \"", *sp.Separator)
		}
		s.Sep = *sp.Separator
	}
	if len(s.Headings) == 0 && s.HeadingClauses {
		return nil, fmt.Errorf("heading-clauses needs headings: name the words that open a clause heading")
	}
	return s, nil
}

func styleList() string {
	out := make([]string, len(labelStyles))
	for i, s := range labelStyles {
		out[i] = string(s)
	}
	return strings.Join(out, " ")
}

// IsSEC reports whether s is the SEC's own convention (nil counts as the SEC's).
func (s *Scheme) IsSEC() bool { return s == nil || s.sec }

// String names the scheme.
func (s *Scheme) String() string {
	if s == nil {
		return "sec"
	}
	return s.Name
}

// Unit is a citable unit inside a clause: a paragraph "(2)" of "§ 14a", an item "3." of it,
// or a US code's "(a)(2)(A)".
type Unit struct {
	// ID is the unit's permalink: the clause id followed by its labels ("§14a(2)3.").
	ID string
	// Label is how a reader cites it: "§ 14a (2) 3.", "§ 50-2201.03(a)(2)(A)".
	Label string
	// Lead is the label as written at the start of its paragraph ("(2)(A)", "3."), which
	// is how a paragraph of the clause's text is known to open the unit.
	Lead string
	// Level is the depth under the clause, from 1.
	Level int
}

// ---- numbered headings -------------------------------------------------------------------

// headingNumber reads "§ 14a Title", "Art. 12 Title", "Section 3. Title" for one of the
// scheme's heading words: the word as the scheme names it, and the number.
func (s *Scheme) headingNumber(title string) (word, num string, ok bool) {
	for _, w := range s.Headings {
		rest, found := strings.CutPrefix(title, w)
		if !found {
			continue
		}
		if isLetterWord(w) {
			// "Art" must not open "Artikel..." unless listed: the word ends here.
			if r, _ := utf8.DecodeRuneInString(rest); unicode.IsLetter(r) {
				continue
			}
		}
		rest = strings.TrimPrefix(rest, ".")
		t := strings.TrimLeft(rest, " \u00a0\t")
		if len(t) == len(rest) && isLetterWord(w) {
			continue // "Art12" is no heading number; "§12" is
		}
		j := 0
		for j < len(t) && (isDigit(t[j]) || (j > 0 && (t[j] >= 'a' && t[j] <= 'z' || t[j] == '-' || t[j] == '.' && j+1 < len(t) && isDigit(t[j+1])))) {
			j++
		}
		if j == 0 || !isDigit(t[0]) {
			continue
		}
		if j < len(t) {
			if r, _ := utf8.DecodeRuneInString(t[j:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue
			}
		}
		return normWord(w), strings.TrimRight(t[:j], "-."), true
	}
	return "", "", false
}

func isLetterWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLetter(r)
}

// normWord is the word as ids and citations write it: "Artikel" and "Art" are "Art".
func normWord(w string) string {
	switch w {
	case "Artikel", "Article":
		return "Art"
	case "Sec":
		return "Section"
	}
	return w
}

// titleNumber reads the "A." or "12." that opens a heading's title.
func titleNumber(title string) (string, bool) {
	j := 0
	for j < len(title) && j < 3 && isDigit(title[j]) {
		j++
	}
	if j == 0 && len(title) > 0 && isUpper(title[0]) {
		j = 1
	}
	if j == 0 || j+1 >= len(title) || title[j] != '.' || title[j+1] != ' ' {
		return "", false
	}
	return title[:j], true
}

// headingCite and headingID form a numbered heading's citation ("§ 14a") and id ("§14a").
func headingCite(word, num string) string { return word + " " + num }

// joinID concatenates id parts, with a dash where two would otherwise run together as one
// number ("§2" and "1." give "§2-1.", "§2(1)" and "1." give "§2(1)1.").
func joinID(a, b string) string {
	if a == "" {
		return b
	}
	x, _ := utf8.DecodeLastRuneInString(a)
	y, _ := utf8.DecodeRuneInString(b)
	if (unicode.IsLetter(x) || unicode.IsDigit(x)) && (unicode.IsLetter(y) || unicode.IsDigit(y)) {
		return a + "-" + b
	}
	return a + b
}

// idOf is a citation without its spaces: "§ 14a (2) 3." -> "§14a(2)3.".
func idOf(cite string) string {
	f := strings.Fields(cite)
	out := ""
	for _, p := range f {
		out = joinID(out, p)
	}
	return out
}

// sectionHeadingID is the stable id of a heading numbered by a word of its own ("Teil 1",
// "Abschnitt 2", "Part 3", "Chapter IV"): that word and number, after those of the headings
// above it, so that it does not change when the title does.
func sectionHeadingID(title string) (string, bool) {
	w, rest, ok := strings.Cut(strings.TrimSpace(title), " ")
	if !ok {
		return "", false
	}
	w = strings.TrimSuffix(w, ".")
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return "", false
		}
	}
	if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
		return "", false
	}
	rest = strings.TrimSpace(rest)
	j := 0
	for j < len(rest) && (isDigit(rest[j]) || j > 0 && rest[j] >= 'a' && rest[j] <= 'z' && j < 4) {
		j++
	}
	if j == 0 {
		for j < len(rest) && strings.IndexByte("IVXLC", rest[j]) >= 0 {
			j++
		}
		if j == 0 {
			return "", false
		}
	}
	if j < len(rest) {
		if r, _ := utf8.DecodeRuneInString(rest[j:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return "", false
		}
	}
	return Slug(w) + "-" + strings.ToLower(rest[:j]), true
}

// ---- labels ------------------------------------------------------------------------------

// label is one label at the start of a paragraph, with what its style needs to place it.
type label struct {
	text string // as written: "(2)", "4c."
	ord  int    // its position in its sequence: (b) 2, (ii) 2, 4c. 4
	sub  bool   // an inserted label ("(1A)", "4c.", "(c-1)"): after ord, before ord+1
	// run counts the enumerations of this level under the same unit: a statute's paragraph
	// may hold two numbered lists ("1. 2. 3.", a sentence, "1. 2."); the second is run 2.
	run int
}

// cite is the label as a citation writes it: "1.", or "1.~2" in a second enumeration.
func (l *label) cite() string {
	if l.run > 1 {
		return l.text + "~" + strconv.Itoa(l.run)
	}
	return l.text
}

// matchStyle reads a label of style st at the start of s (the label only; what follows is
// checked by the caller).
func matchStyle(st LabelStyle, s string) (label, bool) {
	paren := strings.HasPrefix(string(st), "(")
	body := s
	if paren {
		if !strings.HasPrefix(s, "(") {
			return label{}, false
		}
		end := strings.IndexByte(s, ')')
		if end < 2 || end > 8 {
			return label{}, false
		}
		body = s[1:end]
		l, ok := styleBody(st, body)
		l.text = s[:end+1]
		return l, ok
	}
	term := st[len(st)-1] // '.' or ')'
	end := strings.IndexByte(s, term)
	if end < 1 || end > 6 {
		return label{}, false
	}
	l, ok := styleBody(st, s[:end])
	l.text = s[:end+1]
	return l, ok
}

// styleBody reads the inside of a label ("2", "1A", "iv", "aa") as style st.
func styleBody(st LabelStyle, b string) (label, bool) {
	switch st {
	case LabelParenDigit, LabelDotDigit, LabelDigitParen:
		j := 0
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if j == 0 || j > 4 {
			return label{}, false
		}
		n, _ := strconv.Atoi(b[:j])
		rest := b[j:]
		if rest == "" {
			return label{ord: n}, true
		}
		// 1a, 1A, 1-1: an inserted unit.
		if len(rest) <= 3 && (allIn(rest, 'a', 'z') || allIn(rest, 'A', 'Z') || rest[0] == '-' && len(rest) > 1 && allIn(rest[1:], '0', '9')) {
			if st == LabelDotDigit && !allIn(rest, 'a', 'z') {
				return label{}, false
			}
			return label{ord: n, sub: true}, true
		}
		return label{}, false
	case LabelParenLower, LabelParenUpper:
		lo, hi := byte('a'), byte('z')
		if st == LabelParenUpper {
			lo, hi = 'A', 'Z'
		}
		main, ins, _ := strings.Cut(b, "-")
		if main == "" || len(main) > 3 || !allIn(main, lo, hi) || strings.Count(main, main[:1]) != len(main) {
			return label{}, false
		}
		if strings.Contains(b, "-") && (ins == "" || !allIn(ins, '0', '9')) {
			return label{}, false
		}
		// a..z, then aa..zz, aaa..zzz.
		return label{ord: int(main[0]-lo) + 1 + 26*(len(main)-1), sub: ins != ""}, true
	case LabelParenRoman, LabelDotRoman:
		n := roman(b, false)
		return label{ord: n}, n > 0
	case LabelParenURom:
		n := roman(b, true)
		return label{ord: n}, n > 0
	case LabelLowerParen, LabelDotLower:
		if len(b) != 1 || b[0] < 'a' || b[0] > 'z' {
			return label{}, false
		}
		return label{ord: int(b[0]-'a') + 1}, true
	case LabelDoubleLow:
		if len(b) != 2 || b[0] != b[1] || b[0] < 'a' || b[0] > 'z' {
			return label{}, false
		}
		return label{ord: int(b[0]-'a') + 1}, true
	}
	return label{}, false
}

func allIn(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return s != ""
}

// roman is the value of a Roman numeral written in one case (0 if it is none, or not in its
// canonical form).
func roman(s string, upper bool) int {
	if s == "" || len(s) > 8 {
		return 0
	}
	val := map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50, 'c': 100}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if upper {
			if c < 'A' || c > 'Z' {
				return 0
			}
			c += 'a' - 'A'
		}
		v, ok := val[c]
		if !ok {
			return 0
		}
		next := 0
		if i+1 < len(s) {
			d := s[i+1]
			if upper {
				d += 'a' - 'A'
			}
			next = val[d]
		}
		if v < next {
			n -= v
		} else {
			n += v
		}
	}
	if toRoman(n) != strings.ToLower(s) {
		return 0
	}
	return n
}

func toRoman(n int) string {
	if n <= 0 || n >= 400 {
		return ""
	}
	vals := []int{100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// leadLabels reads the labels that open a paragraph's text: a chain of parenthesised labels
// ("(2)(A)") or one label of another style ("4c.", "a)"), followed by a space or the end.
// Each label is returned with the styles it can be (its candidates).
func (s *Scheme) leadLabels(text string) ([]string, [][]cand) {
	var texts []string
	var cands [][]cand
	rest := text
	for rest != "" {
		var cs []cand
		var lt string
		for lvl, st := range s.Labels {
			l, ok := matchStyle(st, rest)
			if !ok {
				continue
			}
			if lt != "" && l.text != lt {
				continue // styles disagree on the label's extent: keep the first reading
			}
			lt = l.text
			cs = append(cs, cand{level: lvl + 1, l: l})
		}
		if len(cs) == 0 {
			break
		}
		after := rest[len(lt):]
		chainable := strings.HasPrefix(lt, "(") && strings.HasPrefix(after, "(")
		if !chainable && after != "" && !startsSpace(after) {
			break
		}
		texts, cands = append(texts, lt), append(cands, cs)
		rest = after
		if !chainable {
			break
		}
	}
	if len(texts) > 0 && rest != "" && !startsSpace(rest) {
		// "(2)(A)text" or "(a)bc": the chain must end in a space.
		return nil, nil
	}
	return texts, cands
}

func startsSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

type cand struct {
	level int
	l     label
}

// resolve places a label among the open units (stack[k] is the label open at level k+1,
// nil when none), given the level below which it must lie (after a chain's previous label),
// and returns its level, or 0 when it fits nowhere.
func resolve(stack []*label, cs []cand, min int) int {
	depth := len(stack)
	ok := func(c cand) bool { return c.level > min }
	// 1. the next label of a sequence that is open: "(b)" after "(a)".
	for _, c := range cs {
		if ok(c) && c.level <= depth && stack[c.level-1] != nil && c.level > min {
			cur := stack[c.level-1]
			if c.l.ord == cur.ord+1 && !c.l.sub || c.l.sub && c.l.ord == cur.ord {
				return c.level
			}
		}
	}
	// 2. the first label of the next level: "(1)" under "(a)".
	for _, c := range cs {
		if ok(c) && c.level == depth+1 && c.l.ord == 1 && !c.l.sub {
			return c.level
		}
	}
	// 3. a later label of an open sequence (an insertion: "(1A)" after "(1)"; a short gap: a
	// unit repealed and left out). A long gap is more likely a new level: "i." under "b.".
	for _, c := range cs {
		if ok(c) && c.level <= depth && stack[c.level-1] != nil && c.l.ord > stack[c.level-1].ord &&
			(c.l.sub || c.l.ord <= stack[c.level-1].ord+3) {
			return c.level
		}
	}
	// 4. a first label deeper down, the levels in between left out ("1." directly under a
	// "§ 2" that has no "(1)").
	for _, c := range cs {
		if ok(c) && c.level > depth && c.l.ord == 1 && !c.l.sub {
			return c.level
		}
	}
	// 5. a sequence that starts late (text quoted from elsewhere, a unit repealed).
	for _, c := range cs {
		if ok(c) && c.level <= depth+1 {
			return c.level
		}
	}
	return 0
}

// SchemeScore is how many clauses and units a built-in scheme finds in a text.
type SchemeScore struct {
	Name           string
	Clauses, Units int
}

// DetectScheme parses src with each built-in scheme and returns the one that finds the most
// clauses (the SEC's on a tie, then the order of SchemeNames), with every scheme's score in
// that order.
func DetectScheme(src []byte) (*Scheme, []SchemeScore) {
	var best *Scheme
	var scores []SchemeScore
	bestN := -1
	for _, name := range builtinNames {
		s, _ := BuiltinScheme(name)
		d := ParseScheme(src, s)
		sc := SchemeScore{Name: name}
		for _, n := range d.Nodes {
			if n.Kind == KindClause {
				sc.Clauses++
				sc.Units += len(n.Units) + len(n.SubIDs)*btoi(s.IsSEC())
			}
		}
		scores = append(scores, sc)
		if sc.Clauses > bestN {
			best, bestN = s, sc.Clauses
		}
	}
	return best, scores
}

// PickScheme returns the scheme DetectScheme picks for src, and src parsed with it, without
// parsing src with every scheme when it need not: a scheme other than the SEC's opens each
// clause at a top-level heading or paragraph, so when those are no more than the clauses the
// SEC's reading finds, no other scheme finds more (and the SEC's wins a tie).
func PickScheme(src []byte) (*Scheme, *Doc) { return PickSchemeWith(src, ParseOptions{}) }

// PickSchemeWith is PickScheme, its parses leaving out what o says.
func PickSchemeWith(src []byte, o ParseOptions) (*Scheme, *Doc) {
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	sec := SEC()
	// One syntax tree gives both the bound (read before the SEC's parse marks it) and the
	// SEC's document.
	root, fast := fastTree(src)
	if !fast {
		root = newMarkdown().Parser().Parse(text.NewReader(src))
	}
	bound := maxOtherClauses(src, root)
	best, bestDoc := sec, parseTree(src, sec, root, !fast, o)
	if fast {
		bestDoc.Compact()
	}
	bestN := clauseCount(bestDoc)
	if bound <= bestN {
		return best, bestDoc
	}
	for _, name := range builtinNames[1:] {
		s, _ := BuiltinScheme(name)
		d := ParseSchemeWith(src, s, o)
		if n := clauseCount(d); n > bestN {
			best, bestDoc, bestN = s, d, n
		}
	}
	return best, bestDoc
}

func clauseCount(d *Doc) int {
	n := 0
	for _, x := range d.Nodes {
		if x.Kind == KindClause {
			n++
		}
	}
	return n
}

// maxOtherClauses bounds the clauses a scheme other than the SEC's can find in src: its
// top-level headings, its paragraphs that open with text, and those that open with a bold
// section number (the only blocks schemeHeading and schemeClauseStart open a clause at).
// root is src's syntax tree, as goldmark (or fastTree) gives it.
func maxOtherClauses(src []byte, root ast.Node) int {
	n := 0
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			n++
		case *ast.Paragraph:
			if _, ok := c.FirstChild().(*ast.Text); ok {
				n++
			} else if _, _, ok := dashNumber(c, src); ok {
				n++
			}
		}
	}
	return n
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

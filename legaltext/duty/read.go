package duty

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

var (
	// modalRE specifies the words that state a duty or a right (longer forms first);
	// findModals implements it by hand, and the tests check that they agree.
	modalRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\b(shall not|shall|must not|must|may not|may|(?:is|are) not entitled to|(?:is|are) entitled to|(?:is|are) required to|(?:is|are) obliged to|(?:is|are) (?:hereby )?authorised)\b`)
	})
	// deadlineREs find a time limit in the words of a duty, in order of preference.
	deadlineREs = sync.OnceValue(func() []*regexp.Regexp {
		return []*regexp.Regexp{
			regexp.MustCompile(`(?i)\bwithin [^,;.()]*?\b(?:Working Days?|days?|weeks?|months?|years?|hours?)\b(?: (?:after|of|from|following|before|beginning)\b[^,;.]*)?`),
			regexp.MustCompile(`(?i)\b(?:no|not) (?:later|earlier) than\b[^,;.]*`),
			regexp.MustCompile(`(?i)\b(?:at least|not less than) [^,;.()]*?\b(?:Working Days?|days?|weeks?|months?)\b (?:before|prior to|in advance of)\b[^,;.]*`),
			regexp.MustCompile(`(?i)\bby (?:the end of |no later than )?(?:\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December)|the (?:[A-Z][\w-]* )*(?:Date|date|day|deadline)\b)[^,;.]*`),
			regexp.MustCompile(`(?i)\bbefore the (?:[A-Z][\w-]* )*(?:Date|date|day)\b[^,;.]*`),
			regexp.MustCompile(`(?i)\b(?:as soon as (?:reasonably )?practicable|promptly|without (?:undue )?delay|forthwith)\b`),
		}
	})
	// conditionRE opens a condition at the start of a sentence or inside the words of a duty.
	conditionStartRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?i:where|if|unless|when|whenever|once|in the event|subject to|provided that|save where|except where|to the extent)\b`)
	})
	conditionInRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:,\s*|\s)(unless|if|where|provided that|save where|except where|to the extent that)\s[^;]*`)
	})
)

// nonAction are the verbs after "shall" that state a position, not an action.
var nonAction = map[string]bool{"be": true, "become": true, "have": true, "remain": true, "cease": true,
	"take": true, "mean": true, "constitute": true, "prevail": true, "terminate": true, "lapse": true, "expire": true,
	"survive": true, "consist": true, "comprise": true}

// determiners open a subject.
var determiners = map[string]bool{"the": true, "each": true, "a": true, "an": true, "any": true, "no": true,
	"every": true, "all": true, "neither": true, "either": true, "such": true, "that": true, "both": true}

// adverbials open a phrase of time or manner before the subject ("At the end of the
// Refinement Process the Working Group shall").
var adverbials = map[string]bool{"at": true, "on": true, "in": true, "after": true, "before": true, "following": true,
	"during": true, "upon": true, "for": true, "within": true, "having": true, "from": true, "until": true}

// subordinators open a clause inside a would-be subject: a subject has none of them.
var subordinators = map[string]bool{"if": true, "where": true, "unless": true, "when": true, "because": true,
	"whether": true, "once": true}

// listRE splits a list of subjects.
var listRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\s*,\s*(?:and |or )?|\s+(?:and|or|nor)\s+`) })

// pronouns stand for the last bearer.
var pronouns = map[string]bool{"it": true, "they": true, "he or she": true, "each of them": true}

// thingWords end the names of things, not actors ("This Appendix", "the Modification Report").
var thingWords = map[string]bool{"Section": true, "Appendix": true, "Schedule": true, "Code": true, "Agreement": true,
	"Framework": true, "Clause": true, "Part": true, "Procedure": true, "Policy": true, "Report": true, "Register": true,
	"Proposal": true, "Modification": true, "Request": true, "Document": true, "Guidance": true, "Licence": true,
	"Process": true, "Assessment": true, "Release": true, "Table": true, "Interpretation": true,
	"Tests": true, "Majeure": true, "Data": true, "Systems": true, "System": true, "Service": true, "Services": true,
	"Website": true, "Gateway": true, "Specification": true, "Plan": true, "Notice": true, "Date": true, "Period": true,
	"January": true, "February": true, "March": true, "April": true, "June": true, "July": true, "August": true,
	"September": true, "October": true, "November": true, "December": true, "Requirements": true, "Certificate": true,
	"Certificates": true, "Objectives": true, "Matters": true, "Charges": true, "Statement": true, "Role": true}

// Read returns the duties stated by a clause with the given id and plain text (see Segments).
func (r *Reader) Read(id, text string, subIDs []string) []Duty {
	var out []Duty
	st := &state{}
	for i, seg := range Segments(id, text, subIDs) {
		out = append(out, r.segment(seg, st, i == 0)...)
	}
	return out
}

// state carries what a clause has said so far to the next sentence or sub-paragraph.
type state struct {
	last     []string // the bearers of the last duty
	tail     string   // the last words of the previous segment
	leadText string   // the clause's opening words
	lead     []string // the first actor named in them, found when first needed
	leadSet  bool
}

// leadActor is the first actor named in the clause's opening words.
func (st *state) leadActor(r *Reader) []string {
	if !st.leadSet {
		st.leadSet = true
		st.lead = r.firstActor(st.leadText)
	}
	return st.lead
}

func (r *Reader) segment(seg Segment, st *state, first bool) []Duty {
	var out []Duty
	text := seg.Text
	tail := st.tail
	st.tail = lastWords(text)
	lt := strings.ToLower(text)
	if !first && (strings.HasPrefix(lt, "that ") || strings.HasPrefix(lt, "of ")) {
		// "(c) that the Energy Consumer may withdraw its consent": what the lead-in reports,
		// not a duty of its own.
		return nil
	}
	if first {
		st.leadText = text
	}
	for _, sent := range sentences(text) {
		ms := r.modals(sent)
		var prev []string
		for k, m := range ms {
			if !m.coord {
				prev = nil
			}
			var bearers []string
			neg := false
			switch {
			case m.coord:
				switch {
				case k > 0:
					bearers = prev // nil when the earlier verb had no actor for subject
				case strings.TrimSpace(m.left) != "":
					// "The acceding party warrants ..., and shall notify": the subject that
					// opens the sentence, if it is an actor's name.
					if r.opensSubject(sent) {
						bearers, _, _ = r.bearers(sent[:m.start])
					}
				case relativeTail(tail):
					// "(ii) may affect ..." after "any incident that:": a thing's verb.
				case st.last != nil:
					bearers = st.last
				default:
					bearers = st.leadActor(r)
				}
			case !m.ok:
				continue
			default:
				b, isPronoun, negSubj := r.bearers(m.subj)
				neg = negSubj
				if isPronoun {
					b = st.last
					if b == nil {
						b = st.leadActor(r)
					}
				}
				bearers = b
			}
			if len(bearers) == 0 {
				continue
			}
			// The duty's words run to where the next duty's subject (or joining word) starts.
			next := len(sent)
			if k+1 < len(ms) {
				next = ms[k+1].cut
			}
			rest := sent[m.end:next]
			if i := strings.IndexByte(rest, ';'); i >= 0 {
				rest = rest[:i]
			}
			// The verb and the words after it decide the kind: a few words are enough, and
			// reading the rest of a long sentence at every verb would make it quadratic.
			kind, verbOK := kindOf(sent[m.start:m.end], rest[:min(len(rest), 160)], neg)
			if !verbOK {
				continue
			}
			if kind == Condition && !m.coord && isPronounSubj(m.subj) {
				continue // "it may be referred": a thing, most likely
			}
			action := strings.TrimSpace(strings.TrimPrefix(trimJoin(rest), ","))
			d := Duty{Clause: seg.ID, Bearers: bearers, Subject: strings.TrimSpace(m.subj), Kind: kind,
				Action: clip(action, 300), Condition: clip(m.cond, 200)}
			if d.Condition == "" {
				if c := conditionIn(action); c != nil && !strings.HasSuffix(strings.TrimSpace(action[:c[2]]), " as") {
					d.Condition = clip(strings.TrimSpace(action[c[2]:c[1]]), 200)
				}
			}
			d.Deadline = deadline(action)
			if d.Deadline == "" && m.cond != "" {
				d.Deadline = deadline(m.cond)
			}
			out = append(out, d)
			prev = bearers
			st.last = bearers
		}
	}
	return out
}

// modal is a modal verb of a sentence and what the words before it say.
type modal struct {
	start, end int    // the verb in the sentence
	left       string // the words since the sentence, or the previous verb, began
	subj, cond string
	coord, ok  bool
	// cut is where the words that belong to this verb begin: its subject, or the word that
	// joins it to the previous verb ("and shall").
	cut int
}

// modals finds the modal verbs of a sentence and reads the subject of each.
func (r *Reader) modals(sent string) []modal {
	var out []modal
	prevEnd := -1
	for _, loc := range findModals(sent) {
		start, end := loc[0], loc[1]
		if skipModal(sent, start) {
			continue
		}
		from, fromStart := 0, true
		if prevEnd >= 0 {
			from, fromStart = prevEnd, false
		}
		// A semicolon or colon ends what the left context can say.
		if i := strings.LastIndexAny(sent[from:start], ";:"); i >= 0 {
			from, fromStart = from+i+1, true
		}
		prevEnd = end
		m := modal{start: start, end: end, left: sent[from:start], cut: start}
		m.subj, m.cond, m.coord, m.ok = r.subject(m.left, fromStart)
		switch {
		case m.coord:
			if i := lastJoin(m.left); i >= 0 {
				m.cut = from + i
			}
		case m.ok && m.subj != "":
			if i := strings.LastIndex(m.left, m.subj); i >= 0 {
				m.cut = from + i
			}
		}
		out = append(out, m)
	}
	return out
}

// joins are the words that join one duty to the next in a sentence.
var joinWords = []string{", and ", " and ", ", or ", " or ", ", but ", " but ", ", in which case ", " in which case ",
	", save that ", " save that ", ", provided that ", " provided that ", ", whereupon "}

// lastJoin returns where the joining word that ends s begins ("..., and "), or -1. The
// forms with a comma come first in joinWords, so the longer one wins.
func lastJoin(s string) int {
	t := strings.TrimRight(s, " ")
	for _, j := range joinWords {
		if j = strings.TrimRight(j, " "); strings.HasSuffix(t, j) {
			return len(t) - len(j)
		}
	}
	return -1
}

// trimJoin drops the joining words at the end of a duty's words ("..., and").
func trimJoin(s string) string {
	t := strings.TrimRight(s, " ,")
	for {
		i := lastJoin(t)
		if i < 0 {
			return t
		}
		t = strings.TrimRight(t[:i], " ,")
	}
}

// conditionIn is conditionInRE().FindStringSubmatchIndex(s), run only on text that has one of
// the words that open a condition.
func conditionIn(s string) []int {
	if !strings.Contains(s, "unless") && !strings.Contains(s, "if ") && !strings.Contains(s, "where") &&
		!strings.Contains(s, "provided that") && !strings.Contains(s, "to the extent") {
		return nil
	}
	return conditionInRE().FindStringSubmatchIndex(s)
}

// skipModal leaves out "as the case may be" and "may" in other set phrases.
func skipModal(s string, at int) bool {
	before := strings.ToLower(s[max(0, at-20):at])
	return strings.HasSuffix(before, "case ") || strings.HasSuffix(before, "as ") && strings.HasPrefix(s[at:], "may")
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut], ' '); i > n/2 {
		cut = i
	}
	return s[:cut] + " …"
}

// sentences splits text at a full stop, question or exclamation mark followed by a space
// and a capital letter.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(text); i++ {
		c := text[i]
		if (c == '.' || c == '?' || c == '!') && text[i+1] == ' ' && isUpperByte(text[i+2]) {
			out = append(out, text[start:i+1])
			start = i + 2
		}
	}
	return append(out, text[start:])
}

func isUpperByte(c byte) bool { return c >= 'A' && c <= 'Z' }

// boundary is a place where a new subject may start in the words before a modal verb.
type boundary struct {
	at   int  // where the subject would start
	bare bool // after "and", "or" or "nor" with no comma before
}

// subject finds the subject of a modal verb in left, the words since the sentence began (or
// since the previous modal verb). It returns the subject, any condition before it, and
// coord=true when the verb shares the subject of the previous one ("shall notify ..., and
// shall specify").
func (r *Reader) subject(left string, fromStart bool) (subj, cond string, coord, ok bool) {
	t := strings.TrimRight(left, " ")
	tl := strings.ToLower(strings.TrimSpace(t))
	switch {
	case tl == "" || tl == "and" || tl == "or" || tl == "but":
		// "(a) shall ...", or "shall notify ... and shall specify": the subject goes on.
		return "", "", true, true
	case strings.HasSuffix(tl, ", and") || strings.HasSuffix(tl, ", or") || strings.HasSuffix(tl, ", but"):
		return "", "", true, true
	case !fromStart && (strings.HasSuffix(tl, " and") || strings.HasSuffix(tl, " or")):
		return "", "", true, true
	}
	bs := boundaries(t)
	// The last boundary after which an actor's name opens wins; a bare "and" or "or" with no
	// comma counts only when it joins two subjects or follows an earlier verb.
	for i := len(bs) - 1; i >= 0; i-- {
		b := bs[i]
		rest := strings.TrimSpace(t[b.at:])
		if !r.opensSubject(rest) || i > 0 && !r.determined(rest) || endsRelative(rest) || hasSubordinator(rest) {
			continue
		}
		// "such information as the Panel may request": a measure of the duty, not a right.
		if before := words(t[:b.at]); len(before) > 0 && strings.ToLower(before[len(before)-1]) == "as" && strings.Contains(strings.ToLower(t), "such") {
			return "", "", false, false
		}
		// "The Panel, the Change Board, each Sub-Committee and the Code Administrator shall":
		// take in the names listed before this one.
		if j := r.listStart(t, bs, i); j < b.at {
			return strings.TrimSpace(t[j:]), condBefore(t, j), false, true
		}
		if b.bare && fromStart && i > 0 {
			// "Each User and the DCC shall": join the subjects when the words before are a subject.
			prevStart := 0
			for j := i - 1; j >= 0; j-- {
				if !bs[j].bare {
					prevStart = bs[j].at
					break
				}
			}
			before := strings.TrimSpace(t[prevStart:b.at])
			before = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(before, "and"), "or"), "nor")
			if r.isActorNP(strings.TrimSpace(before)) {
				return strings.TrimSpace(t[prevStart:]), condBefore(t, prevStart), false, true
			}
			continue
		}
		return rest, condBefore(t, b.at), false, true
	}
	// "At the end of the process the Working Group shall": a determiner and a name just
	// before the verb.
	if ws := words(t); len(ws) >= 2 && fromStart && adverbials[strings.ToLower(ws[0])] {
		for n := min(r.maxLen, len(ws)-1); n >= 1; n-- {
			name := strings.Join(ws[len(ws)-n:], " ")
			if _, ok := r.actors[name]; ok && determiners[strings.ToLower(ws[len(ws)-n-1])] {
				return strings.Join(ws[len(ws)-n-1:], " "), "", false, true
			}
		}
	}
	// "one Panel Member, who shall be entitled": the name before ", who".
	if i := strings.LastIndex(t, ", who"); i >= 0 && !strings.Contains(t[i+5:], ",") {
		ws := words(t[:i])
		for n := min(r.maxLen, len(ws)); n >= 1; n-- {
			name := strings.Join(ws[len(ws)-n:], " ")
			if bs, ok := r.actors[name]; ok && len(bs) > 0 {
				return name, "", false, true
			}
		}
	}
	// "in which case it shall": a pronoun just before the verb.
	if ws := words(t); len(ws) > 0 && pronouns[strings.ToLower(ws[len(ws)-1])] {
		return ws[len(ws)-1], "", false, true
	}
	return "", "", false, false
}

// lastWords returns the last few words of s, lower case.
func lastWords(s string) string {
	ws := words(s)
	return strings.ToLower(strings.Join(ws[max(0, len(ws)-2):], " "))
}

// relativeTail reports whether a lead-in ends in a relative pronoun ("any incident that:").
func relativeTail(tail string) bool {
	ws := strings.Fields(tail)
	if len(ws) == 0 {
		return false
	}
	switch ws[len(ws)-1] {
	case "that", "which", "who", "whose":
		return true
	}
	return false
}

// listStart returns where a list of names that ends with the subject at boundary i starts:
// bs[i].at when the words before are not names.
func (r *Reader) listStart(t string, bs []boundary, i int) int {
	at := bs[i].at
	for j := i - 1; j >= 0; j-- {
		seg := strings.TrimSpace(t[bs[j].at:at])
		seg = strings.TrimSpace(strings.TrimSuffix(seg, ","))
		for _, c := range []string{" and", " or", " nor"} {
			seg = strings.TrimSuffix(seg, c)
		}
		seg = strings.TrimSpace(strings.TrimSuffix(seg, ","))
		if !r.isActorNP(seg) {
			break
		}
		at = bs[j].at
	}
	return at
}

func hasSubordinator(s string) bool {
	for _, w := range words(s)[1:] {
		if subordinators[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

func endsRelative(s string) bool {
	ws := words(s)
	if len(ws) == 0 {
		return false
	}
	switch strings.ToLower(ws[len(ws)-1]) {
	case "which", "who", "that", "whom", "whose":
		return true
	}
	return false
}

// determined reports whether s opens with a determiner or a pronoun: inside a sentence, a bare
// name after a comma is more often one of a list ("Import Supplier, Export Supplier or Gas
// Supplier") than a new subject.
func (r *Reader) determined(s string) bool {
	ws := words(s)
	if len(ws) == 0 {
		return false
	}
	l := strings.ToLower(ws[0])
	return determiners[l] || pronouns[l] || len(ws) >= 3 && pronouns[strings.ToLower(strings.Join(ws[:3], " "))]
}

func isPronounSubj(s string) bool {
	ws := words(s)
	return len(ws) > 0 && pronouns[strings.ToLower(ws[0])]
}

// condBefore is the condition that opens the sentence before the subject at at, if any.
func condBefore(t string, at int) string {
	c := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t[:at]), ","))
	if conditionStartRE().MatchString(c) {
		return c
	}
	return ""
}

// boundaries returns the places in s where a subject may start: its beginning, after a comma,
// after "and", "or", "nor", "that" and "save that", outside parentheses.
func boundaries(s string) []boundary {
	out := []boundary{{at: 0}}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
			if depth == 0 {
				out = append(out, boundary{at: i + 1})
			}
		case ',':
			if depth == 0 {
				out = append(out, boundary{at: i + 1})
			}
		case ' ':
			if depth != 0 {
				continue
			}
			for _, w := range []string{"and ", "or ", "nor ", "that ", "but "} {
				if strings.HasPrefix(s[i+1:], w) {
					prevComma := strings.HasSuffix(strings.TrimRight(s[:i], " "), ",")
					out = append(out, boundary{at: i + 1 + len(w), bare: !prevComma && w != "that "})
				}
			}
		}
	}
	return out
}

// words splits s into words, keeping hyphens and apostrophes inside them.
func words(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool {
		return !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '-' || c == '\'' || c == '’')
	})
}

// opensSubject reports whether s starts like the subject of a sentence: a pronoun, a
// determiner followed by a name, or a name.
func (r *Reader) opensSubject(s string) bool {
	ws := words(s)
	if len(ws) == 0 {
		return false
	}
	lw := strings.ToLower(ws[0])
	if pronouns[lw] || len(ws) >= 3 && pronouns[strings.ToLower(strings.Join(ws[:3], " "))] {
		return len(ws) <= 3
	}
	i := 0
	if determiners[lw] {
		i = 1
		if lw == "that" && len(ws) > 1 && !isCap(ws[1]) {
			return false
		}
	}
	if i < len(ws) && (lw == "each" || lw == "any" || lw == "no") && strings.ToLower(ws[i]) == "other" {
		i++
	}
	if i == 0 {
		// No determiner: the words must start with a name we know ("Users may").
		ms := r.mentions(ws[:min(len(ws), r.maxLen)])
		return len(ms) > 0 && ms[0].start == 0 && !ms[0].thing
	}
	return i < len(ws) && isCap(ws[i])
}

func isCap(w string) bool {
	c, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(c)
}

// isActorNP reports whether s is nothing but an actor's name with a determiner.
func (r *Reader) isActorNP(s string) bool {
	ws := words(s)
	if len(ws) > 0 && determiners[strings.ToLower(ws[0])] {
		ws = ws[1:]
	}
	if len(ws) > 0 && strings.ToLower(ws[0]) == "other" {
		ws = ws[1:]
	}
	if len(ws) == 0 {
		return false
	}
	name := strings.Join(ws, " ")
	_, ok := r.actors[name]
	return ok
}

// mention is an actor or thing named in a text.
type mention struct {
	start   int // word index
	n       int // words
	bearers []string
	thing   bool
}

// mentions finds the names in a list of words, longest first.
func (r *Reader) mentions(ws []string) []mention {
	var out []mention
	for i := 0; i < len(ws); {
		found := false
		for n := min(r.first[ws[i]], len(ws)-i); n >= 1; n-- {
			name := strings.Join(ws[i:i+n], " ")
			if bs, ok := r.actors[name]; ok {
				out = append(out, mention{start: i, n: n, bearers: bs})
				i += n
				found = true
				break
			}
			if r.things[name] {
				out = append(out, mention{start: i, n: n, thing: true})
				i += n
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
	return out
}

// firstActor is the first actor named in text.
func (r *Reader) firstActor(text string) []string {
	for _, m := range r.mentions(words(text)) {
		if !m.thing {
			return m.bearers
		}
	}
	return nil
}

// bearers reads a subject: the actors it names before any relative clause. isPronoun is true
// for "it" and the like; neg for "No Party" and "Neither ... nor".
func (r *Reader) bearers(subj string) (out []string, isPronoun, neg bool) {
	ws := words(subj)
	if len(ws) == 0 {
		return nil, false, false
	}
	lw := strings.ToLower(ws[0])
	if pronouns[lw] || len(ws) >= 3 && pronouns[strings.ToLower(strings.Join(ws[:3], " "))] {
		return nil, true, false
	}
	neg = lw == "no" || lw == "neither"
	// "A Party that is a Supplier Party": the later name is the narrower one.
	head := ws
	narrow := -1
	for i := 0; i+2 < len(ws); i++ {
		l := strings.ToLower(ws[i])
		if (l == "that" || l == "which" || l == "who") && strings.ToLower(ws[i+1]) == "is" {
			narrow = i + 2
			break
		}
	}
	cut := len(ws)
	for i, w := range ws {
		l := strings.ToLower(w)
		if i > 0 && (l == "that" || l == "which" || l == "who" || l == "whose" || l == "whom") {
			cut = i
			break
		}
	}
	head = ws[:cut]
	if i := strings.IndexAny(subj, "(,"); i >= 0 {
		if c := len(words(subj[:i])); c < len(head) {
			head = ws[:c]
		}
	}
	var roles []string
	// "in the User Role of Import Supplier", "acting as a Registered Supplier Agent".
	for _, m := range r.mentions(ws) {
		if m.thing || len(m.bearers) == 0 {
			continue
		}
		if m.start > 0 && (isRoleCue(ws, m.start)) {
			roles = append(roles, m.bearers...)
		}
	}
	var b []string
	// "The Panel, the Change Board, each Sub-Committee and the Code Administrator".
	if list := listRE().Split(strings.TrimSpace(subj), -1); len(list) > 1 {
		all := true
		for _, item := range list {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			if !r.isActorNP(item) {
				all = false
				break
			}
		}
		if all {
			for _, item := range list {
				for _, m := range r.mentions(words(item)) {
					if !m.thing {
						b = append(b, m.bearers...)
					}
				}
			}
			return dedupe(b), false, neg
		}
	}
	thingHead := false
	pick := func(ws []string) {
		for _, m := range r.mentions(ws) {
			if m.start > 2 && !joins(ws, m.start) {
				break // a later name is an object ("the DCC in respect of a Party")
			}
			if m.thing {
				if m.start == 0 || m.start == 1 {
					thingHead = true
					return
				}
				continue
			}
			b = append(b, m.bearers...)
		}
	}
	if narrow >= 0 {
		nws := ws[narrow:]
		if len(nws) > 0 && determiners[strings.ToLower(nws[0])] {
			pick(nws)
		}
	}
	if len(b) == 0 {
		pick(head)
	}
	if len(roles) > 0 && (len(b) == 0 || allGeneric(b)) {
		b = roles
	}
	if len(b) == 0 && !thingHead {
		// An actor the vocabulary does not know: a capitalised name after a determiner that
		// is not the name of a thing ("The Independent Privacy Auditor").
		b = r.unknownActor(head)
	}
	return dedupe(b), false, neg
}

// joins reports whether the name at word i is joined to the subject by "and", "or", "nor" or
// a comma list ("Each User and the DCC"), rather than being an object.
func joins(ws []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		switch strings.ToLower(ws[j]) {
		case "and", "or", "nor":
			return true
		}
	}
	return false
}

func isRoleCue(ws []string, i int) bool {
	win := strings.ToLower(strings.Join(ws[max(0, i-4):i], " "))
	return strings.HasSuffix(win, "role of") || strings.HasSuffix(win, "acting as") || strings.HasSuffix(win, "acting as a") ||
		strings.HasSuffix(win, "acting as an") || strings.HasSuffix(win, "in the") || strings.HasSuffix(win, "capacity as") ||
		strings.HasSuffix(win, "capacity as a") || strings.HasSuffix(win, "capacity as an")
}

func allGeneric(b []string) bool {
	for _, x := range b {
		if x != AnyUser && x != AnyParty {
			return false
		}
	}
	return true
}

func (r *Reader) unknownActor(head []string) []string {
	if len(head) < 2 || !determiners[strings.ToLower(head[0])] || strings.ToLower(head[0]) == "that" {
		return nil
	}
	var name []string
	for _, w := range head[1:] {
		if strings.ContainsAny(w, "'’") {
			return nil // "The Panel's decision": a thing of an actor
		}
		if !isCap(w) && w != "of" {
			break
		}
		name = append(name, w)
	}
	for len(name) > 0 && name[len(name)-1] == "of" {
		name = name[:len(name)-1]
	}
	if len(name) == 0 || len(name) > 4 {
		return nil
	}
	if thingWords[name[len(name)-1]] || strings.EqualFold(head[0], "this") {
		return nil
	}
	return []string{Slug(strings.Join(name, " "))}
}

// Slug turns a name into a bearer id: "Code Administrator" -> "code-administrator".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(name) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// kindOf reads the kind from the modal verb and the words after it; ok is false when the
// words are no duty at all.
func kindOf(modal, rest string, negSubj bool) (Kind, bool) {
	m := strings.ToLower(modal)
	neg := strings.Contains(m, " not") != negSubj
	ws := words(rest)
	// Skip a parenthesis after the verb (", within three Working Days, provide") and adverbs.
	rs := strings.TrimSpace(rest)
	if strings.HasPrefix(rs, ",") {
		if i := strings.Index(rs[1:], ","); i >= 0 {
			ws = words(rs[i+2:])
		}
	}
	for len(ws) > 0 && (strings.HasSuffix(ws[0], "ly") && ws[0] != "apply" && ws[0] != "supply" && ws[0] != "comply" && ws[0] != "rely" ||
		ws[0] == "not" || ws[0] == "also" || ws[0] == "at" && len(ws) > 2 && ws[1] == "all" || ws[0] == "all" || ws[0] == "times") {
		if ws[0] == "not" {
			neg = !neg
		}
		ws = ws[1:]
	}
	verb := ""
	next := ""
	if len(ws) > 0 {
		verb = strings.ToLower(ws[0])
	}
	if len(ws) > 1 {
		next = strings.ToLower(ws[1])
	}
	switch {
	case strings.Contains(m, "entitled") || strings.Contains(m, "authorised"):
		if neg {
			return Prohibition, true
		}
		return Permission, true
	case strings.Contains(m, "required") || strings.Contains(m, "obliged"):
		if neg {
			return Permission, true
		}
		return Obligation, true
	}
	may := strings.HasPrefix(m, "may")
	if verb == "be" {
		switch next {
		case "required", "obliged", "responsible", "bound":
			if neg {
				return Permission, true
			}
			return Obligation, true
		case "entitled", "permitted", "allowed", "free":
			if neg {
				return Prohibition, true
			}
			return Permission, true
		}
		return Condition, true
	}
	if verb == "have" && (next == "regard" || next == "due") {
		if neg {
			return Prohibition, true
		}
		return Obligation, true
	}
	if nonAction[verb] && !may && !(verb == "take" && next != "effect") {
		return Condition, true
	}
	switch {
	case neg:
		return Prohibition, true
	case may:
		return Permission, true
	}
	return Obligation, true
}

// deadlineCues are words without one of which no deadline expression can match: the
// expressions are not run on text that has none (most duties have no deadline).
var deadlineCues = []string{"within", "later", "earlier", "before", "prior", "advance", " by ", "promptly", "practicable",
	"delay", "forthwith"}

// deadline finds the time limit in s.
func deadline(s string) string {
	cue := false
	ls := strings.ToLower(s)
	for _, c := range deadlineCues {
		if strings.Contains(ls, c) {
			cue = true
			break
		}
	}
	if !cue {
		return ""
	}
	for _, re := range deadlineREs() {
		if m := re.FindString(s); m != "" {
			return clip(m, 160)
		}
	}
	return ""
}

// modalForms are the words that state a duty or a right, longest first within each first
// letter; modalRE is the same list as a regular expression, kept to document it and to test
// that the two agree.
var modalForms = []string{"shall not", "shall", "must not", "must", "may not", "may",
	"is not entitled to", "are not entitled to", "is entitled to", "are entitled to", "is required to", "are required to",
	"is obliged to", "are obliged to", "is hereby authorised", "are hereby authorised", "is authorised", "are authorised"}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// findModals returns the start and end of each modal verb form in s, left to right, as
// modalRE().FindAllStringIndex would (a hand scan: the regular expression was most of the
// reader's time).
func findModals(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != 's' && c != 'm' && c != 'i' && c != 'a' || i > 0 && isWordByte(s[i-1]) {
			continue
		}
		for _, f := range modalForms {
			if f[0] == s[i] && strings.HasPrefix(s[i:], f) && (i+len(f) == len(s) || !isWordByte(s[i+len(f)])) {
				out = append(out, [2]int{i, i + len(f)})
				i += len(f) - 1
				break
			}
		}
	}
	return out
}

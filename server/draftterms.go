package server

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"codenav/corpus"
	"codenav/legaltext"
)

// maxTermNotes bounds the notes of one kind a draft gets: past a few, more say nothing new.
const maxTermNotes = 12

// termNotes lists the capitalised phrases a draft brings in that read like defined terms
// ("Smart Meter Registration Service") but are defined nowhere: not in Section A (as the
// code stands today, public documents only, as pages link them), not in the draft itself,
// and not a party category, User Role or document title. A phrase the base version already
// uses is not reported: only what the drafter wrote is checked, so the existing text (with
// its proper names) raises nothing.
func (s *Server) termNotes(base *corpus.Version, tree *legaltext.Doc) []draftNote {
	known := map[string]bool{}
	add := func(name string) { known[strings.ToLower(name)] = true }
	for _, p := range s.code.Parties {
		add(p.Name)
	}
	for _, r := range s.code.Roles {
		add(r.Name)
	}
	for _, d := range s.code.Documents {
		add(d.Title)
	}
	for _, def := range tree.Definitions {
		add(def.Term)
	}
	terms := s.code.TermsAt(s.today())
	for t := range terms.Defs {
		add(t)
	}
	baseText := base.Tree().Text()
	var out []draftNote
	seen := map[string]bool{}
	for _, n := range tree.Nodes {
		for _, phrase := range capitalisedPhrases(n.Text) {
			l := strings.ToLower(phrase)
			if seen[l] || known[l] || known[strings.TrimSuffix(l, "s")] || strings.Contains(baseText, phrase) {
				continue
			}
			seen[l] = true
			out = append(out, draftNote{n.Line, true, fmt.Sprintf("%s: %q reads like a defined term but is not defined (Section A, this draft) nor a party, role or document name", nodeName(n), phrase)})
			if len(out) == maxTermNotes {
				return out
			}
		}
	}
	return out
}

// openers are capitalised words that start a sentence or a reference rather than a term.
var openers = map[string]bool{"A": true, "An": true, "The": true, "Each": true, "Any": true, "Every": true,
	"This": true, "That": true, "These": true, "Those": true, "Such": true, "No": true, "All": true, "If": true,
	"Where": true, "When": true, "In": true, "On": true, "For": true, "Subject": true, "Unless": true, "Save": true,
	"Except": true, "Section": true, "Sections": true, "Appendix": true, "Schedule": true, "Clause": true,
	"Part": true, "Paragraph": true, "Annex": true, "To": true, "By": true, "Following": true, "Without": true}

// capitalisedPhrases returns the runs of two or more capitalised words of text (each word
// beginning with an upper-case letter, joined by single spaces), without the openers that
// start a run. Acronyms count as words ("SMKI Recovery Procedure").
func capitalisedPhrases(text string) []string {
	var out []string
	var run []string
	flush := func() {
		for len(run) > 0 && openers[run[0]] {
			run = run[1:]
		}
		if len(run) >= 2 {
			out = append(out, strings.Join(run, " "))
		}
		run = run[:0]
	}
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' }
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !word(r) {
			// Only a single space keeps a run going: punctuation ends it.
			if r != ' ' || (i+1 < len(text) && text[i+1] == ' ') {
				flush()
			}
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !word(r2) {
				break
			}
			j += s2
		}
		w := text[i:j]
		if first, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(first) {
			run = append(run, w)
		} else {
			flush()
		}
		i = j
	}
	flush()
	return out
}

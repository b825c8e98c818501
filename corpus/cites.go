package corpus

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"codenav/legaltext"
)

// CitedCode is another code that a code's text cites, with the phrases that name it
// (code.yaml's cites): "S1.3 of the Retail Energy Code" or "REC Schedule 3" is then a
// reference into that code, linked there when a site serves both (see docs/corpus-format.md).
type CitedCode struct {
	Code  string   `json:"code"`
	Names []string `json:"names"`
	Line  int      `json:"-"` // the line of the entry in code.yaml
}

// cites reads code.yaml's cites: a list of {code, names}.
func (l *loader) cites(path string, f map[string]*yaml.Node, self string) []CitedCode {
	v, ok := f["cites"]
	if !ok {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.add(path, v.Line, `field "cites" must be a list of {code, names}`)
		return nil
	}
	var out []CitedCode
	phrases := map[string]string{}
	for _, e := range v.Content {
		if e.Kind != yaml.MappingNode {
			l.add(path, e.Line, "cites: each entry must be a mapping with code and names")
			continue
		}
		ef := l.fields(node{path: path, m: e}, "code", "names")
		cc := CitedCode{Code: l.str(path, ef, "code", true, e.Line), Line: e.Line}
		switch {
		case cc.Code == "":
		case !idRE().MatchString(cc.Code):
			l.add(path, lineOf(ef, "code", e.Line), "cites: code %q must be lower-case letters, digits and dashes", cc.Code)
		case cc.Code == self:
			l.add(path, lineOf(ef, "code", e.Line), "cites: code %q is this code; its own references need no name", cc.Code)
		}
		var lines []int
		cc.Names, lines = l.list(path, ef, "names")
		if len(cc.Names) == 0 {
			l.add(path, lineOf(ef, "names", e.Line), "cites: code %q needs the phrases that name it (names: [Retail Energy Code, REC])", cc.Code)
		}
		for i, n := range cc.Names {
			if n == "" {
				l.add(path, lines[i], "cites: an empty name")
				continue
			}
			if prev, ok := phrases[n]; ok {
				l.add(path, lines[i], "cites: %q already names code %q", n, prev)
			}
			phrases[n] = cc.Code
		}
		out = append(out, cc)
	}
	return out
}

// CodeNames are the phrases that name the codes c cites, for legaltext.FindCodeRefs.
func (c *Code) CodeNames() []legaltext.CodeName {
	var out []legaltext.CodeName
	for _, cc := range c.Cites {
		for _, n := range cc.Names {
			out = append(out, legaltext.CodeName{Code: cc.Code, Phrase: n})
		}
	}
	return out
}

// OwnRefs are the references of n into this code: n.Refs without those that name another
// code (see FindCodeRefs).
func (c *Code) OwnRefs(n *legaltext.Node) []legaltext.Ref {
	if len(c.Cites) == 0 || len(n.Refs) == 0 {
		return n.Refs
	}
	other := map[string]bool{}
	for _, r := range legaltext.FindCodeRefs(n.Text, c.CodeNames()) {
		other[r.Ref.Text] = true
	}
	if len(other) == 0 {
		return n.Refs
	}
	var out []legaltext.Ref
	for _, r := range n.Refs {
		if !other[r.Text] {
			out = append(out, r)
		}
	}
	return out
}

// ownRefs drops from refs (refsOf(t): every reference of t, node by node) those that point
// into another code: they are not this code's, so validating them here would report
// references that are not wrong (CheckSite checks them against the other code).
func (c *Code) ownRefs(t *legaltext.Doc, refs []legaltext.Ref) []legaltext.Ref {
	if len(c.Cites) == 0 {
		return refs
	}
	names := c.CodeNames()
	out := refs[:0]
	i := 0
	for _, n := range t.Nodes {
		var other map[string]bool
		if len(n.Refs) > 0 {
			for _, r := range legaltext.FindCodeRefs(n.Text, names) {
				if other == nil {
					other = map[string]bool{}
				}
				other[r.Ref.Text] = true
			}
		}
		for _, r := range n.Refs {
			if !other[r.Text] {
				out = append(out, refs[i])
			}
			i++
		}
	}
	return out
}

// CheckSite checks codes served together: every code a code.yaml cites is served
// (UnservedCites), and every reference into another code points at something in force there
// on the citing version's date (CheckCodeRefs). Each problem is `path:line: message`.
func CheckSite(codes []*Code) error {
	probs := append(UnservedCites(codes), CheckCodeRefs(codes)...)
	if len(probs) == 0 {
		return nil
	}
	sortProblems(probs)
	return probs
}

// UnservedCites lists the cites entries of codes that name a code not among them: their
// references are plain text on the site.
func UnservedCites(codes []*Code) Problems {
	var probs Problems
	for _, c := range codes {
		for _, cc := range c.Cites {
			if siteCode(codes, cc.Code) == nil {
				probs = append(probs, Problem{Path: filepath.Join(c.Dir, "code.yaml"), Line: cc.Line,
					Msg: fmt.Sprintf("cites code %q, which is not served with this one (served: %s)", cc.Code, codeIDs(codes))})
			}
		}
	}
	return probs
}

// CheckCodeRefs lists the references into another code of codes that point at nothing in
// force there on the citing version's date. It reads every version of every code that
// cites another.
func CheckCodeRefs(codes []*Code) Problems {
	var probs Problems
	for _, c := range codes {
		names := c.CodeNames()
		if len(names) == 0 {
			continue
		}
		for _, d := range c.Documents {
			for _, v := range d.Versions {
				if v.Effective == "" {
					continue
				}
				for _, n := range v.Tree().Nodes {
					for _, r := range legaltext.FindCodeRefs(n.Text, names) {
						other := siteCode(codes, r.Code)
						if other == nil {
							continue // see UnservedCites
						}
						if _, ok, found := other.Resolve(r.Ref, v.Effective); !ok || !found {
							line := n.Line // the reference's own line when the parse found it
							for _, nr := range n.Refs {
								if nr.Text == r.Ref.Text && nr.Line > 0 {
									line = nr.Line
									break
								}
							}
							probs = append(probs, Problem{Path: v.Path, Line: line + v.BodyLine - 1,
								Msg: fmt.Sprintf("cross-reference %q: %s has no %q in force on %s", n.Text[r.Start:r.End], other.ID, r.Ref.Text, v.Effective)})
						}
					}
				}
			}
		}
	}
	sortProblems(probs)
	return probs
}

func siteCode(codes []*Code, id string) *Code {
	for _, c := range codes {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func sortProblems(probs Problems) {
	slices.SortFunc(probs, func(a, b Problem) int {
		if a.Path != b.Path {
			return strings.Compare(a.Path, b.Path)
		}
		return a.Line - b.Line
	})
}

func codeIDs(codes []*Code) string {
	s := ""
	for i, c := range codes {
		if i > 0 {
			s += ", "
		}
		s += c.ID
	}
	return s
}

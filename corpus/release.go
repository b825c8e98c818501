package corpus

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"codenav/legaltext"
	"codenav/legaltext/merge"
	"codenav/legaltext/redline"
)

// ReleaseBuild is what building a release makes of the corpus: a new version of each document
// that the release's modifications change, or the conflicts that stop the build. It is
// computed in memory; writing it is the caller's business (codenav release build).
type ReleaseBuild struct {
	Release *Release
	// Modifications are the approved modifications of the release that have legal text, in
	// id order: the order in which they are applied.
	Modifications []*Modification
	// WithoutText are the approved modifications of the release that have no legal text, so
	// change no document here.
	WithoutText []*Modification
	// Versions are the new versions, in document order.
	Versions []*NewVersion
	// Built are versions an earlier build already made for this release; their documents are
	// left alone.
	Built []*Version
	// Unchanged are documents whose modifications' changes are all in the latest version
	// already: no new version is needed.
	Unchanged []*Document
	// Unlisted are modifications that name the release but that the release file does not
	// list; the build adds them.
	Unlisted []string
	// Conflicts stop the build: nothing may be written while there is one.
	Conflicts []ReleaseConflict
}

// NewVersion is a version a release build makes.
type NewVersion struct {
	Doc *Document
	// From is the version the changes were merged onto: the document's latest.
	From          *Version
	Number        string
	Effective     Date
	Release       string
	Modifications []string
	// Body is the Markdown after the front matter; Tree the body parsed.
	Body string
	Tree *legaltext.Doc
	// Clauses counts the clauses added, changed and deleted relative to From.
	Clauses redline.Counts

	blocks redline.Counts // every block, to tell a version that changes nothing
}

// File is the content of the version file: front matter, then the body.
func (v *NewVersion) File() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "---\nversion: %q\neffective: %s\nrelease: %s\nmodifications: [%s]\n---\n",
		v.Number, v.Effective, v.Release, strings.Join(v.Modifications, ", "))
	body := v.Body
	if body != "" && !strings.HasPrefix(body, "\n") {
		b.WriteByte('\n') // the blank line after the front matter that every version file has
	}
	b.WriteString(body)
	if body != "" && !strings.HasSuffix(body, "\n") {
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ReleaseConflict is a clause that two changes of a release build touch in the same words.
type ReleaseConflict struct {
	merge.Conflict
	// Modification is the modification whose legal text could not be merged (its text is
	// Conflict.Theirs); Other is what had already changed the same words (Conflict.Ours): an
	// earlier modification of this release ("MP140"), or the versions made since the legal
	// text's base ("section-h 4.0 (MP140)").
	Modification string
	Other        string
}

// ReleaseError is a reason a release cannot be built that is no conflict: the corpus is not in
// a state from which a build could be right.
type ReleaseError struct{ Msg string }

func (e *ReleaseError) Error() string { return e.Msg }

// BuildRelease works out the versions that release id makes: for each document, the changes
// of each approved modification of the release that has legal text for it, relative to the
// legal text's base, merged in modification id order onto the document's latest version (each
// a three-way merge against the running result). The new version is numbered by NextVersion,
// takes effect on the release date, and names the release and the modifications.
//
// A document that already has a version for this release is left alone when that version
// names every modification, so a second build makes nothing new; a version that misses one
// is an error, as is a latest version that takes effect on or after the release date.
func (c *Code) BuildRelease(id string) (*ReleaseBuild, error) {
	r := c.Release(id)
	if r == nil {
		return nil, &ReleaseError{Msg: fmt.Sprintf("unknown release %q (no file releases/%s.yaml)", id, id)}
	}
	b := &ReleaseBuild{Release: r}
	for _, m := range c.Modifications {
		if m.Release != id || m.Status != "approved" {
			continue
		}
		if !slices.Contains(r.Modifications, m.ID) {
			b.Unlisted = append(b.Unlisted, m.ID)
		}
		if len(m.LegalText) == 0 {
			b.WithoutText = append(b.WithoutText, m)
		} else {
			b.Modifications = append(b.Modifications, m)
		}
	}
	byID := func(x, y *Modification) int {
		if naturalLess(x.ID, y.ID) {
			return -1
		}
		if naturalLess(y.ID, x.ID) {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(b.Modifications, byID)
	slices.SortStableFunc(b.WithoutText, byID)
	slices.SortStableFunc(b.Unlisted, func(x, y string) int { return byID(c.mods[x], c.mods[y]) })

	for _, d := range c.Documents {
		var texts []*LegalText
		for _, m := range b.Modifications {
			if lt := m.LegalTextFor(d.ID); lt != nil {
				texts = append(texts, lt)
			}
		}
		if len(texts) == 0 {
			continue
		}
		if done, err := alreadyBuilt(d, id, texts); err != nil {
			return nil, err
		} else if done != nil {
			b.Built = append(b.Built, done)
			continue
		}
		latest := d.Latest()
		if latest.Effective >= r.Date {
			return nil, &ReleaseError{Msg: fmt.Sprintf("%s version %s takes effect on %s, not before release %s (%s): build releases in date order",
				d.ID, latest.Number, latest.Effective, id, r.Date)}
		}
		v, conflicts := buildDocument(d, latest, texts)
		b.Conflicts = append(b.Conflicts, conflicts...)
		if v == nil {
			continue
		}
		if v.blocks.Unchanged == v.blocks.Total() {
			b.Unchanged = append(b.Unchanged, d)
			continue
		}
		v.Effective, v.Release = r.Date, id
		b.Versions = append(b.Versions, v)
	}
	return b, nil
}

// alreadyBuilt returns the version of d made for release id, if every modification with text
// for d is named in it; an error if one is missing.
func alreadyBuilt(d *Document, id string, texts []*LegalText) (*Version, error) {
	var done *Version
	for _, v := range d.Versions {
		if v.Release == id {
			done = v
		}
	}
	if done == nil {
		return nil, nil
	}
	for _, lt := range texts {
		if !slices.Contains(done.Modifications, lt.Mod.ID) {
			return nil, &ReleaseError{Msg: fmt.Sprintf("%s version %s was built for release %s without %s: delete %s and build again",
				d.ID, done.Number, id, lt.Mod.ID, done.Path)}
		}
	}
	return done, nil
}

// buildDocument merges the legal texts of d, in order, onto latest. It returns the new
// version (without release and date), or nil and the conflicts.
func buildDocument(d *Document, latest *Version, texts []*LegalText) (*NewVersion, []ReleaseConflict) {
	running := latest.Tree()
	// changedBy[clause] is the modification of this build that last changed the clause, to
	// name the other side of a conflict.
	changedBy := map[string]string{}
	var conflicts []ReleaseConflict
	var mods []string
	for _, lt := range texts {
		res := merge.Merge(lt.Base.Tree(), running, lt.Tree)
		for _, cf := range res.Conflicts {
			cf.Doc = d.ID
			other := changedBy[cf.Clause]
			if other == "" {
				other = since(lt.Base, latest)
			}
			conflicts = append(conflicts, ReleaseConflict{Conflict: cf, Modification: lt.Mod.ID, Other: other})
		}
		for _, id := range changedClauses(lt.Base.Tree(), lt.Tree) {
			changedBy[id] = lt.Mod.ID
		}
		running = res.Doc
		mods = append(mods, lt.Mod.ID)
	}
	if len(conflicts) > 0 {
		return nil, conflicts
	}
	sum := redline.Compare(latest.Tree(), running).Summary
	return &NewVersion{Doc: d, From: latest, Number: NextVersion(latest.Number), Modifications: mods,
		Body: running.Source(), Tree: running, Clauses: sum.Clauses, blocks: sum.Blocks}, nil
}

// since names the versions of a document after base up to latest, with the modifications
// they made: what changed the text since a legal text was drafted.
func since(base, latest *Version) string {
	var parts []string
	for v := base.Next(); v != nil; v = v.Next() {
		p := v.Doc.ID + " " + v.Number
		if len(v.Modifications) > 0 {
			p += " (" + strings.Join(v.Modifications, ", ") + ")"
		}
		parts = append(parts, p)
		if v == latest {
			break
		}
	}
	if len(parts) == 0 {
		return latest.Doc.ID + " " + latest.Number
	}
	return strings.Join(parts, ", ")
}

// changedClauses returns the ids of the clauses and parts that differ between two texts:
// changed, added or deleted.
func changedClauses(a, b *legaltext.Doc) []string {
	src := func(d *legaltext.Doc) map[string]string {
		m := map[string]string{}
		for _, n := range d.Nodes {
			if n.Explicit {
				m[n.ID] = strings.TrimSpace(n.Source)
			}
		}
		return m
	}
	sa, sb := src(a), src(b)
	var out []string
	for id, s := range sa {
		if t, ok := sb[id]; !ok || t != s {
			out = append(out, id)
		}
	}
	for id := range sb {
		if _, ok := sa[id]; !ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// NextVersion is the number of the version a release makes after v: the next major version
// ("3.0" -> "4.0", "2.1" -> "3.0"). A release is a new consolidated text, which the SEC
// numbers by whole versions; minor numbers are left for corrections made by hand.
func NextVersion(v string) string {
	major, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		return "1.0"
	}
	return strconv.Itoa(n+1) + ".0"
}

// SetReleaseModifications returns the release file data with its modifications list replaced
// by mods, written as a flow list on one line, the rest of the file untouched. A file without
// the field gets it at the end.
func SetReleaseModifications(data []byte, mods []string) ([]byte, error) {
	line := "modifications: [" + strings.Join(mods, ", ") + "]"
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("reading the release file: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the release file is not a mapping of fields")
	}
	m := doc.Content[0]
	lines := strings.SplitAfter(string(data), "\n")
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value != "modifications" {
			continue
		}
		first, last := k.Line, lastLine(v)
		if k.Column != 1 || first < 1 || last > len(lines) {
			return nil, fmt.Errorf("the modifications field of the release file is not laid out as expected")
		}
		var out strings.Builder
		for _, l := range lines[:first-1] {
			out.WriteString(l)
		}
		out.WriteString(line + "\n")
		for _, l := range lines[last:] {
			out.WriteString(l)
		}
		return []byte(out.String()), nil
	}
	s := string(data)
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return []byte(s + line + "\n"), nil
}

// lastLine is the last line a YAML value spans (its last entry's, for a list).
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"codenav/legaltext"
)

// Problem is one thing wrong in a corpus, at a file and line.
type Problem struct {
	Path string
	Line int
	Msg  string

	// unlisted is set on the problem "release R does not list modification M" (which names
	// R): the one problem that building release R repairs (see Unlisted).
	unlisted struct{ release, mod string }
}

// Unlisted reports whether the problem is that a release does not list a modification that
// names it, and which. Building that release adds the modification to the release file, so
// the build may go ahead despite it.
func (p Problem) Unlisted() (release, mod string, ok bool) {
	return p.unlisted.release, p.unlisted.mod, p.unlisted.release != ""
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.Path, p.Msg)
}

// Problems is every problem found in a corpus; it is the error Load returns.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

var (
	idRE      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) })
	modIDRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z][A-Za-z0-9-]*$`) })
	prefixRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z]{1,4}$`) })
	versionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d+(\.\d+)*$`) })
)

// loader collects problems while reading a corpus folder.
type loader struct {
	dir     string
	probs   Problems
	pending []check // references between files, checked once everything is read
	// unreadable holds the documents, releases and modifications ("document:section-h") whose
	// files exist but could not be read; their own problems are reported, and references to
	// them are not reported again as unknown.
	unreadable map[string]bool
	// refs and duties are what validation checks of the versions' texts once every
	// document is read (facts.go).
	refs   []refCheck
	duties []dutyCheck
	// snap, when set, holds the facts of every version from an earlier full load of the same
	// files (see Open): texts are then not parsed at all.
	snap *snapshot
}

func (l *loader) add(path string, line int, format string, args ...any) {
	l.probs = append(l.probs, Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// node is a YAML mapping with the lines of its keys, for messages that name a line.
type node struct {
	path string
	m    *yaml.Node
	line int
}

// readYAML parses a YAML file into a mapping node, reporting syntax errors with their line.
func (l *loader) readYAML(path string, data []byte, lineOffset int) (node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlErrLine(err, data)
		// The YAML parser also counts a lone carriage return as a line break; the message must
		// still name a line of the file.
		if n := bytes.Count(data, []byte("\n")) + 1; line > n {
			line = n
		}
		l.add(path, line+lineOffset, "malformed YAML: %s", msg)
		return node{}, false
	}
	if len(doc.Content) == 0 {
		l.add(path, 1+lineOffset, "empty YAML: expected a mapping of fields")
		return node{}, false
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		l.add(path, m.Line+lineOffset, "expected a mapping of fields, found %s", kindName(m))
		return node{}, false
	}
	shift(m, lineOffset)
	return node{path: path, m: m, line: m.Line}, true
}

func shift(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shift(c, by)
	}
}

var (
	yamlLineRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line (\d+): (.*)`) })
	yamlAnchorRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^unknown anchor '(.*)' referenced`) })
)

// yamlParserErrors are the problems yaml.v3's parser (as opposed to its scanner) reports. It
// numbers their lines from 0, the scanner's from 1.
var yamlParserErrors = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
}

// yamlErrLine returns the 1-based line of a YAML syntax error in data, and its message.
func yamlErrLine(err error, data []byte) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		for _, p := range yamlParserErrors {
			if m[2] == p {
				n++
				break
			}
		}
		if strings.HasPrefix(m[2], "found a tab character") {
			// The line given is where the value being read started; the tab may be further on.
			n = tabIndentLine(data, n)
		}
		return n, m[2]
	}
	// The reader's errors (characters YAML does not allow) and unknown anchors have no line:
	// find it in the text.
	at := -1
	switch {
	case strings.Contains(msg, "UTF-8") || strings.Contains(msg, "Unicode"):
		at, msg = invalidUTF8(data), "the text is not valid UTF-8 (save the file as UTF-8)"
	case msg == "control characters are not allowed":
		if at = bytes.IndexFunc(data, func(r rune) bool { return !yamlChar(r) }); at >= 0 {
			r, _ := utf8.DecodeRune(data[at:])
			msg = fmt.Sprintf("control character %U is not allowed in YAML", r)
		}
	default:
		if m := yamlAnchorRE().FindStringSubmatch(msg); m != nil {
			at = bytes.Index(data, []byte("*"+m[1]))
		}
	}
	if at >= 0 {
		return 1 + bytes.Count(data[:at], []byte("\n")), msg
	}
	return 1, msg
}

// tabIndentLine returns the first line from line on that is indented with a tab, or line.
func tabIndentLine(data []byte, line int) int {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if i+1 >= line && bytes.ContainsRune(l[:len(l)-len(bytes.TrimLeft(l, " \t"))], '\t') {
			return i + 1
		}
	}
	return line
}

// invalidUTF8 returns the offset of the first byte of data that is not valid UTF-8, or -1.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// yamlChar reports whether YAML allows r in a document.
func yamlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7e || r == 0x85 ||
		r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	default:
		return "something else"
	}
}

// fields checks the keys of n against allowed and returns the value nodes by key.
func (l *loader) fields(n node, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i := 0; i+1 < len(n.m.Content); i += 2 {
		k, v := n.m.Content[i], n.m.Content[i+1]
		if !ok[k.Value] {
			l.add(n.path, k.Line, "unknown field %q (expected one of: %s)", k.Value, strings.Join(allowed, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			l.add(n.path, k.Line, "field %q appears twice", k.Value)
		}
		out[k.Value] = v
	}
	return out
}

func (l *loader) str(path string, f map[string]*yaml.Node, key string, required bool, line int) string {
	v, ok := f[key]
	if !ok {
		if required {
			l.add(path, line, "missing field %q", key)
		}
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		l.add(path, v.Line, "field %q must be a single value, found %s", key, kindName(v))
		return ""
	}
	s := strings.TrimSpace(v.Value)
	if s == "" && required {
		l.add(path, v.Line, "field %q is empty", key)
	}
	return s
}

func (l *loader) list(path string, f map[string]*yaml.Node, key string) ([]string, []int) {
	v, ok := f[key]
	if !ok {
		return nil, nil
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		l.add(path, v.Line, "field %q must be a list, found %s", key, kindName(v))
		return nil, nil
	}
	out := make([]string, 0, len(v.Content))
	lines := make([]int, 0, len(v.Content))
	for _, e := range v.Content {
		if e.Kind != yaml.ScalarNode {
			l.add(path, e.Line, "field %q: each entry must be a single value", key)
			continue
		}
		out = append(out, e.Value)
		lines = append(lines, e.Line)
	}
	return out, lines
}

func (l *loader) date(path string, f map[string]*yaml.Node, key string, required bool, line int) Date {
	s := l.str(path, f, key, required, line)
	if s == "" {
		return ""
	}
	d, err := ParseDate(s)
	if err != nil {
		l.add(path, f[key].Line, "field %q: %v", key, err)
	}
	return d
}

func lineOf(f map[string]*yaml.Node, key string, def int) int {
	if v, ok := f[key]; ok {
		return v.Line
	}
	return def
}

func (l *loader) code(c *Code) {
	path := filepath.Join(l.dir, "code.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		l.add(path, 0, "cannot read the code's description: %v", errors.Unwrap(err))
		return
	}
	n, ok := l.readYAML(path, data, 0)
	if !ok {
		return
	}
	f := l.fields(n, "id", "title", "notice", "parties", "roles", "categories", "classifications", "numbering", "cites")
	c.Numbering = l.numbering(path, f)
	c.ID = l.str(path, f, "id", true, n.line)
	c.Title = l.str(path, f, "title", true, n.line)
	c.Notice = l.str(path, f, "notice", false, n.line)
	var partyLines []int
	c.Parties, partyLines = l.named(path, f, "parties", n.line)
	var roleLines []int
	if _, ok := f["roles"]; ok {
		c.Roles, roleLines = l.named(path, f, "roles", n.line)
	}
	for i, r := range c.Roles {
		if r.ID == "all" {
			l.add(path, roleLines[i], `role id "all" is reserved: it means every role`)
		}
	}
	c.Categories, _ = l.named(path, f, "categories", n.line)
	c.Classifications, _ = l.named(path, f, "classifications", n.line)
	for i, p := range c.Parties {
		if p.ID == "all" {
			l.add(path, partyLines[i], `party category id "all" is reserved: it means every category`)
		}
	}
	c.Cites = l.cites(path, f, c.ID)
}

// named reads a list of {id, name, description}; it returns the entries and the line of each
// entry's id.
func (l *loader) named(path string, f map[string]*yaml.Node, key string, line int) ([]Named, []int) {
	v, ok := f[key]
	if !ok {
		l.add(path, line, "missing field %q", key)
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		l.add(path, v.Line, "field %q must be a non-empty list of {id, name}", key)
		return nil, nil
	}
	var out []Named
	var lines []int
	seen := map[string]bool{}
	for _, e := range v.Content {
		if e.Kind != yaml.MappingNode {
			l.add(path, e.Line, "%s: each entry must be a mapping with id and name", key)
			continue
		}
		ef := l.fields(node{path: path, m: e}, "id", "name", "description")
		id := l.str(path, ef, "id", true, e.Line)
		nm := Named{ID: id, Name: l.str(path, ef, "name", true, e.Line), Description: l.str(path, ef, "description", false, e.Line)}
		if id != "" && !idRE().MatchString(id) {
			l.add(path, lineOf(ef, "id", e.Line), "%s: id %q must be lower-case letters, digits and dashes", key, id)
		}
		if seen[id] {
			l.add(path, lineOf(ef, "id", e.Line), "%s: id %q is listed twice", key, id)
		}
		seen[id] = true
		out = append(out, nm)
		lines = append(lines, lineOf(ef, "id", e.Line))
	}
	return out, lines
}

func yamlFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

func (l *loader) releases(c *Code) {
	dir := filepath.Join(l.dir, "releases")
	names, err := yamlFiles(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		l.add(dir, 0, "cannot read: %v", err)
	}
	for _, name := range names {
		path := filepath.Join(dir, name)
		id := strings.TrimSuffix(name, ".yaml")
		data, err := os.ReadFile(path)
		if err != nil {
			l.add(path, 0, "cannot read: %v", err)
			l.unreadable["release:"+id] = true
			continue
		}
		n, ok := l.readYAML(path, data, 0)
		if !ok {
			l.unreadable["release:"+id] = true
			continue
		}
		f := l.fields(n, "id", "name", "date", "kind", "systems", "modifications", "summary")
		if v := l.str(path, f, "id", false, n.line); v != "" && v != id {
			l.add(path, lineOf(f, "id", n.line), "id %q differs from the file name %q", v, id)
		}
		if !idRE().MatchString(id) {
			l.add(path, 0, "release id %q (the file name) must be lower-case letters, digits and dashes", id)
		}
		r := &Release{ID: id, Name: l.str(path, f, "name", true, n.line), Date: l.date(path, f, "date", true, n.line),
			Kind: l.str(path, f, "kind", true, n.line), Summary: l.str(path, f, "summary", false, n.line)}
		if r.Kind != "" && r.Kind != "scheduled" && r.Kind != "ad-hoc" {
			l.add(path, lineOf(f, "kind", n.line), "kind %q must be scheduled or ad-hoc", r.Kind)
		}
		switch s := l.str(path, f, "systems", false, n.line); s {
		case "", "false":
		case "true":
			r.Systems = true
		default:
			l.add(path, lineOf(f, "systems", n.line), "systems %q must be true or false", s)
		}
		mods, lines := l.list(path, f, "modifications")
		r.Modifications = nonNil(mods)
		c.Releases = append(c.Releases, r)
		c.releases[id] = r
		l.pending = append(l.pending, check{path: path, lines: lines, ids: mods, kind: "release-mods", owner: id})
	}
	sort.SliceStable(c.Releases, func(i, j int) bool { return c.Releases[i].Date < c.Releases[j].Date })
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (l *loader) modifications(c *Code) {
	dir := filepath.Join(l.dir, "modifications")
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		l.add(dir, 0, "cannot read: %v", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		id := e.Name()
		path := filepath.Join(dir, id, "modification.yaml")
		data, err := os.ReadFile(path)
		if err != nil {
			l.add(path, 0, "cannot read: %v", errors.Unwrap(err))
			l.unreadable["modification:"+id] = true
			continue
		}
		n, ok := l.readYAML(path, data, 0)
		if !ok {
			l.unreadable["modification:"+id] = true
			continue
		}
		f := l.fields(n, "id", "title", "type", "path", "stage", "status", "proposer", "lead_analyst",
			"raised", "decided", "implemented", "release", "parties", "documents", "issue", "solution", "timeline", "sample")
		if v := l.str(path, f, "id", false, n.line); v != "" && v != id {
			l.add(path, lineOf(f, "id", n.line), "id %q differs from the folder name %q", v, id)
		}
		if !modIDRE().MatchString(id) {
			l.add(path, 0, "modification id %q (the folder name) must start with a capital letter", id)
		}
		m := &Modification{ID: id, Title: l.str(path, f, "title", true, n.line),
			Type: l.str(path, f, "type", true, n.line), Path: l.str(path, f, "path", false, n.line),
			Stage: l.str(path, f, "stage", true, n.line), Status: l.str(path, f, "status", true, n.line),
			Proposer: l.str(path, f, "proposer", false, n.line), LeadAnalyst: l.str(path, f, "lead_analyst", false, n.line),
			Raised: l.date(path, f, "raised", true, n.line), Decided: l.date(path, f, "decided", false, n.line),
			Implemented: l.date(path, f, "implemented", false, n.line), Release: l.str(path, f, "release", false, n.line),
			Issue: l.str(path, f, "issue", false, n.line), Solution: l.str(path, f, "solution", false, n.line)}
		switch v := l.str(path, f, "sample", false, n.line); v {
		case "", "false":
		case "true":
			m.Sample = true
		default:
			l.add(path, lineOf(f, "sample", n.line), "sample %q must be true or false", v)
		}
		l.enum(path, f, "type", m.Type, n.line, "draft-proposal", "modification-proposal")
		l.enum(path, f, "path", m.Path, n.line, "", "authority-led", "authority-determined", "self-governance", "fast-track", "urgent")
		l.enum(path, f, "stage", m.Stage, n.line, "development", "refinement", "report", "change-board", "decision", "implemented", "closed")
		l.enum(path, f, "status", m.Status, n.line, "open", "approved", "rejected", "withdrawn")
		var pl, dl []int
		m.Parties, pl = l.list(path, f, "parties")
		m.Documents, dl = l.list(path, f, "documents")
		m.Parties, m.Documents = nonNil(m.Parties), nonNil(m.Documents)
		l.pending = append(l.pending,
			check{path: path, lines: pl, ids: m.Parties, kind: "parties"},
			check{path: path, lines: dl, ids: m.Documents, kind: "documents"})
		if m.Release != "" {
			l.pending = append(l.pending, check{path: path, lines: []int{lineOf(f, "release", n.line)}, ids: []string{m.Release}, kind: "mod-release", owner: id})
		} else if m.Stage == "implemented" {
			l.add(path, lineOf(f, "stage", n.line), "modification %s is implemented but names no release: add release: <release-id>", id)
		}
		if tl, ok := f["timeline"]; ok {
			if tl.Kind != yaml.SequenceNode {
				l.add(path, tl.Line, "timeline must be a list of {date, event}")
			} else {
				for _, e := range tl.Content {
					if e.Kind != yaml.MappingNode {
						l.add(path, e.Line, "timeline: each entry must be a mapping with date and event")
						continue
					}
					ef := l.fields(node{path: path, m: e}, "date", "event")
					m.Timeline = append(m.Timeline, Event{Date: l.date(path, ef, "date", true, e.Line), Event: l.str(path, ef, "event", true, e.Line)})
				}
			}
		}
		if m.Timeline == nil {
			m.Timeline = []Event{}
		}
		c.Modifications = append(c.Modifications, m)
		c.mods[id] = m
	}
}

func (l *loader) enum(path string, f map[string]*yaml.Node, key, val string, line int, allowed ...string) {
	if val == "" {
		return
	}
	for _, a := range allowed {
		if a == val {
			return
		}
	}
	var names []string
	for _, a := range allowed {
		if a != "" {
			names = append(names, a)
		}
	}
	l.add(path, lineOf(f, key, line), "%s %q is not one of: %s", key, val, strings.Join(names, ", "))
}

func (l *loader) documents(c *Code) {
	dir := filepath.Join(l.dir, "documents")
	entries, err := os.ReadDir(dir)
	if err != nil {
		l.add(dir, 0, "cannot read the documents folder: %v", errors.Unwrap(err))
		return
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if d := l.document(c, filepath.Join(dir, e.Name()), e.Name()); d != nil {
			c.Documents = append(c.Documents, d)
			c.docs[d.ID] = d
		} else {
			l.unreadable["document:"+e.Name()] = true
		}
	}
	// Documents are listed by category (in code.yaml order), then by reference.
	rank := map[string]int{}
	for i, cat := range c.Categories {
		rank[cat.ID] = i
	}
	sort.SliceStable(c.Documents, func(i, j int) bool {
		a, b := c.Documents[i], c.Documents[j]
		if rank[a.Category] != rank[b.Category] {
			return rank[a.Category] < rank[b.Category]
		}
		return naturalLess(a.Reference+" "+a.ID, b.Reference+" "+b.ID)
	})
}

func (l *loader) document(c *Code, dir, id string) *Document {
	path := filepath.Join(dir, "document.yaml")
	if !idRE().MatchString(id) {
		l.add(dir, 0, "document id %q (the folder name) must be lower-case letters, digits and dashes", id)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		l.add(path, 0, "cannot read: %v", errors.Unwrap(err))
		return nil
	}
	n, ok := l.readYAML(path, data, 0)
	if !ok {
		return nil
	}
	f := l.fields(n, "title", "reference", "prefix", "category", "classification", "parties", "related",
		"owner", "summary", "groups", "people", "numbering")
	d := &Document{ID: id, Title: l.str(path, f, "title", true, n.line), Reference: l.str(path, f, "reference", false, n.line),
		Prefix: l.str(path, f, "prefix", false, n.line), Category: l.str(path, f, "category", true, n.line),
		Classification: l.str(path, f, "classification", true, n.line), Owner: l.str(path, f, "owner", false, n.line),
		Summary: l.str(path, f, "summary", false, n.line)}
	d.Numbering = c.Numbering
	d.code = c
	if _, ok := f["numbering"]; ok {
		d.Numbering = l.numbering(path, f)
	}
	if d.Prefix != "" {
		if !prefixRE().MatchString(d.Prefix) {
			l.add(path, lineOf(f, "prefix", n.line), "prefix %q must be 1 to 4 capital letters", d.Prefix)
		} else if o := c.prefixes[d.Prefix]; o != nil {
			l.add(path, lineOf(f, "prefix", n.line), "prefix %q is already the prefix of %s", d.Prefix, o.ID)
		} else {
			c.prefixes[d.Prefix] = d
		}
	}
	if d.Reference != "" {
		if o := c.labels[d.Reference]; o != nil {
			l.add(path, lineOf(f, "reference", n.line), "reference %q is already the reference of %s", d.Reference, o.ID)
		}
		c.labels[d.Reference] = d
	}
	if _, ok := c.Category(d.Category); d.Category != "" && !ok {
		l.add(path, lineOf(f, "category", n.line), "unknown document category %q (code.yaml lists: %s)", d.Category, ids(c.Categories))
	}
	if _, ok := c.Classification(d.Classification); d.Classification != "" && !ok {
		l.add(path, lineOf(f, "classification", n.line), "unknown classification %q (code.yaml lists: %s)", d.Classification, ids(c.Classifications))
	}
	var pl, rl []int
	d.Parties, pl = l.list(path, f, "parties")
	if _, ok := f["parties"]; !ok {
		d.Parties = []string{"all"}
	}
	l.checkParties(c, path, d.Parties, pl)
	d.Related, rl = l.list(path, f, "related")
	l.pending = append(l.pending, check{path: path, lines: rl, ids: d.Related, kind: "documents"})
	d.Groups, _ = l.list(path, f, "groups")
	d.People, _ = l.list(path, f, "people")
	if files := l.versions(c, d, dir); files == 0 {
		l.add(dir, 0, "document %s has no version files (<version>.md)", id)
	}
	if len(d.Versions) == 0 {
		return nil // the problems of its version files say why
	}
	return d
}

// numbering reads a numbering field: the name of a built-in scheme, or a scheme spelt out
// (see legaltext.SchemeSpec). nil when absent or wrong (the problem is reported).
func (l *loader) numbering(path string, f map[string]*yaml.Node) *legaltext.Scheme {
	v, ok := f["numbering"]
	if !ok {
		return nil
	}
	names := strings.Join(legaltext.SchemeNames(), ", ")
	switch v.Kind {
	case yaml.ScalarNode:
		s, ok := legaltext.BuiltinScheme(v.Value)
		if !ok || v.Value == "" {
			l.add(path, v.Line, "numbering %q is not a built-in scheme (%s); or spell one out: numbering: {base: ..., headings: [...], labels: [...]}", v.Value, names)
			return nil
		}
		return s
	case yaml.MappingNode:
		known := map[string]bool{"base": true, "headings": true, "heading-clauses": true, "dash-clauses": true, "labels": true, "separator": true}
		for i := 0; i+1 < len(v.Content); i += 2 {
			if k := v.Content[i]; !known[k.Value] {
				l.add(path, k.Line, "numbering: unknown field %q (expected one of: base, headings, heading-clauses, dash-clauses, labels, separator)", k.Value)
				return nil
			}
		}
		var spec legaltext.SchemeSpec
		if err := v.Decode(&spec); err != nil {
			l.add(path, v.Line, "numbering: %v", strings.TrimPrefix(err.Error(), "yaml: "))
			return nil
		}
		s, err := spec.Scheme()
		if err != nil {
			l.add(path, v.Line, "numbering: %v", err)
			return nil
		}
		return s
	}
	l.add(path, v.Line, "numbering: want the name of a scheme (%s) or a mapping", names)
	return nil
}

func ids(list []Named) string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = n.ID
	}
	return strings.Join(out, ", ")
}

func (l *loader) checkParties(c *Code, path string, parties []string, lines []int) {
	for i, p := range parties {
		if _, ok := c.Party(p); !ok && p != "all" {
			line := 0
			if i < len(lines) {
				line = lines[i]
			}
			l.add(path, line, "unknown party category %q (code.yaml lists: %s, and all)", p, ids(c.Parties))
		}
	}
}

// checkRoles reports a User Role that code.yaml does not list.
func (l *loader) checkRoles(c *Code, path string, roles []string, line int) {
	for _, r := range roles {
		if _, ok := c.Role(r); ok || r == "all" {
			continue
		}
		if len(c.Roles) == 0 {
			l.add(path, line, "unknown role %q: code.yaml lists no roles (add a roles: list of {id, name})", r)
			continue
		}
		l.add(path, line, "unknown role %q (code.yaml lists: %s, and all)", r, ids(c.Roles))
	}
}

// versions reads the version files of d and returns how many there are, read or not.
func (l *loader) versions(c *Code, d *Document, dir string) (files int) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		l.add(dir, 0, "cannot read: %v", err)
		return 0
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") {
			if !e.IsDir() && name != "document.yaml" {
				l.add(filepath.Join(dir, name), 0, "unexpected file: a document folder holds document.yaml and <version>.md files")
			}
			continue
		}
		files++
		path := filepath.Join(dir, name)
		num := strings.TrimSuffix(name, ".md")
		if !versionRE().MatchString(num) {
			l.add(path, 0, "version file name %q must be a version number such as 2.0.md", name)
			continue
		}
		var data []byte
		var err error
		if l.snap != nil {
			data, err = readHead(path) // the text is read when needed
		} else {
			data, err = os.ReadFile(path)
		}
		if err != nil {
			l.add(path, 0, "cannot read: %v", err)
			continue
		}
		if v := l.version(c, d, path, num, data); v != nil {
			d.Versions = append(d.Versions, v)
		}
	}
	sort.SliceStable(d.Versions, func(i, j int) bool { return versionLess(d.Versions[i].Number, d.Versions[j].Number) })
	if l.snap == nil {
		d.indexAnchors()
	}
	return files
}

func (l *loader) version(c *Code, d *Document, path, num string, data []byte) *Version {
	// Some editors start a UTF-8 file with a byte order mark; it is not part of the text.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	fm, body, bodyLine, ok, closed := legaltext.FrontMatter(data)
	if !ok {
		l.add(path, 1, "missing front matter: the file must start with a line --- then version, effective, release, modifications, then ---")
		return nil
	}
	if !closed {
		l.add(path, 1, "front matter is not closed: add a line --- after it")
		return nil
	}
	n, ok := l.readYAML(path, fm, 1)
	if !ok {
		return nil
	}
	f := l.fields(n, "version", "effective", "release", "modifications")
	v := &Version{Doc: d, Number: l.str(path, f, "version", true, n.line), Effective: l.date(path, f, "effective", true, n.line),
		Release: l.str(path, f, "release", false, n.line), Path: path, BodyLine: bodyLine,
		effectiveLine: lineOf(f, "effective", n.line)}
	if v.Number != "" && v.Number != num {
		l.add(path, lineOf(f, "version", n.line), "version %q differs from the file name %q", v.Number, num+".md")
	}
	v.Number = num
	var ml []int
	v.Modifications, ml = l.list(path, f, "modifications")
	v.Modifications = nonNil(v.Modifications)
	l.pending = append(l.pending, check{path: path, lines: ml, ids: v.Modifications, kind: "modifications"})
	if v.Release != "" {
		l.pending = append(l.pending, check{path: path, lines: []int{lineOf(f, "release", n.line)}, ids: []string{v.Release}, kind: "version-release", version: v})
	}
	if l.snap != nil {
		return v // its facts come from the snapshot, its text from its file when needed
	}
	t := l.tree(c, d, path, body, bodyLine)
	v.setFacts(t)
	if refs := c.ownRefs(t, refsOf(t)); len(refs) > 0 {
		l.refs = append(l.refs, refCheck{v: v, refs: refs})
	}
	l.duties = append(l.duties, dutiesOf(v, t)...)
	c.trees.put(v, t)
	return v
}

// tree parses the body of a document's text (a version, or a modification's legal text) and
// reports its problems at their lines in the file. d may be nil (a legal text for an unknown
// document): the checks that need it are left out.
func (l *loader) tree(c *Code, d *Document, path string, body []byte, bodyLine int) *legaltext.Doc {
	var scheme *legaltext.Scheme
	if d != nil {
		scheme = d.Numbering
	}
	t := legaltext.ParseScheme(body, scheme)
	for _, p := range t.Problems {
		l.add(path, p.Line+bodyLine-1, "%s", fileLines(p.Msg, bodyLine-1))
	}
	for _, node := range t.Nodes {
		if node.PartiesSet {
			lines := make([]int, len(node.Parties))
			for i := range lines {
				lines[i] = node.Line + bodyLine - 1
			}
			l.checkParties(c, path, node.Parties, lines)
		}
		if node.RolesSet {
			l.checkRoles(c, path, node.Roles, node.Line+bodyLine-1)
		}
		if node.Kind == legaltext.KindClause && d != nil && d.Prefix != "" && scheme.IsSEC() && !strings.HasPrefix(node.ID, d.Prefix) {
			l.add(path, node.Line+bodyLine-1, "clause %s does not start with the document's prefix %s", node.ID, d.Prefix)
		}
	}
	// The syntax tree is only needed to render, which happens when a page is first read.
	t.Compact()
	return t
}

// firstLineRE is the line a parser message refers to ("duplicate id "H1.1" (first used on
// line 3)"); the parser counts lines from the start of the body.
var firstLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\(first (?:used )?on line (\d+)\)$`) })

// fileLines turns the body line at the end of a parser message into a line of the file.
func fileLines(msg string, shift int) string {
	m := firstLineRE().FindStringSubmatchIndex(msg)
	if m == nil {
		return msg
	}
	n, err := strconv.Atoi(msg[m[2]:m[3]])
	if err != nil {
		return msg
	}
	return msg[:m[2]] + strconv.Itoa(n+shift) + msg[m[3]:]
}

// versionLess orders version numbers part by part, numerically ("2.10" after "2.9").
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// naturalLess orders strings with embedded numbers as people expect ("Schedule 2" before
// "Schedule 10").
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			x, _ := strconv.Atoi(a[:da])
			y, _ := strconv.Atoi(b[:db])
			if x != y {
				return x < y
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

package legaltext

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzLinker resolves clauses of a few prefixes, two documents and a handful of terms.
func fuzzLinker() *fakeLinker {
	l := newFakeLinker([]string{"Party", "Party Category", "User", "DCC", "Applicant", "Lead Analyst", "Process", "User Entry Process"}, "A", "G", "H", "TLS")
	l.docs["Section H"] = true
	l.docs["Appendix AD"] = true
	return l
}

// seedFiles adds the sample corpus and, when present, the real texts of ../shared/realtext as
// seeds: section-h 3.0 whole (front matter included), and every file cut into pieces of at
// most 2 KB at blank lines. Small seeds keep the fuzzer fast: it minimizes every new
// interesting input, and minimizing a 40 KB input takes the whole run.
func seedFiles(f *testing.F, add func([]byte)) {
	for _, c := range losslessCases {
		add([]byte(c.src))
	}
	whole, err := os.ReadFile(filepath.Join(corpusDir, "documents", "section-h", "3.0.md"))
	if err != nil {
		f.Fatal(err)
	}
	add(whole)
	files := versionFiles(f)
	if st, err := os.Stat(realtextDir); err == nil && st.IsDir() {
		more, _ := filepath.Glob(filepath.Join(realtextDir, "*", "*"))
		files = append(files, more...)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, piece := range pieces(data, 2048) {
			add(piece)
		}
	}
}

// pieces cuts data at blank lines into pieces of at most about max bytes.
func pieces(data []byte, max int) [][]byte {
	var out [][]byte
	for len(data) > max {
		cut := bytes.LastIndex(data[:max], []byte("\n\n"))
		if cut <= 0 {
			cut = max
		} else {
			cut += 2
		}
		out = append(out, data[:cut])
		data = data[cut:]
	}
	if len(data) > 0 {
		out = append(out, data)
	}
	return out
}

func FuzzParse(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b) })
	f.Add([]byte("**H1.1** {parties=\"dcc\"} <script>alert(1)</script> [x](javascript:alert(1)) Section H1.2(a)\n"))
	f.Add([]byte("## A {#A parties=\"\"}\n\n**A1.1** {bad\n\n- (a) x\n  - (i) y\n"))
	f.Add([]byte("\xff\xfe**H1.1**\x00 caf\xe9"))
	l := fuzzLinker()
	f.Fuzz(func(t *testing.T, src []byte) {
		want := src
		if !utf8.Valid(want) {
			want = bytes.ToValidUTF8(want, []byte("\uFFFD"))
		}
		d := Parse(src)
		if got := concatSources(d); got != string(want) {
			t.Fatalf("sources do not concatenate to the input:\n got %q\nwant %q", got, want)
		}
		lines := 1 + bytes.Count(want, []byte("\n"))
		seen := map[string]bool{}
		for _, n := range d.Nodes {
			if n.Line < 1 || n.Line > lines {
				t.Fatalf("node %s: line %d out of 1..%d", n.ID, n.Line, lines)
			}
			if n.ID == "" {
				t.Fatalf("node without id: %+v", n)
			}
			for _, id := range append([]string{n.ID}, n.SubIDs...) {
				if seen[id] && len(d.Problems) == 0 {
					t.Fatalf("anchor %q used twice and no problem reported", id)
				}
				seen[id] = true
			}
			for _, r := range n.Refs {
				if r.Line < 1 || r.Line > lines {
					t.Fatalf("ref %q: line %d out of 1..%d", r.Text, r.Line, lines)
				}
			}
			if !utf8.ValidString(n.Text) {
				t.Fatalf("node %s: invalid UTF-8 text", n.ID)
			}
		}
		for _, p := range d.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem %q: line %d out of 1..%d", p.Msg, p.Line, lines)
			}
		}
		out, err := Render(d, l)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != len(d.Nodes) {
			t.Fatalf("%d nodes rendered, %d nodes", len(out), len(d.Nodes))
		}
		for i, h := range out {
			if s := strings.ToLower(string(h)); strings.Contains(s, "<script") {
				t.Fatalf("node %s renders a script: %s", d.Nodes[i].ID, h)
			}
		}
	})
}

func FuzzParseText(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b) })
	l := fuzzLinker()
	f.Fuzz(func(t *testing.T, src []byte) {
		want := src
		if !utf8.Valid(want) {
			want = bytes.ToValidUTF8(want, []byte("\uFFFD"))
		}
		d := ParseText(src)
		if got := concatSources(d); got != string(want) {
			t.Fatalf("sources do not concatenate to the input:\n got %q\nwant %q", got, want)
		}
		if w, g := words(string(want)), words(d.Text()); strings.Join(w, " ") != strings.Join(g, " ") {
			t.Fatalf("words lost: %q -> %q", w, g)
		}
		lines := 1 + bytes.Count(want, []byte("\n"))
		for _, n := range d.Nodes {
			for _, r := range n.Refs {
				if r.Start < 0 || r.End > len(n.Text) || r.Text != n.Text[r.Start:r.End] {
					t.Fatalf("ref %+v does not match the text %q", r, n.Text)
				}
				if r.Line < n.Line || r.Line > lines {
					t.Fatalf("ref %q: line %d out of %d..%d", r.Text, r.Line, n.Line, lines)
				}
			}
		}
		out, err := Render(d, l)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range out {
			if s := strings.ToLower(string(h)); strings.Contains(s, "<script") || strings.Contains(s, "<img") {
				t.Fatalf("plain text renders HTML: %s", h)
			}
		}
	})
}

func FuzzFindRefs(f *testing.F) {
	for _, s := range []string{"Section G3.20", "G3.20", "Section H1.10(d) (User Entry Process Requirements)",
		"Section H1.10(d)(i)", "Section H1", "Section H", "Appendix AD", "Schedule 1", "Sections G3.26 to G3.28",
		"SMETS1", "ISO 27001", "v5.10", "TLS1.2", "Section\nH1.4", "Section H1.2A and H1.2.3(a)"} {
		f.Add(s)
	}
	seedFiles(f, func(b []byte) {
		if len(b) > 4096 {
			b = b[:4096]
		}
		f.Add(string(b))
	})
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, r := range FindRefs(s) {
			if r.Start < prev || r.End <= r.Start || r.End > len(s) {
				t.Fatalf("span %d-%d after %d in %q", r.Start, r.End, prev, s)
			}
			prev = r.End
			if r.Text != s[r.Start:r.End] {
				t.Fatalf("Text %q is not s[%d:%d] = %q", r.Text, r.Start, r.End, s[r.Start:r.End])
			}
			switch r.Kind {
			case RefClause, RefPart:
				if r.Prefix == "" || !strings.HasPrefix(r.ID, r.Prefix) || !strings.Contains(r.Text, r.ID+r.Sub) {
					t.Fatalf("malformed ref %+v", r)
				}
				if (r.Kind == RefClause) != strings.Contains(r.ID, ".") {
					t.Fatalf("a clause id has a dot, a part id none: %+v", r)
				}
			case RefDocument:
				if r.Label != r.Text || r.ID != "" || r.Anchor() != "" {
					t.Fatalf("malformed document ref %+v", r)
				}
			default:
				t.Fatalf("unknown kind %+v", r)
			}
		}
	})
}

func FuzzFrontMatter(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b) })
	for _, s := range []string{"---\n---\n", "---\r\na\r\n---\r\n", "---", "---\n", "---\na\n--- \n", "---\n---"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		yaml, body, line, ok, closed := FrontMatter(src)
		if !ok {
			if closed || yaml != nil || !bytes.Equal(body, src) || line != 1 {
				t.Fatalf("no front matter: got yaml %q body %q line %d closed %v", yaml, body, line, closed)
			}
			return
		}
		if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
			t.Fatalf("front matter found in %q", src)
		}
		first := bytes.IndexByte(src, '\n') + 1
		if !bytes.HasPrefix(src[first:], yaml) {
			t.Fatalf("yaml %q is not what follows the opening line of %q", yaml, src)
		}
		if !closed {
			if body != nil || len(yaml) != len(src)-first {
				t.Fatalf("unclosed: yaml %q body %q of %q", yaml, body, src)
			}
			return
		}
		if !bytes.HasSuffix(src, body) {
			t.Fatalf("body %q is not the end of %q", body, src)
		}
		closing := string(src[first+len(yaml) : len(src)-len(body)])
		if strings.TrimRight(closing, "\r\n ") != "---" {
			t.Fatalf("closing line %q", closing)
		}
		if len(body) > 0 {
			if want := 1 + bytes.Count(src[:len(src)-len(body)], []byte("\n")); line != want {
				t.Fatalf("bodyLine %d, want %d", line, want)
			}
		}
	})
}

func FuzzTermMatcherFind(f *testing.F) {
	f.Add("A Party and each Party Category, the Parties and Users of the User Entry\nProcess")
	seedFiles(f, func(b []byte) {
		if len(b) > 4096 {
			b = b[:4096]
		}
		f.Add(string(b))
	})
	m := fuzzLinker().Terms()
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, u := range m.Find(s) {
			if u.Start < prev || u.End <= u.Start || u.End > len(s) {
				t.Fatalf("span %d-%d after %d in %q", u.Start, u.End, prev, s)
			}
			prev = u.End
			got := strings.Join(words(s[u.Start:u.End]), " ")
			ok := false
			for _, form := range forms(u.Term) {
				ok = ok || got == strings.Join(words(form), " ")
			}
			if !ok {
				t.Fatalf("%q is not a form of %q", s[u.Start:u.End], u.Term)
			}
		}
	})
}

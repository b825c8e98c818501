// Package frontend holds the site's templates, stylesheet and script, embedded in the binary
// and parsed once at start.
package frontend

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed site/*.html
var siteFS embed.FS

// Templates are the page templates, each parsed together with the layout.
type Templates struct {
	pages  map[string]*template.Template
	layout *template.Template // the layout alone, for ExecutePart
}

// funcs are the small helpers the templates use. base is the path prefix of the code's site
// ("" at the root, "/rec" for a code served under /rec/): every link a template writes starts
// with it.
func funcs(base string) template.FuncMap {
	return template.FuncMap{
		"base":  func() string { return base },
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"mul":   func(a, b int) int { return a * b },
		"lower": strings.ToLower,
		"list":  func(s ...string) []string { return s },
		// dict builds an ordered-by-key map for ranging over labelled sections.
		"dict": func(kv ...string) map[string]string {
			m := map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i]] = kv[i+1]
			}
			return m
		},
		"heading": func(level int, id, text string) template.HTML {
			if level < 1 || level > 6 {
				level = 2
			}
			return template.HTML(fmt.Sprintf("<h%d id=\"%s\">%s</h%d>", level, template.HTMLEscapeString(id), template.HTMLEscapeString(text), level))
		},
	}
}

// LoadSite parses the pages of a site of several codes (its home page and the search of
// every code), each with the site's own layout.
func LoadSite() (*Templates, error) {
	base, err := parseFile(template.New("layout.html").Funcs(funcs("")), siteFS, "site/layout.html", "")
	if err != nil {
		return nil, fmt.Errorf("site layout: %w", err)
	}
	return parsePages(base, siteFS, "site/*.html", "")
}

// Load parses every page with the layout, for a code served at the site's root.
func Load() (*Templates, error) { return LoadBase("") }

// LoadBase parses every page with the layout, for a code served under the path prefix
// prefix ("/rec"; "" for the root).
func LoadBase(prefix string) (*Templates, error) {
	base, err := parseFile(template.New("layout.html").Funcs(funcs(prefix)), templateFS, "templates/layout.html", prefix)
	if err != nil {
		return nil, fmt.Errorf("layout: %w", err)
	}
	return parsePages(base, templateFS, "templates/*.html", prefix)
}

// plainPrefix matches a prefix that html/template writes as it is in every place {{base}}
// stands (the start of a quoted URL attribute, a quoted attribute): no scheme, nothing to
// percent-encode or escape.
var plainPrefix = regexp.MustCompile(`^[A-Za-z0-9/._~-]*$`)

// parseFile parses file name of fsys into t. A plain prefix is written into the text in
// place of {{base}}: the page is the same, and each of the hundred {{base}} of the pages is
// not a function and three escapers called by reflection for every page served.
func parseFile(t *template.Template, fsys fs.FS, name, prefix string) (*template.Template, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	text := string(b)
	if plainPrefix.MatchString(prefix) {
		text = strings.ReplaceAll(text, "{{base}}", prefix)
	}
	return t.Parse(text)
}

// parsePages parses each page matching pattern with the layout base.
func parsePages(base *template.Template, fsys fs.FS, pattern, prefix string) (*Templates, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	t := &Templates{pages: map[string]*template.Template{}, layout: base}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := parseFile(c.New(path.Base(n)), fsys, n, prefix); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		t.pages[name] = c
	}
	return t, nil
}

// Execute renders page name with data.
func (t *Templates) Execute(w io.Writer, name string, data any) error {
	p, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	return p.ExecuteTemplate(w, "layout", data)
}

// ExecutePart renders part, a template the layout defines, with data: a part that is the same
// for many pages is made once and then printed as it is.
func (t *Templates) ExecutePart(w io.Writer, part string, data any) error {
	return t.layout.ExecuteTemplate(w, part, data)
}

// Static returns the stylesheet, script and images, served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

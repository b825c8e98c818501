package corpus

// Reader is who is reading: what they may see follows from it alone.
type Reader struct {
	// SignedIn is true for a signed-in member of a Party.
	SignedIn bool
	User     string
	Party    string
	Groups   []string
	Roles    []string
}

// View is the code as one reader may see it. Every route reads the code through a View, so
// that a document the reader may not see is absent everywhere: lists, pages, references,
// releases and modifications.
type View struct {
	Code   *Code
	Reader Reader
}

// For returns the view of the code for r.
func (c *Code) For(r Reader) *View { return &View{Code: c, Reader: r} }

// CanSee reports whether the reader may see document d. The first classification in
// code.yaml is public; the second needs a signed-in member; the third a named group; the
// fourth and any later a named person. The admin role sees everything.
func (v *View) CanSee(d *Document) bool {
	if d == nil {
		return false
	}
	r := v.Reader
	if contains(r.Roles, "admin") {
		return true
	}
	level := v.Code.level(d.Classification)
	switch {
	case level == 0:
		return true
	case !r.SignedIn:
		return false
	case level == 1:
		return true
	case level == 2:
		return intersects(r.Groups, d.Groups)
	default:
		return r.User != "" && contains(d.People, r.User)
	}
}

// level is the position of a classification in code.yaml (0 is public); unknown
// classifications are treated as the most restricted.
func (c *Code) level(class string) int {
	for i, n := range c.Classifications {
		if n.ID == class {
			return i
		}
	}
	return 1 << 20
}

// Public reports whether d may be seen by everyone.
func (c *Code) Public(d *Document) bool { return d != nil && c.level(d.Classification) == 0 }

func intersects(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

// Documents returns the documents the reader may see.
func (v *View) Documents() []*Document {
	var out []*Document
	for _, d := range v.Code.Documents {
		if v.CanSee(d) {
			out = append(out, d)
		}
	}
	return out
}

// Document returns the document with id if the reader may see it; otherwise nil, exactly
// as if it did not exist.
func (v *View) Document(id string) *Document {
	d := v.Code.Document(id)
	if !v.CanSee(d) {
		return nil
	}
	return d
}

// VisibleDocIDs filters a list of document ids to those the reader may see.
func (v *View) VisibleDocIDs(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if v.Document(id) != nil {
			out = append(out, id)
		}
	}
	return out
}

// ReleaseVersions returns the versions a release made that the reader may see.
func (v *View) ReleaseVersions(id string) []*Version {
	var out []*Version
	for _, x := range v.Code.ReleaseVersions(id) {
		if v.CanSee(x.Doc) {
			out = append(out, x)
		}
	}
	return out
}

// ModificationVersions returns the versions naming a modification that the reader may see.
func (v *View) ModificationVersions(id string) []*Version {
	var out []*Version
	for _, x := range v.Code.ModificationVersions(id) {
		if v.CanSee(x.Doc) {
			out = append(out, x)
		}
	}
	return out
}

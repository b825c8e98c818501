// Package metricstest reads the Prometheus text exposition format strictly, for tests: it
// refuses anything a Prometheus server might read loosely (missing TYPE, a sample outside its
// family, a series written twice, a histogram whose buckets do not add up, bad escapes).
// It was written from the format's description (version 0.0.4).
package metricstest

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	nameRE  = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelRE = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// Family is one metric family: its samples in the order written.
type Family struct {
	Name, Help, Type string
	Samples          []Sample
}

// Sample is one line of values: a histogram's _bucket, _sum and _count are samples of its family.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// labelKey is a sample's labels without le, in a fixed order.
func (s Sample) labelKey() string {
	keys := make([]string, 0, len(s.Labels))
	for k := range s.Labels {
		if k != "le" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q,", k, s.Labels[k])
	}
	return b.String()
}

// Parse reads a whole exposition, by family name.
func Parse(text string) (map[string]*Family, error) {
	fams := map[string]*Family{}
	var cur *Family
	seen := map[string]bool{} // sample name + labels
	if !strings.HasSuffix(text, "\n") && text != "" {
		return nil, fmt.Errorf("the text does not end in a newline")
	}
	if text == "" {
		return fams, nil
	}
	// Lines end at \n only (a \r is part of the line, as Prometheus reads it).
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for n, line := range lines {
		n++
		fail := func(format string, a ...any) error {
			return fmt.Errorf("line %d %q: %s", n, line, fmt.Sprintf(format, a...))
		}
		switch {
		case line == "":
			return nil, fail("empty line")
		case strings.HasPrefix(line, "# HELP "):
			name, help, ok := strings.Cut(line[len("# HELP "):], " ")
			if !ok || !nameRE.MatchString(name) {
				return nil, fail("bad HELP")
			}
			if fams[name] != nil {
				return nil, fail("second HELP for %s", name)
			}
			h, err := unescape(help, false)
			if err != nil {
				return nil, fail("%v", err)
			}
			cur = &Family{Name: name, Help: h}
			fams[name] = cur
		case strings.HasPrefix(line, "# TYPE "):
			name, typ, ok := strings.Cut(line[len("# TYPE "):], " ")
			if !ok || cur == nil || cur.Name != name || cur.Type != "" || len(cur.Samples) > 0 {
				return nil, fail("TYPE not right after the HELP of its family")
			}
			switch typ {
			case "counter", "gauge", "histogram":
			default:
				return nil, fail("unknown type %q", typ)
			}
			cur.Type = typ
		case strings.HasPrefix(line, "#"):
			return nil, fail("comment lines other than HELP and TYPE are not written here")
		default:
			if cur == nil || cur.Type == "" {
				return nil, fail("sample before its family's TYPE")
			}
			s, err := parseSample(line)
			if err != nil {
				return nil, fail("%v", err)
			}
			want := []string{cur.Name}
			if cur.Type == "histogram" {
				want = []string{cur.Name + "_bucket", cur.Name + "_sum", cur.Name + "_count"}
			}
			if !slices.Contains(want, s.Name) {
				return nil, fail("sample %s in family %s", s.Name, cur.Name)
			}
			if _, ok := s.Labels["le"]; ok != (s.Name == cur.Name+"_bucket") {
				return nil, fail("le only on buckets, always on buckets")
			}
			if cur.Type == "counter" && (s.Value < 0 || math.IsNaN(s.Value)) {
				return nil, fail("a counter below zero")
			}
			id := s.Name + "{" + s.labelKey() + "le=" + s.Labels["le"] + "}"
			if seen[id] {
				return nil, fail("series written twice")
			}
			seen[id] = true
			cur.Samples = append(cur.Samples, s)
		}
	}
	for _, f := range fams {
		if f.Type == "" {
			return nil, fmt.Errorf("%s has no TYPE", f.Name)
		}
		if f.Type == "histogram" {
			if err := checkHistogram(f); err != nil {
				return nil, err
			}
		}
	}
	return fams, nil
}

// checkHistogram checks each series of a histogram: bounds increasing, ending in +Inf,
// counts cumulative, the +Inf bucket equal to _count, and a _sum.
func checkHistogram(f *Family) error {
	type hist struct {
		les      []float64
		counts   []float64
		sum, cnt *float64
	}
	by := map[string]*hist{}
	var order []string
	for _, s := range f.Samples {
		k := s.labelKey()
		h := by[k]
		if h == nil {
			h = &hist{}
			by[k] = h
			order = append(order, k)
		}
		switch s.Name {
		case f.Name + "_bucket":
			le, err := strconv.ParseFloat(s.Labels["le"], 64)
			if err != nil {
				return fmt.Errorf("%s: le %q", f.Name, s.Labels["le"])
			}
			if h.sum != nil || h.cnt != nil {
				return fmt.Errorf("%s{%s}: bucket after _sum or _count", f.Name, k)
			}
			if n := len(h.les); n > 0 && (le <= h.les[n-1] || s.Value < h.counts[n-1]) {
				return fmt.Errorf("%s{%s}: buckets not increasing", f.Name, k)
			}
			h.les, h.counts = append(h.les, le), append(h.counts, s.Value)
		case f.Name + "_sum":
			v := s.Value
			h.sum = &v
		case f.Name + "_count":
			v := s.Value
			h.cnt = &v
		}
	}
	for _, k := range order {
		h := by[k]
		n := len(h.les)
		if n == 0 || !math.IsInf(h.les[n-1], 1) || h.sum == nil || h.cnt == nil || *h.cnt != h.counts[n-1] {
			return fmt.Errorf("%s{%s}: incomplete histogram", f.Name, k)
		}
	}
	return nil
}

func parseSample(line string) (Sample, error) {
	s := Sample{Labels: map[string]string{}}
	i := strings.IndexAny(line, "{ ")
	if i < 0 {
		return s, fmt.Errorf("no value")
	}
	s.Name = line[:i]
	if !nameRE.MatchString(s.Name) {
		return s, fmt.Errorf("bad name %q", s.Name)
	}
	rest := line[i:]
	if rest[0] == '{' {
		rest = rest[1:]
		for {
			if strings.HasPrefix(rest, "}") {
				rest = rest[1:]
				break
			}
			eq := strings.Index(rest, `="`)
			if eq < 0 {
				return s, fmt.Errorf("bad labels")
			}
			name := rest[:eq]
			if !labelRE.MatchString(name) {
				return s, fmt.Errorf("bad label name %q", name)
			}
			if _, dup := s.Labels[name]; dup {
				return s, fmt.Errorf("label %s twice", name)
			}
			rest = rest[eq+2:]
			end := -1
			for j := 0; j < len(rest); j++ {
				if rest[j] == '\\' {
					j++
					continue
				}
				if rest[j] == '"' {
					end = j
					break
				}
			}
			if end < 0 {
				return s, fmt.Errorf("unterminated label value")
			}
			v, err := unescape(rest[:end], true)
			if err != nil {
				return s, err
			}
			s.Labels[name] = v
			rest = rest[end+1:]
			switch {
			case strings.HasPrefix(rest, ","):
				rest = rest[1:]
			case strings.HasPrefix(rest, "}"):
			default:
				return s, fmt.Errorf("expected , or } after a label")
			}
		}
	}
	if !strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, "  ") {
		return s, fmt.Errorf("expected one space before the value")
	}
	val := rest[1:]
	if strings.Contains(val, " ") {
		return s, fmt.Errorf("timestamps are not written here")
	}
	v, err := strconv.ParseFloat(val, 64)
	if err != nil && val != "+Inf" && val != "-Inf" && val != "NaN" {
		return s, fmt.Errorf("bad value %q", val)
	}
	s.Value = v
	return s, nil
}

// unescape reads the escapes of a HELP text (\\ and \n) or a label value (\\, \n and \").
func unescape(s string, label bool) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if label && c == '"' {
			return "", fmt.Errorf("unescaped quote")
		}
		if c == '\n' {
			return "", fmt.Errorf("raw newline")
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("trailing backslash")
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case '"':
			if !label {
				return "", fmt.Errorf(`\" in HELP`)
			}
			b.WriteByte('"')
		default:
			return "", fmt.Errorf("unknown escape \\%c", s[i])
		}
	}
	return b.String(), nil
}

// Value is the value of the first sample of family fam named sample whose labels include
// labels; ok is false when there is none.
func Value(fams map[string]*Family, fam, sample string, labels map[string]string) (v float64, ok bool) {
	f := fams[fam]
	if f == nil {
		return 0, false
	}
	for _, s := range f.Samples {
		if s.Name != sample {
			continue
		}
		match := true
		for k, want := range labels {
			if got, has := s.Labels[k]; !has || got != want {
				match = false
			}
		}
		if match {
			return s.Value, true
		}
	}
	return 0, false
}

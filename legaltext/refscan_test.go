package legaltext

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The hand-written scanners find exactly what the regular expressions find.
func checkScan(t *testing.T, s string) {
	t.Helper()
	if w, g := docRefRE().FindAllStringSubmatchIndex(s, -1), scanDocRefs(s); (len(w) > 0 || len(g) > 0) && !reflect.DeepEqual(w, g) {
		t.Fatalf("%q:\nregex %v\nscan  %v", s, w, g)
	}
	want := numberRefRE().FindAllStringSubmatchIndex(s, -1)
	got := scanNumberRefs(s)
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%q:\nregex %v\nscan  %v", s, want, got)
	}
}

func TestScanNumberRefsAgreesWithRegex(t *testing.T) {
	for _, s := range []string{"Section G3.20", "G3.20", "Section H1.10(d) (User Entry)", "Section H1.10(d)(i)", "Section H1",
		"Sections G3.26 to G3.28", "SMETS1", "ISO 27001", "v5.10", "TLS1.2", "H1.2A", "H1.2.3", "H1.10a", "AB1.2x", "ABCDE1.2",
		"Section\nG3.20", "Section  H1.1", "xSection H1.1", "(a)H1.1(b)(cc)(defgh)", "H1.1(", "H1.1()", "H1.1(A)", "_H1.1", "H1.1_",
		"Clause H1.2(d)", "Paragraphs A1.1", "Appendix AD1.1", "Schedule 1", "SCF3.4.", "H1.2.3B", "H1.2.3B4", "H1.", "H1.x", "H 1.1",
		"Section H", "Section ABCD", "Section 12", "Section 123", "Sections H", "xSection H", "Section\tAD.", "Appendix AD and Schedule 2", "Schedule 1A", "Section H_", "SectionH"} {
		checkScan(t, s)
	}
	files, _ := filepath.Glob("../corpus/sec/documents/*/*.md")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkScan(t, string(b))
	}
}

func FuzzScanNumberRefs(f *testing.F) {
	for _, s := range []string{"Section G3.20(a)", "H1.2.3B", "Sections\tA1.1 and B2", "x_H1.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkScan(t, s) })
}

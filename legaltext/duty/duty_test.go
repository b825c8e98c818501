package duty

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testReader() *Reader {
	return NewReader(Vocabulary{
		Actors: map[string][]string{
			"Party": {AnyParty}, "User": {AnyUser}, "Applicant": {AnyParty},
			"Large Supplier Party": {"large-supplier"}, "Small Supplier Party": {"small-supplier"},
			"Supplier Party": {"large-supplier", "small-supplier"}, "DCC": {"dcc"},
			"Other User": {"other-user"}, "Import Supplier": {"import-supplier"},
			"Panel": {"panel"}, "Code Administrator": {"code-administrator"},
			"Security Sub-Committee": {"security-sub-committee"}, "Panel Member": {"panel-member"},
		},
		Things: map[string]bool{"User Role": true, "Party Category": true, "Service Request": true,
			"Modification Proposal": true, "DCC Systems": true, "Code": true},
	})
}

func TestRead(t *testing.T) {
	r := testReader()
	tests := []struct {
		name, text string
		want       []string // bearer:kind pairs
	}{
		{"obligation", "X1 The DCC shall publish a guide.", []string{"dcc:obligation"}},
		{"group name", "X1 Each Supplier Party shall keep a record.", []string{"large-supplier:obligation", "small-supplier:obligation"}},
		{"prohibition", "X1 A Party shall not send any Service Request.", []string{"party:prohibition"}},
		{"no subject", "X1 No Party shall disclose it.", []string{"party:prohibition"}},
		{"permission", "X1 The Panel may delegate its functions.", []string{"panel:permission"}},
		{"entitled", "X1 Each User is entitled to a report.", []string{"user:permission"}},
		{"not obliged", "X1 The DCC shall not be obliged to act.", []string{"dcc:permission"}},
		{"condition", "X1 The Applicant shall become a User on that date.", []string{"party:condition"}},
		{"thing subject", "X1 Each Modification Proposal shall be in writing.", nil},
		{"longest name wins", "X1 Each Party Category shall elect one member.", nil},
		{"definitions", "X1 In this Code, each expression shall have the meaning given to it.", nil},
		{"condition first", "X1 Where a User asks, the Code Administrator shall reply.", []string{"code-administrator:obligation"}},
		{"two subjects", "X1 A Party may ask the DCC for a test, and the DCC shall provide one.", []string{"dcc:obligation", "party:permission"}},
		{"shared subject", "X1 The Panel shall meet, and shall publish its minutes.", []string{"panel:obligation"}},
		{"joint subject", "X1 The Panel and the Code Administrator shall comply.", []string{"code-administrator:obligation", "panel:obligation"}},
		{"narrower name", "X1 An Applicant that is a Supplier Party shall provide evidence.", []string{"large-supplier:obligation", "small-supplier:obligation"}},
		{"role", "X1 A User acting in the User Role of Import Supplier shall test.", []string{"import-supplier:obligation"}},
		{"pronoun", "X1 Where a User adds a role:\n\n(a) it shall repeat the tests.", []string{"user:obligation"}},
		{"unknown body", "X1 The Independent Privacy Auditor shall report.", []string{"independent-privacy-auditor:obligation"}},
		{"as requested", "X1 The DCC shall give such information as the Panel may request.", []string{"dcc:obligation"}},
		{"as the case may be", "X1 The DCC or the Panel (as the case may be) shall decide.", []string{"dcc:obligation", "panel:obligation"}},
		{"relative who", "X1 The DCC shall appoint one Panel Member, who shall be entitled to speak.", []string{"dcc:obligation", "panel-member:permission"}},
		{"table rows ignored", "X1 The DCC shall publish:\n\nWho | What\nThe Panel shall | never", []string{"dcc:obligation"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Pairs(r.Read("X1", tc.text, nil))
			assert.Equal(t, tc.want, got, tc.text)
		})
	}
}

func TestReadDeadlineAndCondition(t *testing.T) {
	r := testReader()
	tests := []struct{ text, deadline, condition string }{
		{"X1 The DCC shall, within five Working Days after a request, provide a report.", "within five Working Days after a request", ""},
		{"X1 The Panel shall publish the budget no later than 31 March.", "no later than 31 March", ""},
		{"X1 The DCC shall give notice at least 20 Working Days before the change.", "at least 20 Working Days before the change", ""},
		{"X1 Each User shall make the change by the Implementation Date.", "by the Implementation Date", ""},
		{"X1 Where a test fails, the DCC shall notify the User.", "", "Where a test fails"},
		{"X1 The DCC shall process it unless the User withdraws it.", "", "unless the User withdraws it."},
	}
	for _, tc := range tests {
		ds := r.Read("X1", tc.text, nil)
		require.Len(t, ds, 1, tc.text)
		assert.Equal(t, tc.deadline, ds[0].Deadline, tc.text)
		assert.Equal(t, tc.condition, ds[0].Condition, tc.text)
	}
}

func TestSegments(t *testing.T) {
	text := "H1.15 Where a User applies:\n\n(a) it shall test; and\n(b) its status counts, unless:\n(i) one; or\n(ii) two."
	segs := Segments("H1.15", text, []string{"H1.15(a)", "H1.15(b)", "H1.15(b)(i)", "H1.15(b)(ii)"})
	var ids []string
	for _, s := range segs {
		ids = append(ids, s.ID)
	}
	assert.Equal(t, []string{"H1.15", "H1.15(a)", "H1.15(b)", "H1.15(b)(i)", "H1.15(b)(ii)"}, ids)
	assert.Equal(t, "it shall test; and", segs[1].Text)
	// Sub-paragraph duties carry the sub-paragraph's id.
	ds := testReader().Read("H1.15", text, []string{"H1.15(a)", "H1.15(b)", "H1.15(b)(i)", "H1.15(b)(ii)"})
	require.Len(t, ds, 1)
	assert.Equal(t, "H1.15(a)", ds[0].Clause)
}

func TestOverride(t *testing.T) {
	known := testReader().Known
	ds, err := Override("H1.1", "dcc:obligation large-supplier+small-supplier:prohibition", known)
	require.NoError(t, err)
	assert.Equal(t, []string{"dcc:obligation", "large-supplier:prohibition", "small-supplier:prohibition"}, Pairs(ds))
	assert.True(t, ds[0].Override)
	ds, err = Override("H1.1", "none", known)
	require.NoError(t, err)
	assert.Empty(t, ds)
	for value, msg := range map[string]string{
		"":                    "empty duties attribute",
		"dcc":                 "write bearer:kind",
		"dcc:must":            `unknown kind "must"`,
		"martians:permission": `unknown bearer "martians"`,
		"dcc+x:obligation":    `unknown bearer "x"`,
	} {
		_, err := Override("H1.1", value, known)
		require.Error(t, err, value)
		assert.Contains(t, err.Error(), msg, value)
	}
}

func TestSlug(t *testing.T) {
	assert.Equal(t, "code-administrator", Slug("Code Administrator"))
	assert.Equal(t, "security-sub-committee", Slug("Security Sub-Committee"))
	assert.Equal(t, "smki-pma", Slug("SMKI PMA"))
}

// FuzzRead checks that the reader takes any text without panicking and that every duty it
// returns is well formed: a known kind, at least one bearer, a clause id of this clause.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"X1 The DCC shall, within five Working Days, provide a report.",
		"X1 Where a User asks:\n\n(a) it shall; and\n(b) may not",
		"X1 No Party shall , , and shall not may",
		"X1 ((((shall)))) The Panel, the DCC and shall",
		"X1 \xff\xfe shall may",
		"",
	} {
		f.Add(s)
	}
	r := testReader()
	f.Fuzz(func(t *testing.T, text string) {
		for _, d := range r.Read("X1", text, []string{"X1(a)"}) {
			if _, ok := ParseKind(string(d.Kind)); !ok {
				t.Fatalf("unknown kind %q", d.Kind)
			}
			if len(d.Bearers) == 0 {
				t.Fatalf("duty without bearer: %+v", d)
			}
			if !strings.HasPrefix(d.Clause, "X1") {
				t.Fatalf("duty of clause %q", d.Clause)
			}
		}
	})
}

func TestReadNotLessThanAndAction(t *testing.T) {
	r := testReader()
	ds := r.Read("X1", "X1 A User may ask for a test, and shall tell the DCC, not less than three months before the Implementation Date, whether it will take part.", nil)
	require.Len(t, ds, 2)
	assert.Equal(t, "ask for a test", ds[0].Action, "the action stops where the next duty starts")
	assert.Equal(t, "not less than three months before the Implementation Date", ds[1].Deadline)
}

// TestFindModalsAgreesWithRE: the hand scan finds what the regular expression finds.
func TestFindModalsAgreesWithRE(t *testing.T) {
	for _, s := range []string{
		"The DCC shall not, and each User may not; a Party must, or is entitled to, and is not entitled to.",
		"shall", "mayor may maybe", "Each User is hereby authorised and are obliged to act; it must not",
		"These are required to go, as the case may be.", "xshall shallx _may may_", "é may shall",
	} {
		var want [][2]int
		for _, m := range modalRE().FindAllStringIndex(s, -1) {
			want = append(want, [2]int{m[0], m[1]})
		}
		assert.Equal(t, want, findModals(s), s)
	}
}

func FuzzFindModals(f *testing.F) {
	f.Add("The DCC shall not act, and may ask; each User is entitled to it.")
	f.Fuzz(func(t *testing.T, s string) {
		var want [][2]int
		for _, m := range modalRE().FindAllStringIndex(s, -1) {
			want = append(want, [2]int{m[0], m[1]})
		}
		got := findModals(s)
		if len(want) != len(got) {
			t.Fatalf("%q: regexp %v, scan %v", s, want, got)
		}
		for i := range want {
			if want[i] != got[i] {
				t.Fatalf("%q: regexp %v, scan %v", s, want, got)
			}
		}
	})
}

// TestReadGrowsLinearly: reading a sentence four times as long allocates about four times as
// much, for the shapes that make the reader look back over the words before a verb (long
// lists of subjects, many verbs, many commas). A quadratic reader would allocate sixteen times.
func TestReadGrowsLinearly(t *testing.T) {
	r := testReader()
	allocated := func(s string) uint64 {
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		r.Read("X1", s, nil)
		runtime.ReadMemStats(&b)
		return b.TotalAlloc - a.TotalAlloc
	}
	for _, unit := range []string{"the DCC, the Panel, a User, ", "the Panel and the DCC and ", "x, ", ", and the DCC shall act ",
		"where a User may, "} {
		text := func(n int) string { return "X1 " + strings.Repeat(unit, n) + "the DCC shall act." }
		small, large := allocated(text(200)), allocated(text(800))
		assert.Less(t, float64(large), 8*float64(small), "%q: %d bytes at 200, %d at 800", unit, small, large)
	}
}

func TestReadActionStopsAtNextSubject(t *testing.T) {
	r := testReader()
	ds := r.Read("X1", "X1 A Party may become a User in more than one User Role, in which case it shall complete the tests for each.", nil)
	require.Len(t, ds, 2)
	assert.Equal(t, "become a User in more than one User Role", ds[0].Action)
	assert.Equal(t, "complete the tests for each.", ds[1].Action)
	ds = r.Read("X1", "X1 The Panel shall meet monthly, and the DCC shall attend.", nil)
	require.Len(t, ds, 2)
	assert.Equal(t, "meet monthly", ds[0].Action)
}

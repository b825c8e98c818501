package legaltext

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoles(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		id      string
		roles   []string
		set     bool
		parties []string
	}{
		{"no roles", "**A1.1** text\n", "A1.1", nil, false, nil},
		{"on the part", "## A1 Part {#A1 roles=\"import-supplier gas-supplier\"}\n\n**A1.1** text\n", "A1", []string{"import-supplier", "gas-supplier"}, true, nil},
		{"inherited from the part", "## A1 Part {#A1 roles=\"other-user\"}\n\n**A1.1** text\n", "A1.1", []string{"other-user"}, false, nil},
		{"with parties on the part", "## A1 Part {#A1 parties=\"other\" roles=\"other-user\"}\n\n**A1.1** text\n", "A1.1", []string{"other-user"}, false, []string{"other"}},
		{"on the clause", "**A1.1** {roles=\"gas-transporter\"} text\n", "A1.1", []string{"gas-transporter"}, true, nil},
		{"clause with both", "**A1.1** {parties=\"dcc\" roles=\"all\"} text\n", "A1.1", []string{"all"}, true, []string{"dcc"}},
		{"clause with both, roles first", "**A1.1** {roles=other-user parties=other} text\n", "A1.1", []string{"other-user"}, true, []string{"other"}},
		{"clause overrides the part", "## A1 Part {#A1 roles=\"other-user\"}\n\n**A1.1** {roles=\"import-supplier\"} text\n", "A1.1", []string{"import-supplier"}, true, nil},
		{"clause parties keep the part's roles", "## A1 Part {#A1 roles=\"other-user\"}\n\n**A1.1** {parties=\"dcc\"} text\n", "A1.1", []string{"other-user"}, false, []string{"dcc"}},
		{"next part does not inherit", "## A1 Part {#A1 roles=\"other-user\"}\n\n**A1.1** x\n\n## A2 Part {#A2}\n\n**A2.1** text\n", "A2.1", nil, false, nil},
		{"clause roles do not leak", "**A1.1** {roles=\"other-user\"} x\n\n**A1.2** y\n", "A1.2", nil, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			require.Empty(t, d.Problems)
			n := d.Node(tt.id)
			require.NotNil(t, n, "no node %s in %v", tt.id, ids(d.Nodes))
			assert.Equal(t, tt.roles, n.Roles)
			assert.Equal(t, tt.set, n.RolesSet)
			assert.Equal(t, tt.parties, n.Parties)
			assert.NotContains(t, n.Text, "roles=", "the attribute is not text")
		})
	}
}

func TestRoleAttributeProblems(t *testing.T) {
	tests := []struct {
		name, src, msg string
	}{
		{"empty on a clause", "**A1.1** {roles=\"\"} text\n", "empty roles attribute"},
		{"twice on a clause", "**A1.1** {roles=a roles=b} text\n", "attribute roles given twice"},
		{"unknown attribute", "**A1.1** {role=a} text\n", "only parties, roles and duties are allowed"},
		{"empty on a heading", "## A1 Part {#A1 roles=\"\"}\n\n**A1.1** text\n", "empty roles attribute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			require.Len(t, d.Problems, 1)
			assert.Contains(t, d.Problems[0].Msg, tt.msg)
			assert.Equal(t, 1, d.Problems[0].Line)
		})
	}
}

func TestAppliesToRole(t *testing.T) {
	tests := []struct {
		roles []string
		r     string
		want  bool
	}{
		{nil, "other-user", true},
		{[]string{"other-user"}, "other-user", true},
		{[]string{"import-supplier", "export-supplier"}, "other-user", false},
		{[]string{"all"}, "gas-transporter", true},
	}
	for _, tt := range tests {
		n := &Node{Roles: tt.roles}
		assert.Equal(t, tt.want, n.AppliesToRole(tt.r), "%v %s", tt.roles, tt.r)
	}
}

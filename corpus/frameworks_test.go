package corpus

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyWithFramework adds User Roles to the tiny corpus and a control framework whose
// controls cite clauses of Section B and carry roles.
func tinyWithFramework(t *testing.T, control string) string {
	t.Helper()
	dir := writeTiny(t)
	edit(t, dir, "code.yaml", "categories:\n", "roles:\n  - id: import-supplier\n    name: Import Supplier\n  - id: other-user\n    name: Other User\ncategories:\n")
	edit(t, dir, "code.yaml", "    name: Sections\n", "    name: Sections\n  - id: framework\n    name: Control frameworks\n")
	writeFile(t, dir, "documents/scf/document.yaml", "title: Security Controls Framework\nprefix: SCF\ncategory: framework\nclassification: white\n")
	writeFile(t, dir, "documents/scf/1.0.md", "---\nversion: \"1.0\"\neffective: 2020-01-01\n---\n\n"+
		"## SCF1 Controls {#SCF1 roles=\"import-supplier\"}\n\n"+control+"\n")
	return dir
}

func TestFrameworkRoles(t *testing.T) {
	dir := tinyWithFramework(t, "**SCF1.1** The User shall comply with Section B1.1.\n\n**SCF1.2** {roles=\"other-user\"} The User shall comply with B1.2.")
	c, err := Load(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"import-supplier", "other-user"}, c.RoleIDs())
	n, ok := c.Role("other-user")
	assert.True(t, ok)
	assert.Equal(t, "Other User", n.Name)
	v := c.Document("scf").Versions[0]
	assert.Equal(t, []string{"import-supplier"}, v.Tree().Node("SCF1.1").Roles)
	assert.Equal(t, []string{"other-user"}, v.Tree().Node("SCF1.2").Roles)
}

func TestFrameworkProblems(t *testing.T) {
	const scf = "documents/scf/1.0.md"
	tests := []struct {
		name    string
		control string
		mutate  func(t *testing.T, dir string)
		path    string
		line    int
		msg     string
	}{
		{name: "a control citing a clause that does not exist",
			control: "**SCF1.1** This control implements Section B9.9.",
			path:    scf, line: 8, msg: `cross-reference "Section B9.9": clause B9.9 does not exist in section-b version 1.0 (in force on 2020-01-01)`},
		{name: "a control citing a sub-paragraph of a clause that does not exist",
			control: "**SCF1.1** A first line.\nThis control implements B1.7(a).",
			path:    scf, line: 9, msg: `clause B1.7(a) does not exist in section-b version 1.0`},
		{name: "a control citing a part that does not exist",
			control: "**SCF1.1** This control implements Section B4.",
			path:    scf, line: 8, msg: `part B4 does not exist in section-b version 1.0`},
		{name: "a control citing a clause added later",
			control: "**SCF1.1** This control implements A1.2.",
			path:    scf, line: 8, msg: `clause A1.2 does not exist in section-a version 1.0 (in force on 2020-01-01)`},
		{name: "an unknown role on a clause",
			control: "**SCF1.1** {roles=\"gas-wizard\"} The User shall comply with Section B1.1.",
			path:    scf, line: 8, msg: `unknown role "gas-wizard" (code.yaml lists: import-supplier, other-user, and all)`},
		{name: "an unknown role on a heading",
			control: "### Group {roles=\"import-supplier nobody\"}\n\n**SCF1.1** Text.",
			path:    scf, line: 8, msg: `unknown role "nobody"`},
		{name: "roles without a roles list",
			control: "**SCF1.1** Text.",
			mutate: func(t *testing.T, dir string) {
				edit(t, dir, "code.yaml", "roles:\n  - id: import-supplier\n    name: Import Supplier\n  - id: other-user\n    name: Other User\n", "")
			},
			path: scf, line: 6, msg: `unknown role "import-supplier": code.yaml lists no roles`},
		{name: "the reserved role all",
			control: "**SCF1.1** Text.",
			mutate: func(t *testing.T, dir string) {
				edit(t, dir, "code.yaml", "  - id: other-user\n", "  - id: all\n")
			},
			path: "code.yaml", line: 11, msg: `role id "all" is reserved`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tinyWithFramework(t, tt.control)
			if tt.mutate != nil {
				tt.mutate(t, dir)
			}
			_, err := Load(dir)
			requireProblem(t, problemsOf(t, err), filepath.Join(dir, filepath.FromSlash(tt.path)), tt.line, tt.msg)
		})
	}
}

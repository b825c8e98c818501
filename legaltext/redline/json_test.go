package redline

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

func TestJSONFieldNames(t *testing.T) {
	old := "## H1 Entry {#H1}\n\n**H1.1** The DCC shall reply.\n\n**H1.2** Gone.\n"
	new := "## H1 Entry {#H1}\n\n**H1.1** The DCC must reply.\n"
	r := Compare(legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new)))
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, r))

	var v map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &v))
	assert.Equal(t, JSONFormat, v["format"])
	summary := v["summary"].(map[string]any)
	assert.Equal(t, map[string]any{"added": 0.0, "deleted": 1.0, "changed": 1.0, "moved": 0.0, "renumbered": 0.0, "unchanged": 0.0},
		summary["clauses"])
	blocks := v["blocks"].([]any)
	require.Len(t, blocks, 3)

	heading := blocks[0].(map[string]any)
	assert.Equal(t, map[string]any{
		"kind": "equal", "old_id": "H1", "new_id": "H1", "node": "heading", "level": 2.0, "wording": false,
		"lines": []any{map[string]any{"kind": "equal", "style": "heading", "level": 2.0,
			"ops": []any{map[string]any{"op": "equal", "text": "H1 Entry"}}}},
	}, heading, "an equal block has no change number")

	changed := blocks[1].(map[string]any)
	assert.Equal(t, 1.0, changed["change"])
	assert.Equal(t, "changed", changed["kind"])
	assert.Equal(t, "clause", changed["node"])
	assert.Equal(t, true, changed["wording"])
	line := changed["lines"].([]any)[0].(map[string]any)
	assert.Equal(t, "changed", line["kind"])
	assert.Equal(t, []any{
		map[string]any{"op": "equal", "text": "H1.1 The DCC "},
		map[string]any{"op": "delete", "text": "shall"},
		map[string]any{"op": "insert", "text": "must"},
		map[string]any{"op": "equal", "text": " reply."},
	}, line["ops"])

	deleted := blocks[2].(map[string]any)
	assert.Equal(t, "deleted", deleted["kind"])
	assert.Equal(t, "H1.2", deleted["old_id"])
	assert.NotContains(t, deleted, "new_id")
}

func TestJSONIsStable(t *testing.T) {
	p := corpusPairs(t)[0]
	r1 := Compare(parseFile(t, p.old), parseFile(t, p.new))
	r2 := Compare(parseFile(t, p.old), parseFile(t, p.new))
	a, err := json.Marshal(r1)
	require.NoError(t, err)
	b, err := json.Marshal(r2)
	require.NoError(t, err)
	assert.Equal(t, string(a), string(b), "the same comparison gives the same bytes")
}

func TestJSONMovedCarriesDiff(t *testing.T) {
	old := "**H1.1** One.\n\n**H1.2** Two words.\n\n**H1.3** Three.\n"
	new := "**H1.1** One.\n\n**H1.3** Three.\n\n**H1.2** Two more words.\n"
	r := Compare(legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new)))
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var v struct {
		Blocks []struct {
			Kind  string            `json:"kind"`
			Pair  int               `json:"pair"`
			Lines []json.RawMessage `json:"lines"`
			Diff  []json.RawMessage `json:"diff"`
		} `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal(b, &v))
	var kinds []string
	for _, bl := range v.Blocks {
		kinds = append(kinds, bl.Kind)
		if bl.Kind == "moved" {
			assert.NotEmpty(t, bl.Diff)
			assert.Positive(t, bl.Pair)
		} else {
			assert.Empty(t, bl.Diff)
		}
	}
	assert.Equal(t, []string{"equal", "moved-away", "equal", "moved"}, kinds)
}

package index

import (
	"context"
	"testing"
)

// BenchmarkSearchIssue14 times what issue 14 added to a search: every word required (with
// the any-word answer when none has them all), "did you mean" for misspelt words, and the
// party facet counted without the chosen party (a second, facet-only search).
func BenchmarkSearchIssue14(b *testing.B) {
	c, m := sample(b)
	vis := public(c)
	queries := []Request{
		{Query: "within five working days"},
		{Query: "secuirty assesment"},
		{Query: "consent", Party: "small-supplier"},
		{Query: "security assessment", Party: "small-supplier"},
	}
	for _, q := range queries {
		q.Visible, q.Today = vis, today
		b.Run(q.Query+"/"+q.Party, func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

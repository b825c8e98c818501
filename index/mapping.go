// Package index is the search index of a code: one entry per distinct clause text with the
// dates it was in force, in a segment of our own (see segment.go), searched with filters
// for party category, document, category and date, with facets and highlighted snippets.
// bleve provides the analysis (tokenizer, stemmer) and the query-string parser.
package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Format is the version of the index layout; an index of another format is rebuilt.
const Format = "codenav-index-9"

const (
	analyzerName  = "legal"
	exactAnalyzer = "legal_exact"
)

// stopWords are English function words that carry no meaning in a search. Unlike bleve's
// English list it keeps "not", "no", "nor", "any", "all", "only", "each", "shall", "may" and
// "must": in legal text they change what a clause says.
func stopWords() []any {
	return []any{"a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from",
		"has", "have", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their",
		"then", "there", "these", "they", "this", "those", "to", "was", "were", "which", "will", "with"}
}

// Fields a query may name (the filters are the Request's, not the reader's query).
const (
	fClause  = "clause"  // the clause id as written
	fHeading = "heading" // the headings above the clause
	fText    = "text"    // the clause's sentences
	fTable   = "table"   // the rows of a clause's tables, apart from its sentences
	fExact   = "exact"   // the text lower-cased but not stemmed, for wildcard and regexp terms
)

// newMapping holds the analysers: the legal one (stemmed, stop words out) for text, table
// rows and headings, and the exact one (lower-cased words) for pattern terms.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomTokenMap("codenav_stop_words", map[string]any{
		"type": tokenmap.Name, "tokens": stopWords(),
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomTokenFilter("codenav_stop", map[string]any{
		"type": stop.Name, "stop_token_map": "codenav_stop_words",
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(exactAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{en.PossessiveName, lowercase.Name, "codenav_stop", en.SnowballStemmerName},
	}); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = analyzerName
	return im, nil
}

// newAnalysers returns the analysers of the indexed fields.
func newAnalysers() (analysers, error) {
	im, err := newMapping()
	if err != nil {
		return analysers{}, err
	}
	an := analysers{legal: im.AnalyzerNamed(analyzerName), exact: im.AnalyzerNamed(exactAnalyzer)}
	if an.legal == nil || an.exact == nil {
		return analysers{}, fmt.Errorf("index: analysers not registered")
	}
	return an, nil
}

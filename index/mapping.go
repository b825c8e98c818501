// Package index is the search index of a code: one bleve document per distinct clause text
// with the dates it was in force, searched with filters for party category, document,
// category and date, with facets and highlighted snippets.
package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Format is the version of the index layout; an index of another format is rebuilt.
const Format = "codenav-index-7"

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

// Fields of an indexed clause.
const (
	fCode           = "code" // in an index of several codes
	fDoc            = "doc"
	fCategory       = "category"
	fClassification = "classification"
	fParties        = "parties"
	fClause         = "clause"
	fHeading        = "heading"
	fText           = "text"
	fTable          = "table" // the rows of a clause's tables, apart from its sentences
	fExact          = "exact" // the text lower-cased but not stemmed, for wildcard and regexp terms
	fFrom           = "from"
	fTo             = "to"
	fVersionFrom    = "version_from"
	fVersionTo      = "version_to"
	fTitle          = "title"
	fApplies        = "applies"
	fInForce        = "in_force"
	fFacet          = "facet"
)

func newMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
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

	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.DocValues = false // only the facet field is read per match (see facets)
		return f
	}
	// Only the text keeps term vectors (for highlighting) and its stored copy (for
	// snippets); nothing goes into a composite _all field: queries name text and heading
	// themselves (see byField), and a copy of every posting would double the index.
	txt := func(vectors, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzerName
		f.Store = store
		f.IncludeTermVectors = vectors
		f.IncludeInAll = false
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fCode, kw(true))
	dm.AddFieldMappingsAt(fDoc, kw(true))
	dm.AddFieldMappingsAt(fCategory, kw(true))
	dm.AddFieldMappingsAt(fClassification, kw(true))
	dm.AddFieldMappingsAt(fParties, kw(true))
	dm.AddFieldMappingsAt(fClause, kw(true))
	dm.AddFieldMappingsAt(fHeading, txt(false, true))
	dm.AddFieldMappingsAt(fText, txt(true, true))
	dm.AddFieldMappingsAt(fTable, txt(false, false))
	exact := bleve.NewTextFieldMapping()
	exact.Analyzer = exactAnalyzer
	exact.Store = false
	exact.IncludeTermVectors = false
	exact.IncludeInAll = false
	dm.AddFieldMappingsAt(fExact, exact)
	dm.AddFieldMappingsAt(fFrom, num())
	dm.AddFieldMappingsAt(fTo, num())
	dm.AddFieldMappingsAt(fVersionFrom, stored())
	dm.AddFieldMappingsAt(fVersionTo, stored())
	dm.AddFieldMappingsAt(fTitle, stored())
	filter := bleve.NewKeywordFieldMapping() // searched only: not stored, no doc values
	filter.Analyzer = keyword.Name
	filter.Store, filter.IncludeInAll, filter.DocValues = false, false, false
	dm.AddFieldMappingsAt(fApplies, filter)
	dm.AddFieldMappingsAt(fInForce, filter)
	facet := kw(false)
	facet.DocValues = true
	dm.AddFieldMappingsAt(fFacet, facet)
	im.DefaultMapping = dm
	im.DefaultField = fText
	return im, nil
}

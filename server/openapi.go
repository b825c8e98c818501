package server

import (
	"codenav/corpus"
	"codenav/legaltext"
)

// The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json. It is written as a Go
// value so that the compiler checks its shape, and server/openapi_test.go checks it against
// the router and against real responses: every /api/v1 route must be described here, with
// an example for each path parameter and each required query parameter.

type oa = map[string]any

func oaStr(desc string) oa { return oa{"type": "string", "description": desc} }
func oaDate(desc string) oa {
	return oa{"type": "string", "format": "date", "description": desc}
}
func oaInt(desc string) oa  { return oa{"type": "integer", "description": desc} }
func oaBool(desc string) oa { return oa{"type": "boolean", "description": desc} }
func oaEnum(desc string, vals ...string) oa {
	return oa{"type": "string", "enum": vals, "description": desc}
}
func oaArr(items oa) oa { return oa{"type": "array", "items": items} }
func oaStrs(desc string) oa {
	return oa{"type": "array", "items": oa{"type": "string"}, "description": desc}
}
func oaRef(name string) oa { return oa{"$ref": "#/components/schemas/" + name} }
func oaMap(values oa) oa   { return oa{"type": "object", "additionalProperties": values} }
func oaNullable(s oa) oa   { s["nullable"] = true; return s }

// oaOpen allows properties beyond those described (a format that says new fields may come).
func oaOpen(s oa) oa { s["additionalProperties"] = true; return s }

// oaObj is an object with the given properties; those named in required are always present,
// the others only when they have a value.
func oaObj(props oa, required ...string) oa {
	o := oa{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// oaParam is a parameter; example is what the contract test sends.
func oaParam(in, name, desc string, required bool, schema oa, example string) oa {
	p := oa{"name": name, "in": in, "description": desc, "required": required, "schema": schema}
	if example != "" {
		p["example"] = example
	}
	return p
}

func oaPath(name, desc, example string) oa {
	return oaParam("path", name, desc, true, oa{"type": "string"}, example)
}

func oaQuery(name, desc string, schema oa) oa { return oaParam("query", name, desc, false, schema, "") }

func oaJSON(desc string, schema oa) oa {
	return oa{"description": desc, "content": oa{"application/json": oa{"schema": schema}}}
}

// oaGet describes a GET operation answering 200 with schema, and the errors it may give.
func oaGet(id, summary string, params []oa, ok oa, errors ...int) oa {
	resp := oa{"200": ok}
	for _, code := range errors {
		switch code {
		case 400:
			resp["400"] = oaJSON("A parameter is wrong; the message names it.", oaRef("Error"))
		case 404:
			resp["404"] = oaJSON("No such thing, or one the reader may not see.", oaRef("Error"))
		case 503:
			resp["503"] = oaJSON("The search index is being built, or the search took too long.", oaRef("Error"))
		}
	}
	op := oa{"operationId": id, "summary": summary, "responses": resp}
	if len(params) > 0 {
		op["parameters"] = params
	}
	return oa{"get": op}
}

func openAPISpec(code *corpus.Code) oa {
	parties := append([]string{}, code.PartyIDs()...)
	roles := code.RoleIDs()
	var cats []string
	for _, c := range code.Categories {
		cats = append(cats, c.ID)
	}
	partyQ := func(desc string) oa { return oaQuery("party", desc, oaEnum("", parties...)) }
	roleQ := oaQuery("role", "Only clauses that concern this User Role (clauses that name no role concern every role).", oaEnum("", roles...))
	atQ := oaQuery("at", "The date whose text is read (default today).", oa{"type": "string", "format": "date"})
	versionQ := oaQuery("version", "That version (not together with at).", oa{"type": "string"})
	categoryQ := oaQuery("category", "Only documents of this document category.", oaEnum("", cats...))

	schemas := oa{
		"Error": oaObj(oa{"error": oaStr("What is wrong; for a bad parameter, starts with its name.")}, "error"),
		"DocumentSummary": oaObj(oa{
			"id": oaStr("Document id."), "title": oaStr(""), "reference": oaStr("How other documents cite it."),
			"category": oaEnum("Document category.", cats...), "classification": oaStr(""), "parties": oaStrs("Default applicability."),
			"version": oaStr("Version in force today."), "effective": oaDate(""), "release": oaStr(""),
			"status": oaEnum("", "in force", "prospective"), "versions": oaInt("Number of versions."),
			"related": oaStrs("Related document ids."), "url": oaStr("Page of the document."),
		}, "id", "title", "category", "classification", "parties", "status", "versions", "related", "url"),
		"Version": oaObj(oa{
			"version": oaStr(""), "effective": oaDate(""), "until": oaDate("Last day in force."),
			"status": oaEnum("", "in force", "superseded", "prospective"), "release": oaStr(""),
			"modifications": oaStrs(""), "url": oaStr(""),
		}, "version", "effective", "status", "modifications", "url"),
		"Part": oaObj(oa{"id": oaStr(""), "title": oaStr(""), "level": oaInt("Heading level."), "parties": oaStrs("")},
			"id", "title", "level", "parties"),
		"Clause": oaObj(oa{
			"id": oaStr("Clause number."), "heading": oaStr("Innermost heading above it."), "path": oaStrs("Every heading above it."),
			"part": oaStr(""), "parties": oaStrs("Applicability after inheritance."), "text": oaStr("Plain text without the number."),
			"url":         oaStr(""),
			"duties":      oaArr(oaRef("Duty")),
			"proposed_by": oaStrs("Modifications still open, or approved and not yet in force, whose legal text changes this clause."),
		}, "id", "heading", "path", "parties", "text", "url", "duties"),
		"Duty": oaObj(oa{
			"clause":    oaStr("The clause or sub-paragraph that states it."),
			"bearers":   oaStrs("Party category ids, User Role ids, party (any Party), user (any User) or a body."),
			"subject":   oaStr("The subject as written."),
			"kind":      oaEnum("", "obligation", "prohibition", "permission", "condition"),
			"action":    oaStr(""),
			"deadline":  oaStr(""),
			"condition": oaStr(""),
			"override":  oaBool("Set by a duties attribute in the corpus."),
		}, "clause", "bearers", "kind"),
		"Coming": oaObj(oa{
			"versions": oaArr(oaObj(oa{"version": oaStr(""), "effective": oaDate(""), "release": oaStr(""),
				"compare": oaStr("The redline from the version shown.")}, "version", "effective", "compare")),
			"modifications": oaArr(oaObj(oa{"id": oaStr(""), "title": oaStr(""), "stage": oaStr(""), "status": oaStr(""),
				"url": oaStr(""), "redline": oaStr("Its legal text for this document, if any."),
				"changes":    oaStrs("Clauses of the version shown that its legal text changes."),
				"adds":       oaStrs("Clauses its legal text adds."),
				"in_version": oaStr("The prospective version that carries it, if any.")}, "id", "title", "stage", "status", "url", "changes", "adds")),
		}, "versions", "modifications"),
		"Document": oaObj(oa{
			"id": oaStr(""), "title": oaStr(""), "reference": oaStr(""), "category": oaEnum("", cats...), "classification": oaStr(""),
			"parties": oaStrs(""), "related": oaStrs(""), "version": oaStr(""), "effective": oaDate(""), "until": oaDate(""),
			"status": oaEnum("", "in force", "superseded", "prospective"), "release": oaStr(""), "modifications": oaStrs(""),
			"url": oaStr(""), "parts": oaArr(oaRef("Part")), "clauses": oaArr(oaRef("Clause")),
			"coming": oaRef("Coming"),
		}, "id", "title", "category", "classification", "parties", "related", "version", "effective", "status", "modifications", "url", "parts", "clauses", "coming"),
		"Release": oaObj(oa{
			"id": oaStr(""), "name": oaStr(""), "date": oaDate(""), "kind": oaEnum("", "scheduled", "ad-hoc"),
			"systems": oaBool("A Systems Release."), "modifications": oaStrs(""), "summary": oaStr(""),
			"prospective": oaBool("Effective after today."),
			"documents":   oaArr(oaObj(oa{"id": oaStr(""), "title": oaStr(""), "version": oaStr(""), "url": oaStr("")}, "id", "title", "version", "url")),
			"url":         oaStr(""),
		}, "id", "name", "date", "kind", "systems", "modifications", "prospective", "documents", "url"),
		"Modification": oaObj(oa{
			"id": oaStr(""), "title": oaStr(""), "type": oaEnum("", "draft-proposal", "modification-proposal"),
			"path": oaStr(""), "stage": oaStr(""), "status": oaEnum("", "open", "approved", "rejected", "withdrawn"),
			"proposer": oaStr(""), "lead_analyst": oaStr(""), "raised": oaDate(""), "decided": oaDate(""), "implemented": oaDate(""),
			"release": oaStr(""), "parties": oaStrs("Who is impacted."), "documents": oaStrs("Documents affected."),
			"issue": oaStr(""), "solution": oaStr(""),
			"timeline": oaArr(oaObj(oa{"date": oaDate(""), "event": oaStr("")}, "date", "event")),
			"sample":   oaBool("An entry invented for the illustrative register."),
		}, "id", "title", "type", "stage", "status", "parties", "documents", "timeline"),
		"Stats": oaObj(oa{
			"from": oaDate(""), "to": oaDate(""), "open_at_start": oaInt(""), "raised": oaInt(""), "concluded": oaInt(""),
			"approved": oaInt(""), "rejected": oaInt(""), "withdrawn": oaInt(""), "open_at_end": oaInt(""),
			"by_month": oaNullable(oaArr(oaObj(oa{"month": oaStr("YYYY-MM"), "raised": oaInt(""), "cumulative": oaInt("")}, "month", "raised", "cumulative"))),
		}, "from", "to", "open_at_start", "raised", "concluded", "approved", "rejected", "withdrawn", "open_at_end", "by_month"),
		"SearchResult": oaObj(oa{
			"total": oaInt(""), "page": oaInt(""), "size": oaInt(""),
			"hits": oaNullable(oaArr(oaObj(oa{
				"doc": oaStr(""), "title": oaStr(""), "clause": oaStr(""), "heading": oaStr(""),
				"snippet": oaStr("HTML: the clause text escaped, matched words in <mark>."), "version": oaStr(""),
				"version_from": oaStr(""), "from": oaDate(""), "to": oaDate(""), "parties": oaStrs(""),
				"score": oa{"type": "number"}, "versions": oaInt(""),
			}, "doc", "title", "clause", "heading", "snippet", "version", "version_from", "from", "parties", "score", "versions"))),
			"facets":       oaNullable(oaMap(oaArr(oaObj(oa{"value": oaStr(""), "count": oaInt("")}, "value", "count")))),
			"did_you_mean": oaStr("The query with misspelt words corrected from the words of the documents the reader may see, when that finds something."),
			"any_word":     oaBool("No clause has every word of the query: the hits have some of them."),
			"goto":         oaStr("The page the query names (a modification id such as MP140), when the reader may see it."),
		}, "total", "page", "size", "hits", "facets"),
		"Citation": oaObj(oa{
			"ref": oaStr("The reference as written."), "doc": oaStr(""), "title": oaStr(""),
			"version": oaStr("The version in force on the date read."), "anchor": oaStr("Clause or part id; absent for a whole document."),
			"url": oaStr(""),
		}, "ref", "doc", "title", "version", "url"),
		"Control": oaObj(oa{
			"id": oaStr("Clause number."), "title": oaStr("The clause's first sentence, shortened."),
			"heading": oaStr("The heading above it."), "part": oaStr(""), "parties": oaStrs("Party categories it applies to."),
			"roles": oaStrs(`User Roles it concerns ("all" when it names none).`), "text": oaStr(""),
			"cites": oaArr(oaRef("Citation")), "url": oaStr(""),
		}, "id", "title", "heading", "parties", "roles", "text", "cites", "url"),
		"FrameworkSummary": oaObj(oa{
			"id": oaStr(""), "title": oaStr(""), "reference": oaStr(""), "category": oaEnum("", cats...),
			"version": oaStr(""), "effective": oaDate(""), "controls": oaInt("Controls in force today."), "url": oaStr(""),
		}, "id", "title", "category", "controls", "url"),
		"Framework": oaObj(oa{
			"id": oaStr(""), "title": oaStr(""), "reference": oaStr(""), "category": oaEnum("", cats...),
			"version": oaStr(""), "effective": oaDate(""), "status": oaEnum("", "in force", "superseded", "prospective"),
			"party": oaStr(""), "role": oaStr(""), "total": oaInt(""), "controls": oaArr(oaRef("Control")), "url": oaStr(""),
		}, "id", "title", "category", "version", "effective", "status", "total", "controls", "url"),
		"CitedBy": oaObj(oa{
			"doc": oaStr(""), "version": oaStr(""), "effective": oaDate(""),
			"clauses": oaArr(oaObj(oa{
				"id": oaStr("Clause or part id."),
				"cited_by": oaArr(oaObj(oa{
					"doc": oaStr(""), "title": oaStr(""), "id": oaStr("Control id."), "control": oaStr("Control title."),
					"version": oaStr(""), "url": oaStr(""),
				}, "doc", "title", "id", "control", "version", "url")),
			}, "id", "cited_by")),
		}, "doc", "version", "effective", "clauses"),
		"Obligation": oaObj(oa{
			"doc": oaStr(""), "doc_title": oaStr(""), "category": oaEnum("", cats...), "version": oaStr(""), "effective": oaDate(""),
			"part": oaStr(""), "part_title": oaStr(""), "id": oaStr("The clause."),
			"clause":    oaStr("The clause or sub-paragraph that states the duty (H1.15(a))."),
			"heading":   oaStr(""),
			"kind":      oaEnum("none for a clause that states no duty (only with others=1).", "obligation", "prohibition", "permission", "condition", "none"),
			"bearers":   oaStrs("Who bears it: party category ids, User Role ids, party (any Party), user (any User) or a body (panel, code-administrator, ...)."),
			"mine":      oaBool("The party asked for (or its role) bears it."),
			"subject":   oaStr("The subject as written."),
			"action":    oaStr("What the bearer must, must not or may do."),
			"deadline":  oaStr("A time limit, if any (within five Working Days ...)."),
			"condition": oaStr("When the duty applies, if stated (Where ..., unless ...)."),
			"override":  oaBool("Set by the corpus rather than read from the text."),
			"parties":   oaStrs(""), "roles": oaStrs(""), "text": oaStr("The clause's text."), "url": oaStr("The clause (or sub-paragraph)."),
			"history": oaStr("The document's history page."),
		}, "doc", "doc_title", "category", "version", "effective", "id", "clause", "heading", "kind", "bearers", "mine", "parties",
			"roles", "text", "url", "history"),
		"Obligations": oaObj(oa{
			"party": oaStr(""), "role": oaStr(""), "at": oaDate(""), "others": oaBool("Duties of others that name the party, and clauses that state no duty, are included."),
			"total": oaInt(""), "counts": oaArr(oaObj(oa{"kind": oaStr(""), "count": oaInt("")}, "kind", "count")),
			"duties": oaArr(oaRef("Obligation")),
		}, "party", "role", "at", "others", "total", "counts", "duties"),
		"Dashboard": oaObj(oa{
			"party": oaStr(""), "party_name": oaStr(""), "at": oaDate(""), "total": oaInt("Duties the party bears today."),
			"counts": oaArr(oaObj(oa{"kind": oaStr(""), "count": oaInt("")}, "kind", "count")),
			"documents": oaArr(oaObj(oa{"doc": oaStr(""), "title": oaStr(""), "total": oaInt(""),
				"counts": oaArr(oaObj(oa{"kind": oaStr(""), "count": oaInt("")}, "kind", "count")), "url": oaStr("")},
				"doc", "title", "total", "counts", "url")),
			"last_release": oaNullable(oaRef("DashboardRelease")), "next_release": oaNullable(oaRef("DashboardRelease")),
			"deadlines": oaArr(oaObj(oa{"duty": oaRef("Obligation"),
				"from": oaDate("Set when the duty comes with the next release: its date.")}, "duty")),
			"obligations_url": oaStr(""), "changes_url": oaStr(""), "feed_url": oaStr(""),
		}, "party", "party_name", "at", "total", "counts", "documents", "last_release", "next_release", "deadlines", "obligations_url", "changes_url", "feed_url"),
		"DashboardRelease": oaObj(oa{"id": oaStr(""), "name": oaStr(""), "date": oaDate(""), "total": oaInt(""),
			"changes": oaArr(oaRef("Change")), "url": oaStr(""), "changes_url": oaStr("")},
			"id", "name", "date", "total", "changes", "url", "changes_url"),
		"Change": oaObj(oa{
			"doc": oaStr(""), "doc_title": oaStr(""), "kind": oaEnum("", "added", "changed", "deleted"), "id": oaStr(""),
			"heading": oaStr(""), "old_version": oaStr(""), "new_version": oaStr(""), "old_text": oaStr(""), "new_text": oaStr(""),
			"parties":               oaStrs("Applicability in the new version (the old one for a deleted clause)."),
			"applicability_changed": oaBool("Party categories or roles changed."), "releases": oaStrs("Releases in the period that changed the document."),
			"old_url": oaStr(""), "new_url": oaStr(""), "redline": oaStr("Where the redline of the document is shown."),
		}, "doc", "doc_title", "kind", "id", "heading", "parties", "applicability_changed", "releases", "redline"),
		"Changes": oaObj(oa{
			"party": oaStr(""), "role": oaStr(""), "doc": oaStr(""), "from": oaDate(""), "to": oaDate(""), "total": oaInt(""),
			"changes": oaArr(oaRef("Change")),
		}, "party", "role", "doc", "from", "to", "total", "changes"),
		"RedlineCounts": oaObj(oa{"added": oaInt(""), "deleted": oaInt(""), "changed": oaInt(""), "moved": oaInt(""),
			"renumbered": oaInt(""), "unchanged": oaInt("")}, "added", "deleted", "changed", "moved", "renumbered", "unchanged"),
		"RedlineLine": oaOpen(oaObj(oa{
			"kind":  oaEnum("", "equal", "inserted", "deleted", "changed"),
			"style": oaEnum("", "paragraph", "heading", "item", "row"), "level": oaInt(""),
			"ops": oaArr(oaObj(oa{"op": oaEnum("", "equal", "insert", "delete"), "text": oaStr("")}, "op", "text")),
		}, "kind", "style", "ops")),
		"RedlineBlock": oaOpen(oaObj(oa{
			"change": oaInt("1, 2, ... for each block that is not equal."),
			"kind":   oaEnum("", "equal", "inserted", "deleted", "changed", "renumbered", "moved", "moved-away"),
			"old_id": oaStr(""), "new_id": oaStr(""), "node": oaEnum("", "heading", "clause", "block"), "level": oaInt(""),
			"wording": oaBool("The words changed, not only the layout."), "pair": oaInt("Moved blocks: the change number of the other half."),
			"lines": oaArr(oaRef("RedlineLine")), "diff": oaArr(oaRef("RedlineLine")),
		}, "kind", "node", "wording", "lines")),
		"Redline": oaOpen(oaObj(oa{
			"format": oaStr("codenav-redline/1"),
			"summary": oaObj(oa{"clauses": oaRef("RedlineCounts"), "blocks": oaRef("RedlineCounts"),
				"changes": oaRef("RedlineCounts")}, "clauses", "blocks", "changes"),
			"changes": oaArr(oaObj(oa{
				"change": oaInt("The number of the block the change is in."),
				"line":   oaInt("A changed table row of a changed clause (a definition): its line in the block, from 1. Each such row is a change of its own."),
				"kind":   oaEnum("", "inserted", "deleted", "changed", "renumbered", "moved", "moved-away"),
				"label":  oaStr("The block's id, or its first words."), "term": oaStr("A row: its first cell (the term a definition defines)."),
				"anchor": oaStr("Its id in the HTML redline."),
			}, "change", "kind", "label", "anchor")),
			"blocks": oaArr(oaRef("RedlineBlock")),
		}, "format", "summary", "changes", "blocks")),
		"Term": oaObj(oa{
			"term": oaStr(""), "definition": oaStr("Empty for a term defined inline."),
			"defined_in": oaObj(oa{"doc": oaStr(""), "title": oaStr(""), "version": oaStr(""), "clause": oaStr(""),
				"anchor": oaStr(""), "url": oaStr("")}, "doc", "title", "version", "anchor", "url"),
			"uses": oaInt("Clauses that use it."),
			"used_in": oaArr(oaObj(oa{"doc": oaStr(""), "title": oaStr(""), "version": oaStr(""), "clauses": oaStrs(""),
				"url": oaStr("")}, "doc", "title", "version", "clauses", "url")),
		}, "term", "definition", "defined_in", "uses", "used_in"),
	}

	paths := oa{
		"/api/v1/documents": oaGet("listDocuments", "Every document with the version in force today.",
			[]oa{categoryQ}, oaJSON("The documents.", oaObj(oa{"documents": oaArr(oaRef("DocumentSummary"))}, "documents")), 400),
		"/api/v1/documents/{id}": oaGet("getDocument", "One version of a document with its parts and clauses.",
			[]oa{oaPath("id", "Document id.", "section-h"), atQ, versionQ, partyQ("Only the clauses that apply to this party category.")},
			oaJSON("The version.", oaRef("Document")), 400, 404),
		"/api/v1/documents/{id}/versions": oaGet("listVersions", "Every version of a document.",
			[]oa{oaPath("id", "Document id.", "section-h")},
			oaJSON("The versions.", oaObj(oa{"id": oaStr(""), "versions": oaArr(oaRef("Version"))}, "id", "versions")), 404),
		"/api/v1/releases": oaGet("listReleases", "Every release.", nil,
			oaJSON("The releases.", oaObj(oa{"releases": oaArr(oaRef("Release"))}, "releases"))),
		"/api/v1/releases/{id}": oaGet("getRelease", "One release.", []oa{oaPath("id", "Release id.", "2019-11")},
			oaJSON("The release.", oaRef("Release")), 404),
		"/api/v1/modifications": oaGet("listModifications", "The modification register, filtered and sorted.",
			[]oa{
				oaQuery("type", "", oaEnum("", "draft-proposal", "modification-proposal")),
				oaQuery("stage", "", oaEnum("", "development", "refinement", "report", "change-board", "decision", "implemented", "closed")),
				oaQuery("status", "", oaEnum("", "open", "approved", "rejected", "withdrawn")),
				partyQ("Only modifications that impact this party category."),
				oaQuery("doc", "Only modifications that affect this document.", oa{"type": "string"}),
				oaQuery("release", "Only modifications implemented by this release.", oa{"type": "string"}),
				oaQuery("q", "Words of the id or title.", oa{"type": "string"}),
				oaQuery("sort", "Sort key, - first for descending (default -raised).", oa{"type": "string"}),
			},
			oaJSON("The modifications.", oaObj(oa{"total": oaInt(""), "modifications": oaArr(oaRef("Modification"))}, "total", "modifications")), 400),
		"/api/v1/modifications/stats": oaGet("modificationStats", "Counts of modifications raised and concluded in a period, by month.",
			[]oa{oaQuery("from", "Start of the period (with to; default the current regulatory year).", oa{"type": "string", "format": "date"}),
				oaQuery("to", "End of the period.", oa{"type": "string", "format": "date"}),
				oaQuery("format", "json (default) or csv.", oaEnum("", "json", "csv"))},
			oa{"description": "The statistics.", "content": oa{"application/json": oa{"schema": oaRef("Stats")}, "text/csv": oa{"schema": oa{"type": "string"}}}}, 400),
		"/api/v1/modifications/{id}": oaGet("getModification", "One modification.", []oa{oaPath("id", "Modification id.", "SECMP0049")},
			oaJSON("The modification.", oaRef("Modification")), 404),
		"/api/v1/search": oaGet("search", "Full-text search over the clauses the reader may see.",
			[]oa{
				oaQuery("q", "Words, \"a phrase\", +required, -excluded, prefix*, or a clause reference.", oa{"type": "string"}),
				partyQ("Only clauses that apply to this party category."), categoryQ,
				oaQuery("doc", "Only this document.", oa{"type": "string"}),
				oaQuery("at", "YYYY-MM-DD (default today) or all (every version).", oa{"type": "string"}),
				oaQuery("page", "Page number, from 1.", oa{"type": "integer"}),
				oaQuery("size", "Hits per page (at most 100).", oa{"type": "integer"}),
			},
			oaJSON("A page of hits with facets.", oaRef("SearchResult")), 400, 503),
		"/api/v1/parties/{id}": oaGet("partyDashboard", "A party category's dashboard: its duties counted by kind and document, what the latest and the next release change for it, its deadlines.",
			[]oa{oaPath("id", "Party category.", "small-supplier")},
			oaJSON("The dashboard.", oaRef("Dashboard")), 404),
		"/api/v1/suggest": oaGet("suggest", "Clauses, parts, defined terms and documents whose id or name (or a later word of it) starts with q, among those the reader may see; at most 10.",
			[]oa{oaParam("query", "q", "What has been typed (at most 100 characters).", true, oa{"type": "string"}, "secur")},
			oaJSON("The suggestions.", oaObj(oa{"q": oaStr(""), "suggestions": oaArr(oaObj(oa{
				"kind": oaEnum("", "clause", "part", "term", "document"), "label": oaStr(""), "detail": oaStr(""), "url": oaStr(""),
			}, "kind", "label", "detail", "url"))}, "q", "suggestions")), 400),
		"/api/v1/frameworks": oaGet("listFrameworks", "The control frameworks and Agreed Interpretations, with their controls in force today.", nil,
			oaJSON("The documents.", oaObj(oa{"frameworks": oaArr(oaRef("FrameworkSummary"))}, "frameworks"))),
		"/api/v1/frameworks/{id}": oaGet("getFramework", "The controls of a framework or the Agreed Interpretations, filtered.",
			[]oa{oaPath("id", "Document id of a framework or interpretation document.", "scf"),
				partyQ("Only controls that apply to this party category."), roleQ, atQ, versionQ},
			oaJSON("The controls.", oaRef("Framework")), 400, 404),
		"/api/v1/cited-by": oaGet("citedBy", "The controls and interpretations that cite each clause of a document.",
			[]oa{oaParam("query", "doc", "Document id.", true, oa{"type": "string"}, "section-g"), atQ, versionQ},
			oaJSON("The cited clauses.", oaRef("CitedBy")), 400, 404),
		"/api/v1/obligations": oaGet("obligations", "The duties a party category (and User Role) bears in the text in force.",
			[]oa{oaParam("query", "party", "Party category.", true, oaEnum("", parties...), "large-supplier"), roleQ, categoryQ, atQ,
				oaQuery("others", "1: also duties of others that name the party, and clauses that state no duty.", oaEnum("", "0", "1"))},
			oaJSON("The duties.", oaRef("Obligations")), 400),
		"/api/v1/changes": oaGet("changes", "Clauses added, changed or deleted between two dates.",
			[]oa{partyQ("Only clauses that apply to this party category (in either version)."), roleQ,
				oaQuery("doc", "Only this document.", oa{"type": "string"}),
				oaQuery("from", "A date or a release id: the text in force then (default the day before the latest release).", oa{"type": "string"}),
				oaQuery("to", "A date or a release id (default today).", oa{"type": "string"})},
			oaJSON("The changes.", oaRef("Changes")), 400),
		"/api/v1/terms": oaGet("terms", "Every defined term in force today, where it is defined and where it is used.",
			[]oa{oaQuery("q", "Only terms that contain these letters (any case).", oa{"type": "string"})},
			oaJSON("The terms.", oaObj(oa{"at": oaDate(""), "total": oaInt(""), "terms": oaArr(oaRef("Term"))}, "at", "total", "terms"))),
		"/api/v1/compare": oaGet("compare", "The redline of two versions of a document (the JSON form of legaltext/redline; new fields may be added).",
			[]oa{oaParam("query", "doc", "Document id.", true, oa{"type": "string"}, "section-h"),
				oaQuery("from", "Old version number (default the version before to).", oa{"type": "string"}),
				oaQuery("to", "New version number (default the version in force).", oa{"type": "string"}),
				oaQuery("format", "json (default), html (a standalone page) or docx (tracked changes).", oaEnum("", "json", "html", "docx"))},
			oa{"description": "The redline.", "content": oa{"application/json": oa{"schema": oaRef("Redline")},
				"text/html": oa{"schema": oa{"type": "string"}},
				"application/vnd.openxmlformats-officedocument.wordprocessingml.document": oa{"schema": oa{"type": "string", "format": "binary"}}}},
			400, 404),
		"/api/v1/redline": oa{"post": oa{"operationId": "redline", "summary": "The redline of two texts sent in the request.",
			"requestBody": oa{"required": true, "content": oa{"application/json": oa{"schema": oaObj(oa{
				"old": oaStr("Markdown in the corpus format (or plain text with plain)."), "new": oaStr(""),
				"format": oaEnum("", "json", "html", "docx"), "plain": oaBool("The texts are plain text, not Markdown."),
				"numbering": oaEnum("The numbering scheme both texts are read in (default sec).", append([]string{"detect"}, legaltext.SchemeNames()...)...),
			}, "old", "new")}}},
			"responses": oa{"200": oaJSON("The redline (html and docx as for /api/v1/compare).", oaRef("Redline")),
				"400": oaJSON("The body is not the JSON expected.", oaRef("Error")),
				"413": oaJSON("The body is over 5 MiB, or a text is past an input limit.", oaRef("Error")),
				"503": oaJSON("Busy with other large requests, or past the time budget (see Retry-After).", oaRef("Error"))}}},
		"/api/v1/openapi.json": oaGet("openapi", "This description.", nil,
			oaJSON("An OpenAPI 3.0 document.", oa{"type": "object"})),
	}

	return oa{
		"openapi": "3.0.3",
		"info": oa{
			"title":       "codenav API: " + code.Title,
			"version":     "1",
			"description": "The JSON twin of every page of the site. A reader sees only the documents it may see: a restricted document answers 404 as one that does not exist. Dates are YYYY-MM-DD. See docs/api.md.",
		},
		"servers":    []oa{{"url": "/"}},
		"paths":      paths,
		"components": oa{"schemas": schemas},
	}
}

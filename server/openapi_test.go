package server

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The API contract: server/openapi.go describes every /api/v1 route, the router serves every
// route it describes, real responses validate against the schemas, and docs/api.md describes
// every path.

// apiSpec fetches the served description.
func apiSpec(t *testing.T, s *Server) map[string]any {
	t.Helper()
	w := get(t, s, "/api/v1/openapi.json")
	require.Equal(t, 200, w.Code)
	var spec map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &spec))
	require.Equal(t, "3.0.3", spec["openapi"])
	return spec
}

var ginParamRE = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// openAPIPath turns a gin route ("/api/v1/documents/:id") into an OpenAPI path
// ("/api/v1/documents/{id}").
func openAPIPath(route string) string { return ginParamRE.ReplaceAllString(route, "{$1}") }

func specPaths(spec map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for p, item := range spec["paths"].(map[string]any) {
		out[p] = item.(map[string]any)
	}
	return out
}

func TestOpenAPICoversTheRouter(t *testing.T) {
	s := testServer(t)
	paths := specPaths(apiSpec(t, s))
	routes := map[string]bool{}
	for _, r := range s.engine.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		p, m := openAPIPath(r.Path), strings.ToLower(r.Method)
		routes[m+" "+p] = true
		if _, ok := paths[p][m]; !ok {
			t.Error(missingRouteMessage(r.Method, r.Path))
		}
	}
	for p, item := range paths {
		for m := range item {
			if !routes[m+" "+p] {
				t.Errorf("the OpenAPI document (server/openapi.go) describes %s %s but the router has no such route: register it or remove it from openAPISpec",
					strings.ToUpper(m), p)
			}
		}
	}
	assert.Greater(t, len(routes), 15)
}

// missingRouteMessage tells whoever adds a route what to add to the description.
func missingRouteMessage(method, route string) string {
	p := openAPIPath(route)
	var ps []string
	for _, x := range ginParamRE.FindAllStringSubmatch(route, -1) {
		ps = append(ps, fmt.Sprintf("oaPath(%q, \"...\", \"<an id that exists in corpus/sec>\"), ", x[1]))
	}
	op := fmt.Sprintf("oaGet(\"<operationId>\", \"<summary>\", []oa{%s<query parameters: oaQuery(...), or oaParam(\"query\", name, desc, true, schema, \"<example>\") when required>}, oaJSON(\"<description>\", <schema of the 200 body, e.g. oaRef(\"<a schema added to schemas>\")>), <error statuses such as 400, 404>)",
		strings.Join(ps, ""))
	if method != http.MethodGet {
		op = fmt.Sprintf("oa{%q: oa{\"operationId\": \"<operationId>\", \"summary\": \"<summary>\", \"requestBody\": oa{\"content\": oa{\"application/json\": oa{\"schema\": <schema>}}}, \"responses\": oa{\"200\": oaJSON(\"<description>\", <schema>)}}}",
			strings.ToLower(method))
	}
	return fmt.Sprintf("route %s %s is not described in the OpenAPI document.\n"+
		"Add it to the paths in openAPISpec (server/openapi.go):\n\t%q: %s,\n"+
		"(a path with several methods is one oa{} with a key per method; for a GET, give every path parameter and every required query parameter an example: the contract test requests it and validates the answer against the schema),\n"+
		"and describe it in docs/api.md under a heading \"## %s %s\".", method, route, p, op, method, p)
}

func TestAPIDocsDescribeEveryPath(t *testing.T) {
	s := testServer(t)
	doc, err := os.ReadFile("../docs/api.md")
	require.NoError(t, err)
	for p, item := range specPaths(apiSpec(t, s)) {
		for m := range item {
			want := strings.ToUpper(m) + " " + p
			if !strings.Contains(string(doc), want) {
				t.Errorf("docs/api.md does not describe %s: add a section \"## %s\" with its parameters and an example response (it is in openapi.json)", want, want)
			}
		}
	}
}

// exampleURL builds a request for an operation from the examples of its parameters.
func exampleURL(t *testing.T, path string, op map[string]any) string {
	t.Helper()
	q := url.Values{}
	params, _ := op["parameters"].([]any)
	for _, x := range params {
		p := x.(map[string]any)
		name, in := p["name"].(string), p["in"].(string)
		ex, hasEx := p["example"].(string)
		switch {
		case in == "path":
			if !assert.True(t, hasEx, "path parameter %s of GET %s has no example: give it one in server/openapi.go (oaPath's last argument)", name, path) {
				continue
			}
			path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(ex))
		case p["required"] == true:
			if assert.True(t, hasEx, "required query parameter %s of GET %s has no example: give it one in server/openapi.go (oaParam's last argument)", name, path) {
				q.Set(name, ex)
			}
		}
	}
	if len(q) > 0 {
		return path + "?" + q.Encode()
	}
	return path
}

// responseSchema is the schema of the JSON body of an operation's response with status.
func responseSchema(op map[string]any, status int) (map[string]any, bool) {
	r, ok := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if !ok {
		return nil, false
	}
	content, ok := r["content"].(map[string]any)["application/json"].(map[string]any)
	if !ok {
		return nil, false
	}
	return content["schema"].(map[string]any), true
}

// extraExamples exercise optional parameters and fields the plain examples leave out; each
// names the path of the description it answers to.
var extraExamples = []struct{ path, url string }{
	{"/api/v1/documents", "/api/v1/documents?category=section"},
	{"/api/v1/documents/{id}", "/api/v1/documents/section-h?version=1.0"},
	{"/api/v1/documents/{id}", "/api/v1/documents/section-h?version=4.0&party=dcc"},
	{"/api/v1/modifications", "/api/v1/modifications?status=approved&sort=-decided"},
	{"/api/v1/modifications/stats", "/api/v1/modifications/stats?from=2019-04-01&to=2020-03-31"},
	{"/api/v1/search", "/api/v1/search?q=user+entry&party=small-supplier"},
	{"/api/v1/search", "/api/v1/search?q=G3.20&at=all"},
	{"/api/v1/frameworks/{id}", "/api/v1/frameworks/scf?party=large-supplier&role=import-supplier&at=2019-10-01"},
	{"/api/v1/frameworks/{id}", "/api/v1/frameworks/agreed-interpretations?version=1.0"},
	{"/api/v1/cited-by", "/api/v1/cited-by?doc=section-i&at=2020-03-01"},
	{"/api/v1/obligations", "/api/v1/obligations?party=other&role=other-user&category=framework&at=2019-10-01"},
	{"/api/v1/changes", "/api/v1/changes?party=large-supplier&from=2019-01-01&to=2030-01-01"},
	{"/api/v1/changes", "/api/v1/changes?doc=section-h&from=2019-09-adhoc&to=2019-11"},
	{"/api/v1/terms", "/api/v1/terms?q=user"},
}

// errorExamples are requests that must fail with a documented status and the Error schema.
var errorExamples = []struct {
	path, url string
	status    int
}{
	{"/api/v1/documents/{id}", "/api/v1/documents/nope", 404},
	{"/api/v1/documents/{id}", "/api/v1/documents/section-h?at=x", 400},
	{"/api/v1/frameworks/{id}", "/api/v1/frameworks/section-h", 404},
	{"/api/v1/frameworks/{id}", "/api/v1/frameworks/scf?role=x", 400},
	{"/api/v1/obligations", "/api/v1/obligations", 400},
	{"/api/v1/changes", "/api/v1/changes?from=later", 400},
	{"/api/v1/cited-by", "/api/v1/cited-by", 400},
	{"/api/v1/modifications/stats", "/api/v1/modifications/stats?from=2020-01-01", 400},
}

func TestOpenAPIExamplesValidate(t *testing.T) {
	s := testServer(t)
	spec := apiSpec(t, s)
	paths := specPaths(spec)
	check := func(path, target string, status int) {
		t.Helper()
		op, ok := paths[path]["get"].(map[string]any)
		require.True(t, ok, "no GET %s in the description", path)
		schema, ok := responseSchema(op, status)
		if !assert.True(t, ok, "GET %s answers %d, which its description does not list (add it to oaGet's error statuses)", path, status) {
			return
		}
		w := get(t, s, target)
		if !assert.Equal(t, status, w.Code, "GET %s: %s", target, w.Body.String()) {
			return
		}
		var body any
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), target)
		for _, p := range validateSchema(spec, schema, body, "$") {
			t.Errorf("GET %s: the response does not match the schema of GET %s in server/openapi.go: %s", target, path, p)
		}
	}
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		op, ok := paths[p]["get"].(map[string]any)
		if !ok {
			continue
		}
		t.Run(p, func(t *testing.T) { check(p, exampleURL(t, p, op), http.StatusOK) })
	}
	for _, x := range extraExamples {
		t.Run(x.url, func(t *testing.T) { check(x.path, x.url, http.StatusOK) })
	}
	for _, x := range errorExamples {
		t.Run(x.url, func(t *testing.T) { check(x.path, x.url, x.status) })
	}
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// validateSchema checks v against the subset of JSON Schema (OpenAPI 3.0 flavour) the description
// uses: $ref, type, nullable, enum, format date, properties, required, additionalProperties
// (false or a schema) and items. It returns every problem, each with its JSON path.
func validateSchema(spec, schema map[string]any, v any, at string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := spec["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: unresolved $ref %s", at, ref)}
		}
		return validateSchema(spec, target, v, at)
	}
	if v == nil {
		if schema["nullable"] == true || schema["type"] == nil {
			return nil
		}
		return []string{fmt.Sprintf("%s: null, but the schema is not nullable", at)}
	}
	var probs []string
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || e == v
		}
		if !found {
			probs = append(probs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
		}
	}
	switch typ, _ := schema["type"].(string); typ {
	case "":
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return append(probs, fmt.Sprintf("%s: want an object, got %T", at, v))
		}
		props, _ := schema["properties"].(map[string]any)
		req, _ := schema["required"].([]any)
		for _, r := range req {
			if _, ok := obj[r.(string)]; !ok {
				probs = append(probs, fmt.Sprintf("%s: required property %q is missing", at, r))
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				probs = append(probs, validateSchema(spec, ps, obj[k], at+"."+k)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					probs = append(probs, fmt.Sprintf("%s: property %q is not in the schema", at, k))
				}
			case map[string]any:
				probs = append(probs, validateSchema(spec, ap, obj[k], at+"."+k)...)
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return append(probs, fmt.Sprintf("%s: want an array, got %T", at, v))
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, x := range arr {
				probs = append(probs, validateSchema(spec, items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return append(probs, fmt.Sprintf("%s: want a string, got %T", at, v))
		}
		if schema["format"] == "date" && !dateRE.MatchString(str) {
			probs = append(probs, fmt.Sprintf("%s: %q is not a date YYYY-MM-DD", at, str))
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != math.Trunc(n) {
			probs = append(probs, fmt.Sprintf("%s: want an integer, got %v", at, v))
		}
	case "number":
		if _, ok := v.(float64); !ok {
			probs = append(probs, fmt.Sprintf("%s: want a number, got %T", at, v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			probs = append(probs, fmt.Sprintf("%s: want a boolean, got %T", at, v))
		}
	default:
		probs = append(probs, fmt.Sprintf("%s: the validator does not know type %q", at, typ))
	}
	return probs
}

// The validator itself finds what it should.
func TestSchemaValidator(t *testing.T) {
	spec := map[string]any{"components": map[string]any{"schemas": map[string]any{
		"Item": map[string]any{"type": "object", "properties": map[string]any{"id": map[string]any{"type": "string"}},
			"required": []any{"id"}, "additionalProperties": false},
	}}}
	schema := map[string]any{"type": "object", "additionalProperties": false, "required": []any{"n", "items"},
		"properties": map[string]any{
			"n":     map[string]any{"type": "integer"},
			"kind":  map[string]any{"type": "string", "enum": []any{"a", "b"}},
			"day":   map[string]any{"type": "string", "format": "date"},
			"items": map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/Item"}},
			"maybe": map[string]any{"type": "array", "nullable": true},
			"m":     map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "integer"}},
			"ok":    map[string]any{"type": "boolean"},
		}}
	cases := []struct {
		json string
		want []string
	}{
		{`{"n": 1, "items": [{"id": "x"}], "kind": "a", "day": "2020-01-02", "maybe": null, "m": {"a": 1}, "ok": true}`, nil},
		{`{"items": []}`, []string{`$: required property "n" is missing`}},
		{`{"n": 1.5, "items": []}`, []string{"$.n: want an integer, got 1.5"}},
		{`{"n": 1, "items": [], "extra": 1}`, []string{`$: property "extra" is not in the schema`}},
		{`{"n": 1, "items": [], "kind": "c"}`, []string{"$.kind: c is not one of [a b]"}},
		{`{"n": 1, "items": [], "day": "2 Jan"}`, []string{`$.day: "2 Jan" is not a date YYYY-MM-DD`}},
		{`{"n": 1, "items": [{"id": 3}, {}]}`, []string{"$.items[0].id: want a string, got float64", `$.items[1]: required property "id" is missing`}},
		{`{"n": 1, "items": null}`, []string{"$.items: null, but the schema is not nullable"}},
		{`{"n": 1, "items": [], "m": {"a": "x"}}`, []string{"$.m.a: want an integer, got x"}},
		{`{"n": 1, "items": [], "ok": "yes"}`, []string{"$.ok: want a boolean, got string"}},
		{`[]`, []string{"$: want an object, got []interface {}"}},
	}
	for _, tc := range cases {
		var v any
		require.NoError(t, json.Unmarshal([]byte(tc.json), &v))
		assert.Equal(t, tc.want, validateSchema(spec, schema, v, "$"), tc.json)
	}
}

func TestOpenAPIPath(t *testing.T) {
	assert.Equal(t, "/api/v1/documents/{id}/versions", openAPIPath("/api/v1/documents/:id/versions"))
	assert.Equal(t, "/api/v1/search", openAPIPath("/api/v1/search"))
}

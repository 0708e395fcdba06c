package validate

import (
	"encoding/json"
	"math"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/handover-dev/handover/generator/model"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// quick answers one question about a value, fast: does it certainly pass
// the schema it was built from? It is built from the compiled schema, so it
// uses the very regular expressions and format checkers the library uses,
// and it follows the library's rules for the keywords our schemas use
// (types, const of a string or a whole number, enum of strings, properties, required,
// additionalProperties, items, uniqueItems of strings, lengths, patterns,
// formats, integer bounds, $ref). Anything else, in the schema (another
// keyword) or in the value (a float where an integer is wanted, a number in
// a const), makes it answer no, and the library decides.
//
// Why: almost every document is valid, and for a valid document the
// library's Validate costs about a hundred times more, most of it in
// allocations that it only needs to explain a failure. The answer is only
// ever used to skip the library when it would find nothing: a document
// that quick turns down is validated as before, so every diagnostic stays
// the library's.
type quick struct {
	never      bool // a keyword quick does not follow: always "not sure"
	boolSchema *bool
	types      jsonTypes // 0: any
	constStr   *string
	constInt   *int64
	enum       map[string]bool // nil: no enum
	format     func(any) error
	ref        *quick

	required   []string
	properties map[string]*quick
	additional *quick // nil: any property allowed
	noMore     bool   // additionalProperties: false
	minProps   int
	maxProps   int // -1: no bound

	items    *quick
	unique   bool
	minItems int
	maxItems int // -1: no bound

	minLength int
	maxLength int               // -1: no bound
	pattern   func(string) bool // nil: none

	minimum, maximum *int64
}

type jsonTypes uint8

const (
	typeNull jsonTypes = 1 << iota
	typeBoolean
	typeNumber
	typeInteger
	typeString
	typeArray
	typeObject
)

var typeNames = map[string]jsonTypes{
	"null": typeNull, "boolean": typeBoolean, "number": typeNumber, "integer": typeInteger,
	"string": typeString, "array": typeArray, "object": typeObject,
}

// newQuick builds the quick check of a compiled schema.
func newQuick(s *jsonschema.Schema) *quick {
	b := quickBuilder{built: map[*jsonschema.Schema]*quick{}}
	return b.build(s)
}

type quickBuilder struct {
	built map[*jsonschema.Schema]*quick
}

func (b *quickBuilder) build(s *jsonschema.Schema) *quick {
	if q, ok := b.built[s]; ok {
		return q
	}
	q := &quick{maxProps: -1, maxItems: -1, maxLength: -1}
	b.built[s] = q // before the parts: schemas may refer to themselves
	if !supported(s) {
		q.never = true
		return q
	}
	q.boolSchema = s.Bool
	if s.Types != nil {
		for _, name := range s.Types.ToStrings() {
			t, ok := typeNames[name]
			if !ok {
				q.never = true
				return q
			}
			q.types |= t
		}
	}
	if s.Const != nil {
		switch c := (*s.Const).(type) {
		case string:
			q.constStr = &c
		case json.Number:
			n, ok := new(big.Rat).SetString(c.String())
			if ok {
				q.constInt, ok = intBound(n)
			}
			if !ok {
				q.never = true
				return q
			}
		default:
			q.never = true
			return q
		}
	}
	if s.Enum != nil {
		q.enum = map[string]bool{}
		for _, v := range s.Enum.Values {
			str, ok := v.(string)
			if !ok {
				q.never = true
				return q
			}
			q.enum[str] = true
		}
	}
	if s.Format != nil {
		q.format = s.Format.Validate
	}
	if s.Ref != nil {
		q.ref = b.build(s.Ref)
	}
	q.required = s.Required
	if len(s.Properties) > 0 {
		q.properties = make(map[string]*quick, len(s.Properties))
		for name, p := range s.Properties {
			q.properties[name] = b.build(p)
		}
	}
	switch a := s.AdditionalProperties.(type) {
	case bool:
		q.noMore = !a
	case *jsonschema.Schema:
		q.additional = b.build(a)
	}
	if s.MinProperties != nil {
		q.minProps = *s.MinProperties
	}
	if s.MaxProperties != nil {
		q.maxProps = *s.MaxProperties
	}
	if s.Items2020 != nil {
		q.items = b.build(s.Items2020)
	}
	q.unique = s.UniqueItems
	if s.MinItems != nil {
		q.minItems = *s.MinItems
	}
	if s.MaxItems != nil {
		q.maxItems = *s.MaxItems
	}
	if s.MinLength != nil {
		q.minLength = *s.MinLength
	}
	if s.MaxLength != nil {
		q.maxLength = *s.MaxLength
	}
	if s.Pattern != nil {
		q.pattern = s.Pattern.MatchString
		if match := quickPatterns[s.Pattern.String()]; match != nil {
			q.pattern = match
		}
	}
	var ok bool
	if q.minimum, ok = intBound(s.Minimum); !ok {
		q.never = true
	}
	if q.maximum, ok = intBound(s.Maximum); !ok {
		q.never = true
	}
	return q
}

// supported tells a schema whose every keyword quick follows (annotations
// aside), in a draft where $ref sits beside the other keywords.
func supported(s *jsonschema.Schema) bool {
	return s.DraftVersion >= 2020 &&
		s.RecursiveRef == nil && s.DynamicRef == nil &&
		s.Not == nil && len(s.AllOf) == 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0 &&
		s.If == nil && s.Then == nil && s.Else == nil &&
		s.PropertyNames == nil && len(s.PatternProperties) == 0 &&
		len(s.Dependencies) == 0 && len(s.DependentRequired) == 0 && len(s.DependentSchemas) == 0 &&
		s.UnevaluatedProperties == nil && s.UnevaluatedItems == nil &&
		s.Contains == nil && s.MinContains == nil && s.MaxContains == nil &&
		s.Items == nil && s.AdditionalItems == nil && len(s.PrefixItems) == 0 &&
		s.ContentEncoding == nil && s.ContentMediaType == nil && s.ContentSchema == nil &&
		s.ExclusiveMaximum == nil && s.ExclusiveMinimum == nil && s.MultipleOf == nil &&
		len(s.Extensions) == 0
}

// intBound converts a minimum or maximum that is a whole number; ok is
// false for other bounds, which quick does not follow.
func intBound(r *big.Rat) (*int64, bool) {
	if r == nil {
		return nil, true
	}
	if !r.IsInt() || !r.Num().IsInt64() {
		return nil, false
	}
	n := r.Num().Int64()
	return &n, true
}

// valid reports whether v certainly passes; false means "not sure".
func (q *quick) valid(v any) bool {
	return q.check(v, 0)
}

// check is valid for one value; refs counts the $ref followed without
// going down into the value, so that a cycle of them ends (as "not sure").
func (q *quick) check(v any, refs int) bool {
	if q.never || refs > 32 {
		return false
	}
	if q.boolSchema != nil {
		return *q.boolSchema
	}
	var t jsonTypes
	switch x := v.(type) {
	case nil:
		t = typeNull
	case bool:
		t = typeBoolean
	case string:
		t = typeString
	case int64:
		t = typeNumber | typeInteger
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
		// Whether a float is a whole number, the library decides.
		t = typeNumber
	case []any:
		t = typeArray
	case model.Object:
		t = typeObject
	default:
		return false
	}
	if q.types != 0 && q.types&t == 0 {
		return false
	}
	if q.constStr != nil || q.enum != nil {
		s, ok := v.(string)
		if !ok || (q.constStr != nil && s != *q.constStr) || (q.enum != nil && !q.enum[s]) {
			return false
		}
	}
	if q.constInt != nil {
		if n, ok := v.(int64); !ok || n != *q.constInt {
			return false
		}
	}
	if q.format != nil && q.format(v) != nil {
		return false
	}
	if q.ref != nil && !q.ref.check(v, refs+1) {
		return false
	}
	switch x := v.(type) {
	case model.Object:
		return q.object(x)
	case []any:
		return q.array(x)
	case string:
		return q.string(x)
	case int64:
		return (q.minimum == nil || x >= *q.minimum) && (q.maximum == nil || x <= *q.maximum)
	case float64:
		return q.minimum == nil && q.maximum == nil
	}
	return true
}

func (q *quick) object(obj model.Object) bool {
	if len(obj) < q.minProps || (q.maxProps >= 0 && len(obj) > q.maxProps) {
		return false
	}
	for _, name := range q.required {
		if _, ok := obj.Lookup(name); !ok {
			return false
		}
	}
	for _, f := range obj {
		p, ok := q.properties[f.Key]
		switch {
		case ok:
			if !p.check(f.Value, 0) {
				return false
			}
		case q.noMore:
			return false
		case q.additional != nil:
			if !q.additional.check(f.Value, 0) {
				return false
			}
		}
	}
	return true
}

func (q *quick) array(arr []any) bool {
	if len(arr) < q.minItems || (q.maxItems >= 0 && len(arr) > q.maxItems) {
		return false
	}
	if q.unique && len(arr) > 1 && !uniqueStrings(arr) {
		return false
	}
	if q.items != nil {
		for _, v := range arr {
			if !q.items.check(v, 0) {
				return false
			}
		}
	}
	return true
}

// uniqueStrings tells a list of distinct strings; anything else (a
// repeat, or an item of another type, which the library compares by value)
// is "not sure".
func uniqueStrings(arr []any) bool {
	var seen map[string]bool
	if len(arr) > 16 {
		seen = make(map[string]bool, len(arr))
	}
	for i, v := range arr {
		s, ok := v.(string)
		if !ok {
			return false
		}
		if seen != nil {
			if seen[s] {
				return false
			}
			seen[s] = true
			continue
		}
		for _, w := range arr[:i] {
			if w.(string) == s {
				return false
			}
		}
	}
	return true
}

func (q *quick) string(s string) bool {
	if q.minLength > 0 || q.maxLength >= 0 {
		n := utf8.RuneCountInString(s)
		if n < q.minLength || (q.maxLength >= 0 && n > q.maxLength) {
			return false
		}
	}
	return q.pattern == nil || q.pattern(s)
}

// quickPatterns are the schemas' commonest patterns (dates, ids and
// references, by the hundred thousand in a large portfolio) written out:
// the regular expressions were a tenth of validate's time.
// TestQuickPatternsAreTheExpressions compares each with its expression.
var quickPatterns = func() map[string]func(string) bool {
	const id = `[a-z0-9][a-z0-9-]{0,62}$`
	refKinds := []string{"service", "server", "configuration", "integration", "vendor", "runbook"}
	m := map[string]func(string) bool{
		`^\d{4}-\d{2}-\d{2}$`: isDate,
		`^` + id:              model.ValidID,
		`^https?://`: func(s string) bool {
			return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
		},
		`^(` + strings.Join(refKinds, "|") + `):` + id: func(s string) bool {
			kind, rest, ok := strings.Cut(s, ":")
			return ok && slices.Contains(refKinds, kind) && model.ValidID(rest)
		},
	}
	for _, kind := range refKinds {
		m[`^`+kind+`:`+id] = func(s string) bool {
			rest, ok := strings.CutPrefix(s, kind+":")
			return ok && model.ValidID(rest)
		}
	}
	return m
}()

// isDate matches ^\d{4}-\d{2}-\d{2}$: ten bytes, ASCII digits but for two
// dashes.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

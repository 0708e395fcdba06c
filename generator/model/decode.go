package model

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// decode sets the view dst points to from a JSON value as load gives it
// (Object, []any, string, int64, float64, bool, nil), the way
// encoding/json would from that value's encoding, without encoding it:
// fields by their json name (exactly, else ignoring case), unknown keys
// ignored, null leaving a field as it is (and a pointer or slice nil), and
// a value of the wrong type leaving its field as it is and returned as the
// first error. It knows the field types the views of this package use
// (strings, booleans, integers, pointers, slices and structs of them), and
// gives an error for any other. TestDecodeMatchesJSON holds it to
// encoding/json.
func decode(dst any, src any) error {
	var err error
	decodeValue(reflect.ValueOf(dst).Elem(), src, &err)
	return err
}

func decodeValue(dst reflect.Value, src any, err *error) {
	if src == nil {
		if k := dst.Kind(); k == reflect.Pointer || k == reflect.Slice {
			dst.SetZero()
		}
		return
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		decodeValue(dst.Elem(), src, err)
		return
	case reflect.String:
		if s, ok := src.(string); ok {
			dst.SetString(s)
			return
		}
	case reflect.Bool:
		if b, ok := src.(bool); ok {
			dst.SetBool(b)
			return
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if i, ok := wholeNumber(src); ok && !dst.OverflowInt(i) {
			dst.SetInt(i)
			return
		}
	case reflect.Slice:
		if items, ok := src.([]any); ok {
			s := reflect.MakeSlice(dst.Type(), len(items), len(items))
			for i, item := range items {
				decodeValue(s.Index(i), item, err)
			}
			dst.Set(s)
			return
		}
	case reflect.Struct:
		if obj, ok := src.(Object); ok {
			decodeStruct(dst, obj, err)
			return
		}
	}
	if *err == nil {
		*err = fmt.Errorf("cannot read %s into a field of type %s", jsonType(src), dst.Type())
	}
}

func decodeStruct(dst reflect.Value, obj Object, err *error) {
	fields := fieldsOf(dst.Type())
	sorted := fields.sorted
	// Both are sorted by name: one pass over the two.
	matched, j := 0, 0
	for _, m := range obj {
		for j < len(sorted) && sorted[j].name < m.Key {
			j++
		}
		for k := j; k < len(sorted) && sorted[k].name == m.Key; k++ {
			if k == j {
				matched++
			}
			decodeValue(dst.FieldByIndex(sorted[k].index), m.Value, err)
		}
	}
	if matched == len(obj) {
		return
	}
	// Keys that match a field only when case is ignored, in the order
	// encoding/json would meet them (Marshal sorts a map's keys, as an
	// Object is sorted).
	for _, m := range obj {
		if fields.has(m.Key) {
			continue
		}
		for _, f := range fields.inOrder {
			if strings.EqualFold(f.name, m.Key) {
				decodeValue(dst.FieldByIndex(f.index), m.Value, err)
				break
			}
		}
	}
}

type field struct {
	name  string
	index []int
}

// fieldList is a struct's fields as declared, and sorted by name (stably)
// for decodeStruct's pass over an Object.
type fieldList struct {
	inOrder, sorted []field
}

func (fs fieldList) has(name string) bool {
	for _, f := range fs.inOrder {
		if f.name == name {
			return true
		}
	}
	return false
}

var fieldCache sync.Map // reflect.Type → fieldList

// fieldsOf lists a struct's fields by json name, those of embedded structs
// included, as encoding/json sees them for the views of this package.
func fieldsOf(t reflect.Type) fieldList {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(fieldList)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct:
			for _, inner := range fieldsOf(sf.Type).inOrder {
				fs = append(fs, field{name: inner.name, index: append([]int{i}, inner.index...)})
			}
			continue
		case !sf.IsExported():
			continue
		case name == "":
			name = sf.Name
		}
		fs = append(fs, field{name: name, index: []int{i}})
	}
	list := fieldList{inOrder: fs, sorted: slices.Clone(fs)}
	slices.SortStableFunc(list.sorted, func(a, b field) int { return strings.Compare(a.name, b.name) })
	fieldCache.Store(t, list)
	return list
}

// wholeNumber reads a number that encoding/json would read into an int:
// one whose encoding has no fraction or exponent.
func wholeNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1e21 && n >= math.MinInt64 && n < math.MaxInt64 {
			return int64(n), true
		}
	}
	return 0, false
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case Object:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}

// Package schemas embeds the JSON Schemas (draft 2020-12) of every kind of
// handover document. They are the exact truth of the file format: the
// validate stage compiles them, `handover schema` writes them for editors.
package schemas

import "embed"

// FS holds common.schema.json and one <kind>.schema.json per kind.
//
//go:embed *.schema.json
var FS embed.FS

// BaseURL is the prefix of every schema's $id; a schema's file name follows it.
const BaseURL = "https://handover.dev/schemas/v1/"

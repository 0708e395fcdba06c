// Package sitetemplate embeds the default templates and assets of the
// handover site. A handover repository overrides any of them by putting a
// file at the same path under its own site-template/ folder.
package sitetemplate

import "embed"

// FS holds layouts/ (the page frame and partials), pages/ (one template per
// page type) and assets/ (CSS, JavaScript and vendored libraries, copied to
// the site as they are).
//
//go:embed layouts pages assets
var FS embed.FS

package generator

import (
	"fmt"
	"strings"
	"testing"

	"github.com/handover-dev/handover/internal/testutil"
)

// TestLargeListsAreCapped builds a client of 250 servers that all run on
// one shared vendor and all reach end of life, and checks that the pages
// that would list them all list the nearest or soonest and say where the
// rest are: a large portfolio's vendor pages, vendor directory and
// dashboard would otherwise weigh megabytes each and be rendered again on
// every change in serve.
func TestLargeListsAreCapped(t *testing.T) {
	const servers = 250
	// The bounds of generator/site.
	const maxImpactRows, maxRelations, maxVendorDependents, maxDashboardExpiries = 200, 100, 20, 50
	files := map[string]string{
		"handover.yaml":            "version: 1\nconsultancy:\n  name: Acme IT\n",
		"vendors/bigcloud.yaml":    "kind: Vendor\nid: bigcloud\nname: Big Cloud\n",
		"clients/acme/client.yaml": "kind: Client\nid: acme\nname: Acme\n",
	}
	for i := range servers {
		files[fmt.Sprintf("clients/acme/servers/s%03d.yaml", i)] = fmt.Sprintf(
			"kind: Server\nid: s%03d\nname: Server %d\nhostname: s%03d.acme.example\nenvironment: staging\nos:\n  name: Linux\n  eol: 2030-01-%02d\nlocation:\n  provider: vendor:bigcloud\n",
			i, i, i, 1+i%28)
	}
	dir := testutil.WriteFiles(t, files)
	res, diags, err := Render(dir, false, Options{})
	if err != nil || res.Site == nil {
		t.Fatalf("render: %v %v", err, diags)
	}
	page := func(p string) string { return string(res.Site.Files[p]) }
	rows := func(html, table string) int {
		_, rest, ok := strings.Cut(html, `<table class="`+table+`">`)
		if !ok {
			t.Fatalf("no %s table", table)
		}
		body, _, _ := strings.Cut(rest, "</table>")
		return strings.Count(body, "<tr") - 1 // less the header row
	}

	vendor := page("vendors/bigcloud.html")
	if n := rows(vendor, "impact"); n != maxImpactRows {
		t.Errorf("the vendor's blast radius lists %d rows, want %d", n, maxImpactRows)
	}
	for _, want := range []string{
		fmt.Sprintf("%d entities depend on Big Cloud", servers),
		fmt.Sprintf("the nearest %d are listed, and <code>handover impact vendor:bigcloud</code> lists them all", maxImpactRows),
		fmt.Sprintf("and %d more: see the blast radius", servers-maxRelations),
	} {
		if !strings.Contains(vendor, want) {
			t.Errorf("vendors/bigcloud.html lacks %q", want)
		}
	}
	if n := strings.Count(vendor, `<span class="relation-label">`); n != maxRelations {
		t.Errorf("the vendor's relations list %d entities, want %d", n, maxRelations)
	}
	if want := fmt.Sprintf("and %d more: see the vendor's page", servers-maxVendorDependents); !strings.Contains(page("vendors/index.html"), want) {
		t.Errorf("vendors/index.html lacks %q", want)
	}
	dashboard := page("index.html")
	if n := rows(dashboard, "expiries"); n != maxDashboardExpiries {
		t.Errorf("the dashboard lists %d expiries, want %d", n, maxDashboardExpiries)
	}
	if want := fmt.Sprintf("%d later deadlines are in the expiry calendar", servers-maxDashboardExpiries); !strings.Contains(dashboard, want) {
		t.Errorf("index.html lacks %q", want)
	}
	if n := rows(page("expiries.html"), "expiries"); n != servers {
		t.Errorf("the expiry calendar lists %d expiries, want every one of %d", n, servers)
	}
}

package model

// The typed views of each kind, decoded from a document's JSON value after
// it passed its schema. Field names follow schemas/; the schemas are the
// truth and these hold only what pages and checks read by name. Everything
// else is still shown, from Document.Value.

// Common holds the fields every kind has.
type Common struct {
	Kind        string   `json:"kind"`
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Owner       string   `json:"owner"`
	Tags        []string `json:"tags"`
	Reviewed    string   `json:"reviewed"`
	ReviewedBy  string   `json:"reviewedBy"`
	Links       []Link   `json:"links"`
	Notes       string   `json:"notes"`
}

// Link is a titled URL.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Contact is a person to call.
type Contact struct {
	Name            string `json:"name"`
	Role            string `json:"role"`
	Email           string `json:"email"`
	Phone           string `json:"phone"`
	EscalationOrder int    `json:"escalationOrder"`
	Hours           string `json:"hours"`
	Notes           string `json:"notes"`
}

// Portfolio is handover.yaml.
type Portfolio struct {
	Version     int `json:"version"`
	Consultancy struct {
		Name    string `json:"name"`
		Website string `json:"website"`
		Email   string `json:"email"`
		Phone   string `json:"phone"`
		Address string `json:"address"`
	} `json:"consultancy"`
	Site struct {
		Title      string `json:"title"`
		BaseURL    string `json:"baseURL"`
		Repository string `json:"repository"`
		Branch     string `json:"branch"`
	} `json:"site"`
	Policies struct {
		StaleAfter        string   `json:"staleAfter"`
		ExpiryWarning     string   `json:"expiryWarning"`
		CredentialSchemes []string `json:"credentialSchemes"`
	} `json:"policies"`
	Description string `json:"description"`
	Notes       string `json:"notes"`
}

// Client is a client of the consultancy.
type Client struct {
	Common
	Business struct {
		Summary         string `json:"summary"`
		Industry        string `json:"industry"`
		CriticalPeriods []struct {
			Name  string `json:"name"`
			When  string `json:"when"`
			Notes string `json:"notes"`
		} `json:"criticalPeriods"`
		BusinessHours string `json:"businessHours"`
		Timezone      string `json:"timezone"`
	} `json:"business"`
	Contacts []Contact `json:"contacts"`
	SLA      struct {
		Name       string `json:"name"`
		Hours      string `json:"hours"`
		Severities []struct {
			Level      string `json:"level"`
			Definition string `json:"definition"`
			Response   string `json:"response"`
			Resolution string `json:"resolution"`
		} `json:"severities"`
	} `json:"sla"`
	Escalation []struct {
		Step    int    `json:"step"`
		Who     string `json:"who"`
		Contact string `json:"contact"`
		After   string `json:"after"`
		Channel string `json:"channel"`
	} `json:"escalation"`
	Contract struct {
		Type         string `json:"type"`
		Start        string `json:"start"`
		Renewal      string `json:"renewal"`
		NoticePeriod string `json:"noticePeriod"`
	} `json:"contract"`
}

// Service is a business service, where impact is counted.
type Service struct {
	Common
	Criticality string   `json:"criticality"`
	Users       string   `json:"users"`
	RTO         string   `json:"rto"`
	RPO         string   `json:"rpo"`
	PeakPeriods []string `json:"peakPeriods"`
	DependsOn   []string `json:"dependsOn"`
}

// Server is a machine, physical or virtual.
type Server struct {
	Common
	Hostname    string `json:"hostname"`
	Role        string `json:"role"`
	Environment string `json:"environment"`
	OS          struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		EOL     string `json:"eol"`
	} `json:"os"`
	Location struct {
		Provider string `json:"provider"`
		Region   string `json:"region"`
		Site     string `json:"site"`
	} `json:"location"`
	Addresses []string `json:"addresses"`
	Backup    *struct {
		Schedule        string `json:"schedule"`
		Retention       string `json:"retention"`
		Target          string `json:"target"`
		LastRestoreTest string `json:"lastRestoreTest"`
		Tool            string `json:"tool"`
	} `json:"backup"`
	Monitoring *struct {
		Tool     string   `json:"tool"`
		Checks   []string `json:"checks"`
		AlertsTo []string `json:"alertsTo"`
	} `json:"monitoring"`
	Access *struct {
		Method     string `json:"method"`
		Via        string `json:"via"`
		Credential string `json:"credential"`
		User       string `json:"user"`
	} `json:"access"`
}

// Configuration is a configured thing that is not a server.
type Configuration struct {
	Common
	Type       string `json:"type"`
	Vendor     string `json:"vendor"`
	Expires    string `json:"expires"`
	AutoRenew  *bool  `json:"autoRenew"`
	Source     string `json:"source"`
	Credential string `json:"credential"`
}

// Integration is an API integration.
type Integration struct {
	Common
	Provider  string `json:"provider"`
	Direction string `json:"direction"`
	Protocol  string `json:"protocol"`
	Endpoint  string `json:"endpoint"`
	Auth      struct {
		Method     string `json:"method"`
		Credential string `json:"credential"`
		Rotation   string `json:"rotation"`
	} `json:"auth"`
	FailureImpact struct {
		Level       string `json:"level"`
		Description string `json:"description"`
	} `json:"failureImpact"`
}

// Vendor is a supplier.
type Vendor struct {
	Common
	Category  string `json:"category"`
	Website   string `json:"website"`
	AccountID string `json:"accountId"`
	Support   struct {
		Phone  string `json:"phone"`
		Email  string `json:"email"`
		Portal string `json:"portal"`
		Hours  string `json:"hours"`
		SLA    string `json:"sla"`
	} `json:"support"`
	Contacts []Contact `json:"contacts"`
	Contract struct {
		Renewal      string `json:"renewal"`
		NoticePeriod string `json:"noticePeriod"`
		Reference    string `json:"reference"`
	} `json:"contract"`
	Escalation string `json:"escalation"`
}

// Runbook is the front matter of a Markdown runbook.
type Runbook struct {
	Common
	Title      string   `json:"title"`
	AppliesTo  []string `json:"appliesTo"`
	Severity   string   `json:"severity"`
	LastTested string   `json:"lastTested"`
}

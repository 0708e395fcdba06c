package diag

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
)

// SARIF prints diagnostics as a SARIF 2.1.0 log, so that code scanning
// (GitHub's upload-sarif, and other tools) shows them on the files. Each
// distinct code is a rule; errors are "error", warnings "warning", infos
// "note".
type SARIF struct {
	Prefix  string
	Version string // the tool's version, for the log
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// Format implements Formatter.
func (s SARIF) Format(w io.Writer, ds []Diagnostic) error {
	var codes []string
	for _, d := range ds {
		if !slices.Contains(codes, d.Code) {
			codes = append(codes, d.Code)
		}
	}
	slices.Sort(codes)
	driver := sarifDriver{Name: "handover", Version: s.Version, InformationURI: "https://github.com/handover-dev/handover", Rules: []sarifRule{}}
	for _, c := range codes {
		driver.Rules = append(driver.Rules, sarifRule{ID: c, ShortDescription: sarifMessage{Text: c}})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, d := range ds {
		level := map[Severity]string{Error: "error", Warning: "warning", Info: "note"}[d.Severity]
		text := d.Message
		if d.Hint != "" {
			text += " (" + d.Hint + ")"
		}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: withPrefix(s.Prefix, d.File)}}
		if d.Line > 0 {
			loc.Region = &sarifRegion{StartLine: d.Line, StartColumn: d.Column}
		}
		run.Results = append(run.Results, sarifResult{RuleID: d.Code, RuleIndex: slices.Index(codes, d.Code),
			Level: level, Message: sarifMessage{Text: text}, Locations: []sarifLocation{{PhysicalLocation: loc}}})
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

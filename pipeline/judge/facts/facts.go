// Package facts turns what the stages read from a submission (files, manifest,
// photos, attendance) and what the ledger knows of other classes into the one
// typed yanshou.Facts value the rules are evaluated over, with the evidence
// (file, sheet, row) behind every count.
package facts

import (
	"strings"
	"time"

	"yanshou"
	"yanshou/templates"
)

// Input is everything the facts are gathered from.
type Input struct {
	Submission       *yanshou.Submission
	ManifestProblems []yanshou.Evidence // from reading the manifest
	FileProblems     []yanshou.Evidence // files that could not be listed, unpacked or parsed
	RiskyFiles       []yanshou.Evidence // files that open but are risky (macros, external links, executables)
	Photos           []yanshou.Photo    // on-site and group photos, judged; ReusedOf is set here
	VenueKnown       bool               // the venue resolved to coordinates
	Venue            *yanshou.LatLon    // the venue (WGS-84) and its radius, when known
	VenueRadiusM     float64
	Attendance       *yanshou.Attendance
	RosterProblems   RosterCounts
	Phones           yanshou.PhoneUse                // what the phones of the sign-ins and the roster say (roster.Phones)
	IDPatterns       yanshou.IDPatterns              // what the roster's IDs say read together (roster.IDPatterns)
	Repeats          [][]yanshou.Evidence            // people signed in twice in one session, every row (roster.Repeats)
	PaperEmpty       []yanshou.Evidence              // typed as present where the paper sheet's box is empty (paper.TypedButEmpty), one per trainee and session
	PaperAlike       []yanshou.Evidence              // pages of the paper sheets signed by one hand for many (paper.Result.Alike), one a page
	TrainedIn        map[int][]yanshou.PriorTraining // roster index → other classes the trainee was trained in (ledger); see attendance.go
	PriorPhotos      []yanshou.PriorPhoto            // photos of other classes in the ledger
	Captures         map[CaptureKey]Capture          // candidate pairs (Candidates) compared once aligned
	SerialPhotos     []yanshou.SerialPhoto           // photos of other classes in the ledger shot by a camera of this class (by serial number)
	Papers           []yanshou.Paper                 // what the class's own documents say (stage/papers)
	Headcounts       []yanshou.Headcount             // the office's headcounts of the class's sessions (ledger), oldest first
	Config           *yanshou.Config
}

// RosterCounts are the roster problems the roster stage counted.
type RosterCounts struct {
	InvalidIDs int
	Duplicates int
}

// Gather computes the facts. It marks reused photos in in.Photos (ReusedOf).
func Gather(in Input) *yanshou.Facts {
	cfg := in.Config
	f := &yanshou.Facts{T: cfg.Thresholds, Evidence: map[string][]yanshou.Evidence{}}
	ev := func(key string, e ...yanshou.Evidence) { f.Evidence[key] = append(f.Evidence[key], e...) }
	sub := in.Submission
	class := sub.Class

	// Manifest.
	f.Manifest.Present = len(sub.FilesOf(yanshou.Manifest)) > 0
	f.Manifest.Readable = class != nil && !class.Start.IsZero() && !class.End.IsZero()
	f.Manifest.Problems = len(in.ManifestProblems)
	ev(yanshou.EvManifestProblems, in.ManifestProblems...)

	// Materials of 第十一条.
	have := map[yanshou.MaterialKind]bool{}
	for _, file := range sub.Files {
		have[file.Kind] = true
		if file.Title != "" {
			if file.Also != "" && file.Also != file.Kind {
				f.Materials.Retitled++
				ev(yanshou.EvMaterialsAmbiguous, yanshou.Evidence{File: file.Rel, Detail: templates.Say("facts.material_retitled", file.Also.String(), file.Title, file.Kind.String(), file.Kind.String())})
			} else {
				f.Materials.ByTitle++
				ev(yanshou.EvMaterialsAmbiguous, yanshou.Evidence{File: file.Rel, Detail: templates.Say("facts.material_by_title", file.Title, file.Kind.String())})
			}
		} else if file.Also != "" && file.Also != file.Kind {
			f.Materials.Ambiguous++
			ev(yanshou.EvMaterialsAmbiguous, yanshou.Evidence{File: file.Rel, Detail: templates.Say("facts.material_ambiguous", file.Kind.String(), file.Also.String(), file.Kind.String())})
		}
		if file.Kind == yanshou.Other {
			f.Materials.Others++
			ev(yanshou.EvMaterialsUnreadable, yanshou.Evidence{File: file.Rel, Detail: templates.Say("facts.material_other")})
		}
	}
	var missing []string
	for _, k := range yanshou.Materials {
		if k.Required() && !have[k] {
			missing = append(missing, k.String())
			ev(yanshou.EvMaterialsMissing, yanshou.Evidence{Detail: templates.Say("facts.material_missing", k.String())})
		}
	}
	f.Materials.Missing = len(missing)
	f.Materials.MissingNames = strings.Join(missing, "、")
	f.Materials.Unreadable = len(in.FileProblems)
	ev(yanshou.EvMaterialsUnreadable, in.FileProblems...)
	f.Materials.Risky = len(in.RiskyFiles)
	ev(yanshou.EvMaterialsRisky, in.RiskyFiles...)

	// Timeline (第七条: approval before training).
	f.Timeline.AppliedBeforeApprov = true
	if class != nil {
		src := class.Source
		if !class.Start.IsZero() && !class.End.IsZero() && class.End.Before(class.Start.Time) {
			f.Timeline.EndBeforeStart = true
			ev(yanshou.EvTimeline, yanshou.Evidence{File: src, Detail: templates.Say("facts.dates", class.Start, class.End)})
		}
		if !class.Start.IsZero() && !class.Approved.IsZero() {
			f.Timeline.Known = true
			f.Timeline.ApprovedBeforeStart = !class.Approved.After(class.Start.Time)
			if !f.Timeline.ApprovedBeforeStart {
				f.Timeline.DaysLate = int(class.Approved.Sub(class.Start.Time).Hours()/24 + 0.5)
				ev(yanshou.EvTimeline, yanshou.Evidence{File: src, Detail: templates.Say("facts.approved_late", class.Approved, class.ApprovalNo, class.Start)})
			}
		}
		if !class.Applied.IsZero() && !class.Approved.IsZero() && class.Applied.After(class.Approved.Time) {
			f.Timeline.AppliedBeforeApprov = false
			ev(yanshou.EvTimeline, yanshou.Evidence{File: src, Detail: templates.Say("facts.applied_after_approval", class.Applied, class.Approved)})
		}
		if class.Approved.IsZero() && !class.Start.IsZero() {
			f.Timeline.ApprovalMissing = true
			ev(yanshou.EvTimeline, yanshou.Evidence{File: src, Detail: templates.Say("facts.approval_date_missing")})
		}
		if strings.TrimSpace(class.ApprovalNo) == "" && !class.Start.IsZero() {
			f.Timeline.ApprovalMissing = true
			ev(yanshou.EvTimeline, yanshou.Evidence{File: src, Detail: templates.Say("facts.approval_no_missing")})
		}
	}

	gatherAttendance(f, in, ev)
	f.Headcount.SessionSignIns = sessionSignIns(in.Attendance)
	Headcounts(f, in.Headcounts, cfg.Location)
	gatherPhotos(f, in, ev)
	gatherPapers(f, in, ev)
	return f
}

// Deadline is the rectification deadline: rectify_days after the check.
func Deadline(checked time.Time, cfg *yanshou.Config) yanshou.Date {
	t := checked.In(cfg.Location)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cfg.Location)
	return yanshou.Date{Time: d.AddDate(0, 0, cfg.Thresholds.RectifyDays)}
}

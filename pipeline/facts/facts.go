// Package facts turns what the stages read from a submission (files, manifest,
// photos, attendance) and what the ledger knows of other classes into the one
// typed yanshou.Facts value the rules are evaluated over, with the evidence
// (file, sheet, row) behind every count.
package facts

import (
	"fmt"
	"math/bits"
	"sort"
	"strings"
	"time"

	"yanshou"
)

// Input is everything the facts are gathered from.
type Input struct {
	Submission       *yanshou.Submission
	ManifestProblems []yanshou.Evidence // from reading the manifest
	FileProblems     []yanshou.Evidence // files that could not be listed, unpacked or parsed
	Photos           []yanshou.Photo    // on-site and group photos, judged; ReusedOf is set here
	VenueKnown       bool               // the venue resolved to coordinates
	Attendance       *yanshou.Attendance
	RosterProblems   RosterCounts
	ProxySuspects    []yanshou.Evidence
	PriorPhotos      []yanshou.PriorPhoto // photos of other classes in the ledger
	TrainedElsewhere map[string]string    // ID number → the other class it was trained in
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
	ev("manifest.problems", in.ManifestProblems...)

	// Materials of 第十一条.
	have := map[yanshou.MaterialKind]bool{}
	for _, file := range sub.Files {
		have[file.Kind] = true
		if file.Kind == yanshou.Other {
			f.Materials.Others++
			ev("materials.unreadable", yanshou.Evidence{File: file.Rel, Detail: "未能识别为第十一条所列材料，列为“其他”"})
		}
	}
	var missing []string
	for _, k := range yanshou.Materials {
		if !have[k] {
			missing = append(missing, k.String())
			ev("materials.missing", yanshou.Evidence{Detail: "缺少：" + k.String()})
		}
	}
	f.Materials.Missing = len(missing)
	f.Materials.MissingNames = strings.Join(missing, "、")
	f.Materials.Unreadable = len(in.FileProblems)
	ev("materials.unreadable", in.FileProblems...)

	// Timeline (第七条: approval before training).
	f.Timeline.AppliedBeforeApprov = true
	if class != nil {
		src := class.Source
		if !class.Start.IsZero() && !class.End.IsZero() && class.End.Before(class.Start.Time) {
			f.Timeline.EndBeforeStart = true
			ev("timeline", yanshou.Evidence{File: src, Detail: fmt.Sprintf("开始日期 %s，结束日期 %s", class.Start, class.End)})
		}
		if !class.Start.IsZero() && !class.Approved.IsZero() {
			f.Timeline.Known = true
			f.Timeline.ApprovedBeforeStart = !class.Approved.After(class.Start.Time)
			if !f.Timeline.ApprovedBeforeStart {
				f.Timeline.DaysLate = int(class.Approved.Sub(class.Start.Time).Hours()/24 + 0.5)
				ev("timeline", yanshou.Evidence{File: src, Detail: fmt.Sprintf("批复日期 %s（%s），培训开始日期 %s", class.Approved, class.ApprovalNo, class.Start)})
			}
		}
		if !class.Applied.IsZero() && !class.Approved.IsZero() && class.Applied.After(class.Approved.Time) {
			f.Timeline.AppliedBeforeApprov = false
			ev("timeline", yanshou.Evidence{File: src, Detail: fmt.Sprintf("申请日期 %s 晚于批复日期 %s", class.Applied, class.Approved)})
		}
		if class.Approved.IsZero() && !class.Start.IsZero() {
			ev("timeline", yanshou.Evidence{File: src, Detail: "培训信息表未填写批复日期"})
		}
	}

	gatherAttendance(f, in, ev)
	gatherPhotos(f, in, ev)
	return f
}

func gatherAttendance(f *yanshou.Facts, in Input, ev func(string, ...yanshou.Evidence)) {
	a := in.Attendance
	class := in.Submission.Class
	if a == nil {
		a = &yanshou.Attendance{}
	}
	f.Roster.Present = len(a.Trainees) > 0
	f.Roster.Rows = len(a.Trainees)
	f.Roster.InvalidIDs = in.RosterProblems.InvalidIDs
	f.Roster.Duplicates = in.RosterProblems.Duplicates
	ev("roster.problems", a.Problems...)

	f.Attendance.Approved = len(a.Trainees)
	if f.Attendance.Approved == 0 && class != nil {
		f.Attendance.Approved = class.Planned
	}
	f.Attendance.Trained = a.Trained()
	f.Attendance.WalkIns = a.WalkIns()
	f.Attendance.Sessions = len(a.Sessions)
	f.Attendance.SignInRows = len(a.SignIns)
	if f.Attendance.Approved > 0 {
		f.Attendance.Rate = float64(f.Attendance.Trained) / float64(f.Attendance.Approved)
	}
	for _, t := range a.Trainees {
		if !t.Trained {
			ev("attendance.absent", yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
				Detail: fmt.Sprintf("%s 签到 %d/%d 场，未达到参训标准", t.Name, t.Sessions, len(a.Sessions))})
		}
	}
	for _, s := range a.SignIns {
		switch s.Match {
		case yanshou.WalkIn:
			ev("attendance.walk_ins", yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row, Detail: fmt.Sprintf("%s（%s）不在批准名单中：%s", s.Name, s.Session, s.Reason)})
		case yanshou.Ambiguous:
			f.Attendance.Ambiguous++
			ev("attendance.walk_ins", yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row, Detail: fmt.Sprintf("%s（%s）无法唯一对应：%s", s.Name, s.Session, s.Reason)})
		}
	}
	f.Attendance.ProxySuspect = len(in.ProxySuspects)
	ev("attendance.proxy", in.ProxySuspects...)

	// Follow-ups: distinct trained trainees called.
	f.FollowUp.Calls = len(a.FollowUps)
	called := map[int]bool{}
	for _, c := range a.FollowUps {
		if c.Trainee >= 0 && c.Trainee < len(a.Trainees) && a.Trainees[c.Trainee].Trained {
			called[c.Trainee] = true
		}
	}
	f.FollowUp.Matched = len(called)
	if f.Attendance.Trained > 0 {
		f.FollowUp.Share = float64(f.FollowUp.Matched) / float64(f.Attendance.Trained)
		ev("followup", yanshou.Evidence{Detail: fmt.Sprintf("回访记录 %d 行，对应已参训学员 %d 人", f.FollowUp.Calls, f.FollowUp.Matched)})
	}

	// Trainees counted in another class (第三条).
	for _, t := range a.Trainees {
		if other, ok := in.TrainedElsewhere[t.ID]; ok && t.Trained && t.ID != "" {
			f.Trainees.DoubleCounted++
			ev("trainees.double_counted", yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
				Detail: fmt.Sprintf("%s（%s）已在 %s 计为参训", t.Name, maskID(t.ID), other)})
		}
	}
}

func gatherPhotos(f *yanshou.Facts, in Input, ev func(string, ...yanshou.Evidence)) {
	cfg := in.Config
	class := in.Submission.Class
	f.Photos.VenueKnown = in.VenueKnown
	perDay := map[string]int{}
	maxD := cfg.Thresholds.PhashMaxDistance
	for i := range in.Photos {
		p := &in.Photos[i]
		f.Photos.Total++
		if p.Kind == yanshou.GroupPhoto {
			f.Photos.Group++
		} else {
			f.Photos.OnSite++
		}
		switch {
		case p.Taken == nil:
			f.Photos.NoExif++
			f.Photos.Unverifiable++
			detail := "无拍摄时间信息（EXIF），无法核验"
			if p.Error != nil {
				detail = *p.Error
			}
			ev("photos.unverifiable", yanshou.Evidence{File: p.File, Detail: detail})
		case p.InWindow != nil && !*p.InWindow:
			f.Photos.OutsideWindow++
			ev("photos.outside_window", yanshou.Evidence{File: p.File, Detail: "拍摄于 " + p.Taken.In(cfg.Location).Format("2006-01-02 15:04") + windowText(class)})
		case p.Verified():
			f.Photos.Verified++
			if p.Kind == yanshou.SitePhotos {
				perDay[p.Taken.In(cfg.Location).Format("2006-01-02")]++
			}
		}
		if p.Lat == nil {
			f.Photos.NoGPS++
		}
		if p.InCounty != nil && !*p.InCounty {
			f.Photos.OutsideCounty++
		}
		if p.InVenue != nil && !*p.InVenue {
			f.Photos.OutsideVenue++
			d := ""
			if p.DistanceM != nil {
				d = fmt.Sprintf("距培训场地 %.0f 米", *p.DistanceM)
			}
			if p.InCounty != nil && !*p.InCounty {
				d += "，在本县范围以外"
			}
			ev("photos.outside_venue", yanshou.Evidence{File: p.File, Detail: fmt.Sprintf("拍摄位置 %.5f,%.5f，%s", *p.Lat, *p.Lon, d)})
		}
		if p.Hash == 0 {
			continue
		}
		// Reuse: the same picture in another class, or twice in this one.
		for _, q := range in.PriorPhotos {
			if bits.OnesCount64(p.Hash^q.Hash) <= maxD {
				p.ReusedOf = fmt.Sprintf("%s 第%d版 %s", q.Label, q.Version, q.File)
				break
			}
		}
		if p.ReusedOf == "" {
			for j := 0; j < i; j++ {
				if q := in.Photos[j]; q.Hash != 0 && bits.OnesCount64(p.Hash^q.Hash) <= maxD {
					p.ReusedOf = "本班 " + q.File
					break
				}
			}
		}
		if p.ReusedOf != "" {
			f.Photos.Reused++
			ev("photos.reused", yanshou.Evidence{File: p.File, Detail: "与 " + p.ReusedOf + " 为同一张照片"})
		}
	}
	if f.Photos.Total > 0 {
		f.Photos.UnverifiableShare = float64(f.Photos.Unverifiable) / float64(f.Photos.Total)
	}
	if class != nil && class.Days() > 0 && cfg.Thresholds.PhotosMinPerDay > 0 {
		for d := 0; d < class.Days(); d++ {
			day := class.Start.AddDate(0, 0, d).Format("2006-01-02")
			if n := perDay[day]; n < cfg.Thresholds.PhotosMinPerDay {
				f.Photos.DaysShort++
				ev("photos.days_short", yanshou.Evidence{Detail: fmt.Sprintf("%s：拍摄时间已核验的现场照片 %d 张", day, n)})
			}
		}
	}
	sort.SliceStable(f.Evidence["photos.outside_window"], func(i, j int) bool {
		return f.Evidence["photos.outside_window"][i].File < f.Evidence["photos.outside_window"][j].File
	})
}

func windowText(c *yanshou.ClassInfo) string {
	if c == nil || c.Start.IsZero() {
		return ""
	}
	return fmt.Sprintf("，培训日期为 %s 至 %s", c.Start, c.End)
}

// maskID hides the middle of a resident ID in messages (personal data).
func maskID(id string) string {
	if len(id) < 10 {
		return id
	}
	return id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:]
}

// Deadline is the rectification deadline: rectify_days after the check.
func Deadline(checked time.Time, cfg *yanshou.Config) yanshou.Date {
	t := checked.In(cfg.Location)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cfg.Location)
	return yanshou.Date{Time: d.AddDate(0, 0, cfg.Thresholds.RectifyDays)}
}

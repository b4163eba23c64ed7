package facts

import (
	"sort"
	"strings"
	"time"

	"golang.org/x/text/width"

	"yanshou"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
)

// gatherForensics counts the forensic signals of edited photos: an EXIF
// thumbnail that no longer matches the picture, IJG quantisation tables in a
// photo claiming to be a camera's original, times in the file that contradict
// one another, and a camera (by its serial number) that also shot another
// institution's class in the same days.
func gatherForensics(f *yanshou.Facts, in Input, ev func(string, ...yanshou.Evidence)) {
	cfg := in.Config
	th := cfg.Thresholds
	for i := range in.Photos {
		p := &in.Photos[i]
		if p.ThumbDiffers != nil && *p.ThumbDiffers > th.PhotoThumbMaxDistance {
			f.Photos.ThumbMismatch++
			ev(yanshou.EvPhotosThumbnail, yanshou.Evidence{File: p.File,
				Detail: templates.Say("facts.photo_thumb", *p.ThumbDiffers, th.PhotoThumbMaxDistance)})
		}
		if claimsOriginal(p) && p.IJGTables && editorIn(p.Software, cfg.PhotoEditors) == "" {
			if mk := makeIn(p.Make, cfg.CameraQuantMakes); mk != "" {
				f.Photos.Resaved++
				ev(yanshou.EvPhotosEdited, yanshou.Evidence{File: p.File,
					Detail: templates.Say("facts.photo_resaved", cameraName(p), p.JPEGQuality, mk)})
			}
		}
		if d := timesDisagree(p, th, cfg.PhotoEditors); d != "" {
			f.Photos.TimesEdited++
			ev(yanshou.EvPhotosExifTimes, yanshou.Evidence{File: p.File, Detail: d})
		}
	}
	gatherSerials(f, in, ev)
}

// claimsOriginal reports whether a photo presents itself as a camera's
// original: a camera make or model and a DateTimeOriginal.
func claimsOriginal(p *yanshou.Photo) bool {
	return (p.Make != "" || p.Model != "") && p.Original != nil
}

// cameraName is a photo's make and model as shown: the model alone when it
// names the make already ("Canon EOS 80D").
func cameraName(p *yanshou.Photo) string {
	mk, model := strings.TrimSpace(p.Make), strings.TrimSpace(p.Model)
	if mk == "" || strings.HasPrefix(strings.ToLower(model), strings.ToLower(mk)) {
		return model
	}
	return strings.TrimSpace(mk + " " + model)
}

// makeIn returns the configured make found in a photo's Make (case and width
// ignored), or "".
func makeIn(mk string, makes []string) string {
	s := strings.ToLower(width.Fold.String(mk))
	if strings.TrimSpace(s) == "" {
		return ""
	}
	for _, m := range makes {
		if w := strings.ToLower(width.Fold.String(strings.TrimSpace(m))); w != "" && strings.Contains(s, w) {
			return m
		}
	}
	return ""
}

// exifLayout is how times read from the file are shown.
const exifLayout = "2006-01-02 15:04:05"

// timesDisagree says (Chinese) how the times a photo keeps of itself contradict
// one another, or "": a DateTimeOriginal later than the ModifyDate (a program
// saving the file writes the time it saves), a DateTimeOriginal apart from
// the CreateDate (a camera writes both at once; a tool that sets the time
// taken often changes only one) or from the capture time the maker note
// keeps, or a ModifyDate long after the DateTimeOriginal
// with an editor's Software. Times with an offset each are compared as
// instants, else as the wall clocks written.
func timesDisagree(p *yanshou.Photo, th yanshou.Thresholds, editors []string) string {
	o := p.Original
	if o == nil {
		return ""
	}
	tol := th.PhotoExifTimeTolerance
	if m := p.Modified; m != nil {
		d := wallDiff(*o, *m, p.TimesZoned)
		if d > tol {
			return templates.Say("facts.photo_original_after_modify", o.Format(exifLayout), m.Format(exifLayout), zh.Duration(d))
		}
		if word := editorIn(p.Software, editors); word != "" && th.PhotoModifyEditGap > 0 && -d > th.PhotoModifyEditGap {
			return templates.Say("facts.photo_modified_later", o.Format(exifLayout), m.Format(exifLayout), zh.Duration(-d), p.Software)
		}
	}
	if c := p.Digitized; c != nil {
		if d := wallDiff(*o, *c, false).Abs(); d > tol {
			return templates.Say("facts.photo_original_digitized", o.Format(exifLayout), c.Format(exifLayout), zh.Duration(d))
		}
	}
	// The maker note's own capture time (Sony's): tools that set the time
	// taken rewrite the EXIF tags, not the maker's block.
	if mt := p.MakerTime; mt != nil {
		if d := wallDiff(*o, *mt, false).Abs(); d > tol {
			return templates.Say("facts.photo_original_makernote", o.Format(exifLayout), mt.Format(exifLayout), p.MakerTimeTag, zh.Duration(d))
		}
	}
	return ""
}

// wallDiff is a − b: as instants when zoned, else between the wall clocks
// written (a time without an offset was read in the county's zone, one with an
// offset in its own: the clocks are what the camera wrote).
func wallDiff(a, b time.Time, zoned bool) time.Duration {
	if zoned {
		return a.Sub(b)
	}
	wall := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	return wall(a).Sub(wall(b))
}

// gatherSerials finds this class's cameras, by serial number, among the photos
// of other institutions' classes held within photo_serial_overlap_days of this
// one (in.SerialPhotos, from the ledger): one camera shooting two
// institutions' classes in the same days is one class's photos passed off as
// another's, or one organiser behind both.
func gatherSerials(f *yanshou.Facts, in Input, ev func(string, ...yanshou.Evidence)) {
	class := in.Submission.Class
	if len(in.SerialPhotos) == 0 || class == nil || class.Start.IsZero() {
		return
	}
	days := in.Config.Thresholds.PhotoSerialOverlapDays
	end := class.End
	if end.IsZero() {
		end = class.Start
	}
	bySerial := map[string][]*yanshou.SerialPhoto{}
	for i := range in.SerialPhotos {
		q := &in.SerialPhotos[i]
		if q.Serial == "" || q.Start.IsZero() || (class.Institution != "" && q.Institution == class.Institution) {
			continue
		}
		qEnd := q.End
		if qEnd.IsZero() {
			qEnd = q.Start
		}
		// The classes' days are within `days` of one another (calendar days,
		// whatever zone each date was read in).
		if dayNumber(q.Start) > dayNumber(end)+days || dayNumber(class.Start) > dayNumber(qEnd)+days {
			continue
		}
		bySerial[q.Serial] = append(bySerial[q.Serial], q)
	}
	classes := map[string]bool{}
	var names []string
	for i := range in.Photos {
		p := &in.Photos[i]
		qs := bySerial[p.Serial]
		if p.Serial == "" || len(qs) == 0 {
			continue
		}
		f.Photos.SameCamera++
		var others []string
		for _, q := range qs {
			others = append(others, templates.Say("facts.serial_other", q.Label, q.Start, q.End, q.File))
			if !classes[q.Label] {
				classes[q.Label] = true
				names = append(names, q.Label)
			}
		}
		sort.Strings(others)
		const shown = 3
		more := ""
		if len(others) > shown {
			more = templates.Say("facts.serial_more", len(others))
			others = others[:shown]
		}
		ev(yanshou.EvPhotosSameCamera, yanshou.Evidence{File: p.File,
			Detail: templates.Say("facts.photo_same_camera", p.Serial, cameraName(p), strings.Join(others, "；")+more)})
	}
	sort.Strings(names)
	f.Photos.SameCameraClasses = strings.Join(names, "、")
}

// dayNumber numbers a date's calendar day (days since 1970-01-01).
func dayNumber(d yanshou.Date) int {
	y, m, dd := d.Date()
	return int(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

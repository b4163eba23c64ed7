package facts

import (
	"math/bits"
	"sort"
	"strings"

	"golang.org/x/text/width"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
)

// gatherPhotos counts the photo facts: time, place, reuse, duplicates within the
// class, stripped metadata, editing software and camera clocks that disagree with
// GPS. It sets ReusedOf on photos that repeat another class's or an earlier photo
// of this class.
func gatherPhotos(f *yanshou.Facts, in Input, ev func(string, ...yanshou.Evidence)) {
	cfg := in.Config
	th := cfg.Thresholds
	class := in.Submission.Class
	f.Photos.VenueKnown = in.VenueKnown
	sums := map[string]string{}
	for _, file := range in.Submission.Files {
		sums[file.Rel] = file.SHA256
	}

	// Reuse first: a duplicate within the class is counted once below.
	dup := make([]bool, len(in.Photos))
	for i := range in.Photos {
		p := &in.Photos[i]
		p.ReusedOf, p.Pairs = "", nil
		sha := sums[p.File]
		of, detail, same, pair := reusedFrom(p, sha, in.PriorPhotos, in.Captures, th)
		if pair != nil {
			p.Pairs = append(p.Pairs, *pair)
		}
		if same {
			p.ReusedOf = of
			f.Photos.Reused++
			ev(yanshou.EvPhotosReused, yanshou.Evidence{File: p.File, Detail: detail})
			continue
		} else if detail != "" {
			f.Photos.Similar++
			ev(yanshou.EvPhotosSimilar, yanshou.Evidence{File: p.File, Detail: detail})
		}
		for j := 0; j < i; j++ {
			q := &in.Photos[j]
			how, dist := "", 0
			switch {
			case sha != "" && sums[q.File] == sha:
				how = templates.Say("facts.photo_same_file")
			default:
				d, crop := hashDistance(p.Hash, p.Hashes, q.Hash, q.Hashes, th.PhashCropPenalty)
				if d > th.PhashMaxDistance {
					continue
				}
				how, dist = templates.Say("facts.photo_same_hash", d, cropNote(crop), th.PhashMaxDistance), d
			}
			dup[i] = true
			p.ReusedOf = templates.Say("facts.photo_in_class", q.File)
			p.Pairs = append(p.Pairs, yanshou.PhotoPair{Kind: yanshou.PairReused, File: q.File, SHA256: sums[q.File], Distance: dist})
			f.Photos.Duplicates++
			ev(yanshou.EvPhotosDuplicates, yanshou.Evidence{File: p.File, Detail: templates.Say("facts.photo_duplicate", q.File, how)})
			break
		}
	}

	perDay := map[string]int{}
	editors := map[string]bool{}
	var edited []string
	for i := range in.Photos {
		p := &in.Photos[i]
		f.Photos.Total++
		if p.Kind == yanshou.GroupPhoto {
			f.Photos.Group++
		} else {
			f.Photos.OnSite++
		}
		stripped := looksStripped(p, th.PhotoStrippedMaxSide)
		if stripped {
			f.Photos.Stripped++
		}
		switch {
		case p.Damaged != "":
			f.Photos.Unverifiable++
			ev(yanshou.EvPhotosUnverifiable, yanshou.Evidence{File: p.File, Detail: templates.Say("facts.photo_damaged", p.Damaged)})
		case p.Taken == nil || stripped:
			if p.Taken == nil {
				f.Photos.NoExif++
			}
			f.Photos.Unverifiable++
			detail := templates.Say("facts.photo_no_time")
			switch {
			case p.Error != nil:
				detail = *p.Error
			case stripped:
				detail = templates.Say("facts.photo_stripped", p.Width, p.Height)
			}
			if p.Taken == nil && p.Watermark != nil && p.Watermark.Note != "" {
				detail += templates.Say("facts.photo_watermark_note", p.Watermark.Note)
			}
			ev(yanshou.EvPhotosUnverifiable, yanshou.Evidence{File: p.File, Detail: detail})
		case p.InWindow != nil && !*p.InWindow:
			f.Photos.OutsideWindow++
			ev(yanshou.EvPhotosOutsideWindow, yanshou.Evidence{File: p.File, Detail: templates.Say("facts.photo_outside_window", p.Taken.In(cfg.Location).Format("2006-01-02 15:04"), windowText(class)) + sourceNote(p)})
		case p.Verified():
			f.Photos.Verified++
			if p.Kind == yanshou.SitePhotos && !dup[i] {
				perDay[p.Taken.In(cfg.Location).Format("2006-01-02")]++
			}
		}
		if p.Taken != nil && p.GPSTime != nil && th.PhotoClockMaxSkew > 0 {
			if d := p.Taken.Sub(*p.GPSTime).Abs(); d > th.PhotoClockMaxSkew {
				f.Photos.ClockSkew++
				if th.PhotoClockFailSkew > 0 && d > th.PhotoClockFailSkew {
					f.Photos.ClockFar++
				}
				ev(yanshou.EvPhotosClock, yanshou.Evidence{File: p.File, Detail: templates.Say("facts.photo_clock",
					p.Taken.Format("2006-01-02 15:04:05 -07:00"), p.GPSTime.UTC().Format("2006-01-02 15:04:05 UTC"),
					p.GPSTime.In(cfg.Location).Format("2006-01-02 15:04:05 -07:00"), zh.Duration(d))})
			}
		}
		watermarkFacts(f, p, th, cfg, ev)
		watermarkPlaceFacts(f, p, in, ev)
		if word := editorIn(p.Software, cfg.PhotoEditors); word != "" {
			f.Photos.Edited++
			if !editors[p.Software] {
				editors[p.Software] = true
				edited = append(edited, p.Software)
			}
			ev(yanshou.EvPhotosEdited, yanshou.Evidence{File: p.File, Detail: templates.Say("facts.photo_edited", p.Software, word)})
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
				d = templates.Say("facts.photo_distance", *p.DistanceM)
			}
			if p.InCounty != nil && !*p.InCounty {
				d += templates.Say("facts.photo_outside_county")
			}
			ev(yanshou.EvPhotosOutsideVenue, yanshou.Evidence{File: p.File, Detail: templates.Say("facts.photo_position", *p.Lat, *p.Lon, d)})
		}
	}
	f.Photos.EditedSoftware = strings.Join(edited, "、")
	gatherForensics(f, in, ev)
	if f.Photos.OutsideVenue > 0 && in.Venue != nil {
		var at []yanshou.LatLon
		for _, p := range in.Photos {
			if p.Lat != nil && p.Lon != nil {
				at = append(at, yanshou.LatLon{Lat: *p.Lat, Lon: *p.Lon})
			}
		}
		if declared, actual, ok := geo.DatumMixup(*in.Venue, in.VenueRadiusM, at); ok {
			f.Photos.DatumMixup = templates.Say("facts.datum_mixup", templates.Say("facts.datum_"+actual), templates.Say("facts.datum_"+declared))
			ev(yanshou.EvPhotosDatum, yanshou.Evidence{Detail: templates.Say("facts.datum_evidence", in.Venue.Lat, in.Venue.Lon, len(at), templates.Say("facts.datum_"+actual))})
		}
	}
	if f.Photos.Total > 0 {
		f.Photos.UnverifiableShare = float64(f.Photos.Unverifiable) / float64(f.Photos.Total)
		f.Photos.NoGPSShare = float64(f.Photos.NoGPS) / float64(f.Photos.Total)
	}
	if class != nil && class.Days() > 0 && th.PhotosMinPerDay > 0 {
		for d := 0; d < class.Days(); d++ {
			day := class.Start.AddDate(0, 0, d).Format("2006-01-02")
			if n := perDay[day]; n < th.PhotosMinPerDay {
				f.Photos.DaysShort++
				ev(yanshou.EvPhotosDaysShort, yanshou.Evidence{Detail: templates.Say("facts.photo_day_short", day, n)})
			}
		}
	}
	sort.SliceStable(f.Evidence[yanshou.EvPhotosOutsideWindow], func(i, j int) bool {
		return f.Evidence[yanshou.EvPhotosOutsideWindow][i].File < f.Evidence[yanshou.EvPhotosOutsideWindow][j].File
	})
}

// reusedFrom compares a photo with the photos of other classes. An identical
// file (SHA-256) is the same picture. A perceptual hash within
// photo_compare_max_distance is only a candidate: a wide shot of a room hashes
// alike for every class held there, and a copy cut between the standard crops
// comes a few bits further than phash_max_distance. It is the same picture
// (same true; of names the other photo) when the aligned pair agrees in at
// least photo_same_capture_min_share of its cells (captures, measured by the
// driver); with less it is the same room, shown for review. A candidate within
// phash_max_distance that could not be compared is shown as not compared; one
// further, as similar. Failing that, a photo taken again of another class's
// photo — a print or a screen whose framed picture agrees with it in at least
// photo_framed_min_share of its cells (Capture.Framed) — is similar, and
// failing that, the nearest photo within phash_similar_distance gives a detail
// for review with same false. pair is the other photo named in detail, with
// its measure (nil when detail is empty).
func reusedFrom(p *yanshou.Photo, sha string, prior []yanshou.PriorPhoto, captures map[CaptureKey]Capture, th yanshou.Thresholds) (of, detail string, same bool, pair *yanshou.PhotoPair) {
	name := func(q *yanshou.PriorPhoto) string {
		return templates.Say("facts.prior_photo", q.Label, q.Version, q.File)
	}
	if sha != "" {
		for i := range prior {
			if q := &prior[i]; q.SHA256 == sha {
				return name(q), templates.Say("facts.prior_same_file", name(q)), true, pairWith(q, yanshou.PairReused, 0, 0)
			}
		}
	}
	if p.Hash == 0 {
		return "", "", false, nil
	}
	type candidate struct {
		q    *yanshou.PriorPhoto
		d    int
		crop bool
	}
	var near []candidate
	best, bestD, bestCrop := -1, 65, false
	for i := range prior {
		q := &prior[i]
		d, crop := hashDistance(p.Hash, p.Hashes, q.Hash, q.Hashes, th.PhashCropPenalty)
		if d <= compareReach(th) {
			near = append(near, candidate{q, d, crop})
		} else if d < bestD {
			best, bestD, bestCrop = i, d, crop
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].d < near[j].d })
	var room string // the nearest candidate, when none proved to be the same capture
	var roomPair *yanshou.PhotoPair
	for _, c := range near {
		m, ok := captures[CaptureKey{p.File, c.q.SHA256}]
		if ok && m.Err == "" && m.Share >= th.PhotoSameCaptureMinShare {
			return name(c.q), templates.Say("facts.prior_same_capture", name(c.q), c.d, cropNote(c.crop), zh.Percent(m.Share), zh.Percent(th.PhotoSameCaptureMinShare)), true,
				pairWith(c.q, yanshou.PairReused, c.d, m.Share)
		}
		switch {
		case room != "":
		case ok && m.Err == "":
			room = templates.Say("facts.prior_same_room", name(c.q), c.d, cropNote(c.crop), zh.Percent(m.Share), zh.Percent(th.PhotoSameCaptureMinShare))
			roomPair = pairWith(c.q, yanshou.PairSimilar, c.d, m.Share)
		case c.d > th.PhashMaxDistance: // compared only as a chance to find a copy
			room = templates.Say("facts.prior_similar", name(c.q), c.d, cropNote(c.crop), th.PhashMaxDistance+1, th.PhashSimilarDistance)
			roomPair = pairWith(c.q, yanshou.PairSimilar, c.d, 0)
		default:
			reason := m.Err
			if !ok {
				reason = templates.Say("facts.capture_not_compared")
			}
			room = templates.Say("facts.prior_not_compared", name(c.q), c.d, cropNote(c.crop), reason)
			roomPair = pairWith(c.q, yanshou.PairSimilar, c.d, 0)
		}
	}
	// A photo taken again of another class's photo, printed or shown on a
	// screen: the picture inside the frame agrees with it (never a veto).
	var again *yanshou.PriorPhoto
	var againOf Capture
	for i := range prior {
		q := &prior[i]
		if m, ok := captures[CaptureKey{p.File, q.SHA256}]; ok && m.Err == "" && m.Framed >= th.PhotoFramedMinShare && m.Framed > againOf.Framed {
			again, againOf = q, m
		}
	}
	if again != nil {
		kind := templates.Say("facts.rephoto_screen")
		if againOf.FramedPrint {
			kind = templates.Say("facts.rephoto_print")
		}
		d, _ := hashDistance(p.Hash, p.Hashes, again.Hash, again.Hashes, th.PhashCropPenalty)
		return "", templates.Say("facts.prior_rephotographed", kind, name(again), zh.Percent(againOf.Framed), zh.Percent(th.PhotoFramedMinShare)), false,
			pairWith(again, yanshou.PairSimilar, d, againOf.Framed)
	}
	switch {
	case room != "":
		return "", room, false, roomPair
	case best < 0:
		return "", "", false, nil
	case bestD <= th.PhashSimilarDistance:
		q := &prior[best]
		return "", templates.Say("facts.prior_similar",
			name(q), bestD, cropNote(bestCrop), th.PhashMaxDistance+1, th.PhashSimilarDistance), false, pairWith(q, yanshou.PairSimilar, bestD, 0)
	}
	return "", "", false, nil
}

// pairWith is the pair of a photo with q, another class's photo, of kind
// (yanshou.PairReused or PairSimilar) at distance d bits and share of
// matching cells once aligned (0: not measured).
func pairWith(q *yanshou.PriorPhoto, kind string, d int, share float64) *yanshou.PhotoPair {
	return &yanshou.PhotoPair{Kind: kind, Label: q.Label, ClassID: q.SubmissionID, Version: q.Version,
		File: q.File, SHA256: q.SHA256, Distance: d, Share: share}
}

// CaptureKey names a pair compared for being the same capture: a photo of the
// class (its file) and a photo of another class (its SHA-256).
type CaptureKey struct{ File, Prior string }

// Capture is how far a candidate pair agrees once aligned (photo.CompareCaptures).
type Capture struct {
	Share float64 // share of the aligned cells whose content agrees
	Err   string  // why the pair could not be compared (Chinese), or ""
	// Framed is, when the class's photo shows a picture inside a frame (a
	// photo taken again of a print or a screen), the share of that picture's
	// cells agreeing with the other photo; 0 when it shows none. FramedPrint:
	// the frame is a print's paper border (else a monitor's bezel).
	Framed      float64
	FramedPrint bool
}

// MaxCandidates is how many photos of other classes, the nearest by perceptual
// hash, a photo is compared with cell by cell: a copy is the nearest, and a
// class held in a room used before would otherwise be compared with every
// photo ever taken there. The others within reach are "not compared" (for
// review), never a veto.
const MaxCandidates = 5

// compareReach is how far apart, in bits, another class's photo may be to be
// compared cell by cell: photo_compare_max_distance, and never less than
// phash_max_distance (a configuration from before the key has none).
func compareReach(th yanshou.Thresholds) int {
	return max(th.PhashMaxDistance, th.PhotoCompareMaxDistance)
}

// Candidates lists the pairs of a photo of the class and a photo of another
// class whose perceptual hashes are within photo_compare_max_distance (crops counted)
// — for each photo its MaxCandidates nearest —: those reusedFrom needs a
// capture comparison for.
func Candidates(photos []yanshou.Photo, prior []yanshou.PriorPhoto, th yanshou.Thresholds) []CaptureKey {
	var out []CaptureKey
	for i := range photos {
		p := &photos[i]
		type near struct {
			sha string
			d   int
		}
		var ns []near
		for j := range prior {
			q := &prior[j]
			if d, _ := hashDistance(p.Hash, p.Hashes, q.Hash, q.Hashes, th.PhashCropPenalty); d <= compareReach(th) {
				ns = append(ns, near{q.SHA256, d})
			}
		}
		sort.SliceStable(ns, func(a, b int) bool { return ns[a].d < ns[b].d })
		for _, n := range ns[:min(len(ns), MaxCandidates)] {
			out = append(out, CaptureKey{p.File, n.sha})
		}
	}
	return out
}

// FramedCandidates lists the pairs of a photo of the class that shows a
// picture inside a frame — framed[i] is the hash of the picture photos[i]
// shows (photo.FramedHash), 0 when none — and, for each, the MaxCandidates
// photos of other classes nearest that hash within photo_framed_max_distance:
// those reusedFrom needs Capture.Framed for. A print's glare and cast keep its
// hash further from the old photo's than a copy's, so only photos holding a
// frame are compared this far.
func FramedCandidates(photos []yanshou.Photo, framed []uint64, prior []yanshou.PriorPhoto, th yanshou.Thresholds) []CaptureKey {
	var out []CaptureKey
	for i := range photos {
		if i >= len(framed) || framed[i] == 0 {
			continue
		}
		type near struct {
			sha string
			d   int
		}
		var ns []near
		for j := range prior {
			if q := &prior[j]; q.Hash != 0 {
				if d := bits.OnesCount64(framed[i] ^ q.Hash); d <= th.PhotoFramedMaxDistance {
					ns = append(ns, near{q.SHA256, d})
				}
			}
		}
		sort.SliceStable(ns, func(a, b int) bool { return ns[a].d < ns[b].d })
		for _, n := range ns[:min(len(ns), MaxCandidates)] {
			out = append(out, CaptureKey{photos[i].File, n.sha})
		}
	}
	return out
}

// NearAny returns a test of whether a photo of another class, with perceptual
// hash hash and crop hashes crops, is close enough to one of photos for
// reusedFrom to name it (within photo_compare_max_distance or phash_similar_distance,
// crops and their penalty counted). A photo for which it is false can be left out
// of Input.PriorPhotos without changing any fact, since reusedFrom only looks
// further than the nearest photo when that is out of reach; so a ledger need
// only hand over the photos it accepts and those with the same SHA-256.
func NearAny(photos []yanshou.Photo, th yanshou.Thresholds) func(hash uint64, crops []uint64) bool {
	limit := max(compareReach(th), th.PhashSimilarDistance)
	var mine []*yanshou.Photo
	for i := range photos {
		if photos[i].Hash != 0 {
			mine = append(mine, &photos[i])
		}
	}
	return func(hash uint64, crops []uint64) bool {
		for _, p := range mine {
			if d, _ := hashDistance(p.Hash, p.Hashes, hash, crops, th.PhashCropPenalty); d <= limit {
				return true
			}
		}
		return false
	}
}

// hashDistance is how far apart two pictures are, in bits of their perceptual
// hashes: the distance of the whole pictures, or — when less — of one whole
// picture and a standard crop (5% off the sides) of the other plus penalty bits:
// a copy cropped by a few percent matches the corresponding crop of the
// original closely, and the penalty keeps look-alike photos from matching
// through one of the many crops. crop tells which way it was. A zero hash
// means none: 65.
func hashDistance(a uint64, aCrops []uint64, b uint64, bCrops []uint64, penalty int) (d int, crop bool) {
	if a == 0 || b == 0 {
		return 65, false
	}
	d = bits.OnesCount64(a ^ b)
	for _, c := range bCrops {
		if x := bits.OnesCount64(a^c) + penalty; x < d {
			d, crop = x, true
		}
	}
	for _, c := range aCrops {
		if x := bits.OnesCount64(c^b) + penalty; x < d {
			d, crop = x, true
		}
	}
	return d, crop
}

func cropNote(crop bool) string {
	if crop {
		return templates.Say("facts.crop_note")
	}
	return ""
}

// looksStripped reports whether a photo's metadata looks removed, as WeChat does
// to pictures not sent as 原图: no camera make or model, no camera time (none, or
// only the DateTime a re-saving program writes) and a long side of at most maxSide.
func looksStripped(p *yanshou.Photo, maxSide int) bool {
	long := max(p.Width, p.Height)
	return maxSide > 0 && p.Make == "" && p.Model == "" && long > 0 && long <= maxSide &&
		(p.Taken == nil || p.TimeSource == "DateTime")
}

// watermarkFacts counts a photo whose time came from its watermark strip, and
// one whose watermark time and EXIF time are further apart than
// photo_watermark_max_skew (the burned-in time was set by hand, or the picture
// is not what the camera took), each with its evidence.
func watermarkFacts(f *yanshou.Facts, p *yanshou.Photo, th yanshou.Thresholds, cfg *yanshou.Config, ev func(string, ...yanshou.Evidence)) {
	w := p.Watermark
	if w == nil || w.Taken == nil || p.Taken == nil {
		return
	}
	at := w.Taken.In(cfg.Location).Format("2006-01-02 15:04")
	if p.TimeSource == yanshou.TimeSourceWatermark {
		f.Photos.WatermarkTime++
		place := ""
		if w.Address != "" {
			place = templates.Say("facts.photo_watermark_address", w.Address)
		}
		if w.Lat != nil && w.Lon != nil {
			place += templates.Say("facts.photo_watermark_position", *w.Lat, *w.Lon)
		}
		ev(yanshou.EvPhotosWatermark, yanshou.Evidence{File: p.File, Detail: templates.Say("facts.photo_watermark_time", at, place)})
		return
	}
	if d := p.Taken.Sub(*w.Taken).Abs(); th.PhotoWatermarkMaxSkew > 0 && d > th.PhotoWatermarkMaxSkew {
		f.Photos.WatermarkSkew++
		ev(yanshou.EvPhotosWatermark, yanshou.Evidence{File: p.File, Detail: templates.Say("facts.photo_watermark_skew",
			at, p.Taken.In(cfg.Location).Format("2006-01-02 15:04:05"), p.TimeSource, zh.Duration(d))})
	}
}

// sourceNote says, after a photo's time, that it was read from the watermark.
func sourceNote(p *yanshou.Photo) string {
	if p.TimeSource == yanshou.TimeSourceWatermark {
		return templates.Say("facts.photo_from_watermark")
	}
	return ""
}

// editorIn returns the configured editor word found in software (case and
// full-width forms ignored), or "".
func editorIn(software string, editors []string) string {
	s := strings.ToLower(width.Fold.String(software))
	if strings.TrimSpace(s) == "" {
		return ""
	}
	for _, e := range editors {
		if w := strings.ToLower(width.Fold.String(strings.TrimSpace(e))); w != "" && strings.Contains(s, w) {
			return e
		}
	}
	return ""
}

func windowText(c *yanshou.ClassInfo) string {
	if c == nil || c.Start.IsZero() {
		return ""
	}
	return templates.Say("facts.window", c.Start, c.End)
}

package pipeline

import (
	"errors"
	"os"
	"runtime"
	"sync"

	"yanshou"
	"yanshou/pipeline/judge/facts"
	"yanshou/pipeline/platform/oserr"
	"yanshou/pipeline/stage/photo"
	"yanshou/pipeline/store/originals"
	"yanshou/templates"
)

// readPhotos reads, judges and hashes the on-site and group photos, a few at a time.
func (p *Pipeline) readPhotos(sub *yanshou.Submission, venue *yanshou.LatLon, radius float64) []yanshou.Photo {
	var files []yanshou.File
	for _, f := range sub.Files {
		if f.Kind.IsPhoto() && (photo.IsPhoto(f.Rel) || photo.IsVideo(f.Rel)) {
			files = append(files, f)
		}
	}
	// Perceptual hashes are cached by file content: a photo seen before (a
	// re-check, a resubmission, a copy in another class) is not decoded again.
	sums := make([]string, 0, len(files))
	for _, f := range files {
		sums = append(sums, f.SHA256)
	}
	cached, err := p.Ledger.CachedHashes(photo.HashAlgorithm, sums)
	if err != nil {
		p.Log.Warn("photo hash cache unreadable; hashing every photo", "error", err)
	}
	out := make([]yanshou.Photo, len(files))
	sem := make(chan struct{}, max(1, runtime.NumCPU()))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = p.readPhoto(f, sub.Class, venue, radius, cached[f.SHA256])
		}()
	}
	wg.Wait()
	fresh := map[string][]uint64{}
	for i, f := range files {
		if _, ok := cached[f.SHA256]; !ok && f.SHA256 != "" && out[i].Hash != 0 {
			fresh[f.SHA256] = append([]uint64{out[i].Hash}, out[i].Hashes...)
		}
	}
	if err := p.Ledger.CacheHashes(photo.HashAlgorithm, fresh); err != nil {
		p.Log.Warn("photo hash cache not written", "error", err)
	}
	return out
}

// priorPhotos returns the photos of other classes that facts compares this
// class's photos with, with their crop hashes: of the photos PhotosOutside would
// give, those with the same SHA-256 as one of photos or a perceptual hash near
// one of them (the others cannot change any fact), found through the pipeline's
// photo index instead of reading every earlier class's photos.
func (p *Pipeline) priorPhotos(id string, sub *yanshou.Submission, photos []yanshou.Photo) ([]yanshou.PriorPhoto, error) {
	bySum := make(map[string]string, len(sub.Files))
	for _, f := range sub.Files {
		bySum[f.Rel] = f.SHA256
	}
	sums := make([]string, 0, len(photos))
	for _, ph := range photos {
		if s := bySum[ph.File]; s != "" {
			sums = append(sums, s)
		}
	}
	prior, err := p.photoIdx.PhotosNear(p.Ledger, photo.HashAlgorithm, id, sums, facts.NearAny(photos, p.Config.Thresholds))
	if err != nil {
		return nil, err
	}
	p.withCropHashes(prior)
	return prior, nil
}

// serialPhotos returns the photos of earlier classes of other institutions
// shot by one of this class's cameras (by serial number), for photos.same_camera.
func (p *Pipeline) serialPhotos(id string, sub *yanshou.Submission, photos []yanshou.Photo) ([]yanshou.SerialPhoto, error) {
	var serials []string
	for _, ph := range photos {
		if ph.Serial != "" {
			serials = append(serials, ph.Serial)
		}
	}
	if len(serials) == 0 {
		return nil, nil
	}
	inst := ""
	if sub.Class != nil {
		inst = sub.Class.Institution
	}
	return p.Ledger.PhotosBySerial(id, inst, serials)
}

// withCropHashes adds to photos of other classes the hashes of their crops,
// from the hash cache, so that a cropped copy of one of them is found.
func (p *Pipeline) withCropHashes(prior []yanshou.PriorPhoto) {
	sums := make([]string, 0, len(prior))
	for _, q := range prior {
		sums = append(sums, q.SHA256)
	}
	cached, err := p.Ledger.CachedHashes(photo.HashAlgorithm, sums)
	if err != nil {
		p.Log.Warn("photo hash cache unreadable; other classes' photos compared whole only", "error", err)
		return
	}
	for i := range prior {
		if hs := cached[prior[i].SHA256]; len(hs) > 1 && hs[0] == prior[i].Hash {
			prior[i].Hashes = hs[1:]
		}
	}
}

// readPhoto reads and judges one photo; its perceptual hashes are cached (the
// whole picture, then its crops) when known, else computed.
func (p *Pipeline) readPhoto(f yanshou.File, class *yanshou.ClassInfo, venue *yanshou.LatLon, radius float64, cached []uint64) (ph yanshou.Photo) {
	defer func() {
		if r := recover(); r != nil {
			msg := templates.Say("pipeline.photo_panic", f.Rel, r)
			ph = yanshou.Photo{File: f.Rel, Kind: f.Kind, Error: &msg}
		}
	}()
	if photo.IsVideo(f.Rel) { // 第七条: 培训现场照片及视频 — the time and place, and a poster frame
		ph = photo.ReadVideo(f.Abs, f.Rel, p.Config.Location)
		ph.Kind, ph.Video = f.Kind, true
		photo.Judge(&ph, class, venue, radius, p.Config)
		p.videoPoster(&ph, f, cached)
		return ph
	}
	ph = photo.Read(f.Abs, f.Rel, p.Config.Location)
	ph.Kind = f.Kind
	photo.Judge(&ph, class, venue, radius, p.Config)
	// The hash is only for finding reuse; a picture that cannot be decoded has
	// none, and one that is damaged or too large is recorded as such (a HEIF
	// of another codec than HEVC, such as AVIF, is not decoded at all, which
	// is not its fault).
	if len(cached) > 0 && cached[0] != 0 {
		ph.Hash, ph.Hashes = cached[0], cached[1:]
	} else if hs, err := photo.Hashes(f.Abs, p.Config.Intake.MaxImagePixels); err == nil {
		ph.Hash, ph.Hashes = hs[0], hs[1:]
	} else if !errors.Is(err, photo.ErrNotDecoded) {
		ph.Damaged = err.Error()
	}
	photo.CompareThumb(&ph) // the EXIF thumbnail against the picture, by their hashes: nothing decoded again
	return ph
}

// posterPath is where the poster frame of the video with that SHA-256 is kept:
// in the state folder, next to the originals, so that a re-check and the
// comparison with a later class find it without running ffmpeg again.
func (p *Pipeline) posterPath(sha string) string {
	return p.stateDir("posters", sha+".jpg")
}

// videoPoster takes the poster frame of a video (photo.Poster: once per
// content, when ffmpeg is installed) and hashes it as a photo, so that a video
// reused from another class is found; without it, ph.PosterNote says why.
func (p *Pipeline) videoPoster(ph *yanshou.Photo, f yanshou.File, cached []uint64) {
	if ph.Error != nil || f.SHA256 == "" {
		return
	}
	dst := p.posterPath(f.SHA256)
	if err := photo.Poster(f.Abs, ph.DurationS, dst); err != nil {
		ph.PosterNote = err.Error()
		return
	}
	ph.Poster = dst
	if len(cached) > 0 && cached[0] != 0 {
		ph.Hash, ph.Hashes = cached[0], cached[1:]
	} else if hs, err := photo.Hashes(dst, p.Config.Intake.MaxImagePixels); err == nil {
		ph.Hash, ph.Hashes = hs[0], hs[1:]
	}
}

// picturePath is the file whose pixels stand for a material in a capture
// comparison: a video's poster frame when it has one, else the file itself.
func (p *Pipeline) picturePath(sha, path string) string {
	if sha != "" {
		if st, err := os.Stat(p.posterPath(sha)); err == nil && st.Mode().IsRegular() {
			return p.posterPath(sha)
		}
	}
	return path
}

// captures compares, cell by cell once aligned, each pair of a photo of this
// class and a photo of another class whose perceptual hashes are close
// (facts.Candidates): the other photo is read from the originals kept for its
// class. Only such pairs — rare, except for classes held in one room — are
// decoded again.
func (p *Pipeline) captures(sub *yanshou.Submission, photos []yanshou.Photo, prior []yanshou.PriorPhoto) map[facts.CaptureKey]facts.Capture {
	pairs := facts.Candidates(photos, prior, p.Config.Thresholds)
	if len(pairs) == 0 {
		return nil
	}
	abs := make(map[string]string, len(sub.Files))
	for _, f := range sub.Files {
		abs[f.Rel] = f.Abs
	}
	for _, ph := range photos {
		if ph.Poster != "" {
			abs[ph.File] = ph.Poster
		}
	}
	// Each picture is decoded once, however many pairs it is in.
	type decoded struct {
		pic *photo.Picture
		err error
	}
	pictures := map[string]decoded{}
	load := func(path string) (*photo.Picture, error) {
		d, ok := pictures[path]
		if !ok {
			d.pic, d.err = photo.LoadPicture(path, p.Config.Intake.MaxImagePixels)
			pictures[path] = d
		}
		return d.pic, d.err
	}
	out := make(map[facts.CaptureKey]facts.Capture, len(pairs))
	for _, k := range pairs {
		a, err := load(abs[k.File])
		var b *photo.Picture
		if err == nil {
			b, err = load(p.picturePath(k.Prior, originals.Path(p.stateDir("originals"), k.Prior)))
		}
		if err != nil {
			p.Log.Warn("photos not compared cell by cell", "file", k.File, "other", k.Prior, "error", err)
			out[k] = facts.Capture{Err: templates.Say("facts.capture_failed", oserr.Reason(err))}
			continue
		}
		out[k] = facts.Capture{Share: photo.Compare(a, b, p.Config.Thresholds.PhotoCaptureTolerance).Share}
	}
	return out
}

package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"

	"yanshou"
	"yanshou/pipeline/judge/facts"
	"yanshou/pipeline/platform/oserr"
	"yanshou/pipeline/stage/photo"
	"yanshou/pipeline/store/ledger"
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
	if err := photo.TrimProxies(p.stateDir("proxies"), photo.MaxProxies); err != nil {
		p.Log.Warn("HEIC proxies not trimmed", "error", err)
	}
	out := make([]yanshou.Photo, len(files))
	scans := p.cachedWatermarks(files)
	sums = make([]string, len(files))                   // the SHA-256 of the bytes hashed, when hashed here
	scanned := make([]*photo.WatermarkScan, len(files)) // watermark scans made here
	// Copies of one content (the same photo under two names) are read after
	// it, from its hashes and scan: each content is decoded once.
	first := map[string]int{}
	var once, copies []int
	for i, f := range files {
		if j, ok := first[f.SHA256]; ok && f.SHA256 != "" && j != i {
			copies = append(copies, i)
			continue
		}
		first[f.SHA256] = i
		once = append(once, i)
	}
	eachOnCores(len(once), func(k int) {
		i := once[k]
		out[i], sums[i], scanned[i] = p.readPhoto(files[i], sub.Class, venue, radius, cached[files[i].SHA256], scans[files[i].SHA256])
	})
	eachOnCores(len(copies), func(k int) {
		i := copies[k]
		j := first[files[i].SHA256]
		hs, wm := cached[files[i].SHA256], scans[files[i].SHA256]
		if len(hs) == 0 && out[j].Hash != 0 {
			hs = append([]uint64{out[j].Hash}, out[j].Hashes...)
		}
		if wm == nil {
			wm = scanned[j]
		}
		out[i], _, _ = p.readPhoto(files[i], sub.Class, venue, radius, hs, wm)
	})
	p.cacheWatermarks(files, scanned)
	fresh := map[string][]uint64{}
	for i, f := range files {
		if _, ok := cached[f.SHA256]; ok || f.SHA256 == "" || out[i].Hash == 0 || first[f.SHA256] != i {
			continue
		}
		if sums[i] != f.SHA256 { // changed since it was listed: its hashes are not those of f.SHA256
			p.Log.Warn("photo changed while being checked; its hashes are not cached", "file", f.Rel)
			continue
		}
		fresh[f.SHA256] = append([]uint64{out[i].Hash}, out[i].Hashes...)
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

// withCropHashes gives photos of other classes the hashes of the current
// photo.HashAlgorithm — the whole picture and its crops, mirrored and turned
// variants — from the hash cache, so that an edited copy of one of them is
// found. The perceptual hash the ledger recorded for a photo may be of an
// earlier algorithm: a photo whose cache has no entry of the current one is
// hashed again from the originals kept for its class (and cached), and one
// whose original is not kept is not compared by hash at all (Hash 0) — a hash
// of another algorithm is never compared with this one's.
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
	var again []int // prior photos to hash again
	for i := range prior {
		hs := cached[prior[i].SHA256]
		switch {
		case prior[i].Hash == 0:
		case len(hs) > 0 && hs[0] != 0:
			prior[i].Hash, prior[i].Hashes = hs[0], hs[1:]
		default:
			again = append(again, i)
		}
	}
	if len(again) == 0 {
		return
	}
	redone := make([][]uint64, len(again))
	eachOnCores(len(again), func(k int) {
		q := &prior[again[k]]
		hs, sum, err := photo.HashesSum(originals.Path(p.stateDir("originals"), q.SHA256), p.Config.Intake.MaxImagePixels)
		if err == nil && sum == q.SHA256 && hs[0] != 0 {
			redone[k] = hs
		}
	})
	fresh := map[string][]uint64{}
	lost := 0
	for k, i := range again {
		if hs := redone[k]; hs != nil {
			prior[i].Hash, prior[i].Hashes = hs[0], hs[1:]
			fresh[prior[i].SHA256] = hs
		} else {
			prior[i].Hash, prior[i].Hashes = 0, nil
			lost++
		}
	}
	if lost > 0 {
		p.Log.Warn("earlier photos whose hashes are of another algorithm and whose originals are not kept: not compared by hash", "photos", lost)
	}
	if err := p.Ledger.CacheHashes(photo.HashAlgorithm, fresh); err != nil {
		p.Log.Warn("photo hash cache not written", "error", err)
	}
}

// eachOnCores calls fn(0) … fn(n−1) on a pool of GOMAXPROCS goroutines and
// returns when all are done; fn writes its result at its own index, so the
// results keep their order. At most GOMAXPROCS pictures are decoded at once,
// which bounds the memory.
func eachOnCores(n int, fn func(i int)) {
	workers := min(n, max(1, runtime.GOMAXPROCS(0)))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// readPhoto reads and judges one photo; its perceptual hashes are cached (the
// whole picture, then its crops) when known, else computed, with sum the
// SHA-256 of the bytes they were computed from; so is its watermark scan (wm),
// else scanned and returned as scanned.
func (p *Pipeline) readPhoto(f yanshou.File, class *yanshou.ClassInfo, venue *yanshou.LatLon, radius float64, cached []uint64, wm *photo.WatermarkScan) (ph yanshou.Photo, sum string, scanned *photo.WatermarkScan) {
	defer func() {
		if r := recover(); r != nil {
			msg := templates.Say("pipeline.photo_panic", f.Rel, r)
			ph, sum, scanned = yanshou.Photo{File: f.Rel, Kind: f.Kind, Error: &msg}, "", nil
		}
	}()
	if photo.IsVideo(f.Rel) { // 第七条: 培训现场照片及视频 — the time and place, and a poster frame
		ph = photo.ReadVideo(f.Abs, f.Rel, p.Config.Location)
		ph.Kind, ph.Video = f.Kind, true
		photo.Judge(&ph, class, venue, radius, p.Config)
		p.videoPoster(&ph, f, cached)
		if ph.Hash != 0 {
			return ph, f.SHA256, nil // the poster's hashes, cached under the video's content
		}
		return ph, "", nil
	}
	ph = photo.Read(f.Abs, f.Rel, p.Config.Location)
	ph.Kind = f.Kind
	// The hash is only for finding reuse; a picture that cannot be decoded has
	// none, and one that is damaged or too large is recorded as such (a HEIF
	// of another codec than HEVC, such as AVIF, is not decoded at all, which
	// is not its fault).
	// A picture is decoded once: for the hashes and the watermark strip below;
	// a HEIC's decode also leaves its proxy, which the watermark scan, the
	// report and the archive read.
	proxy := p.heicProxy(f)
	var decoded *photo.Decoded
	if len(cached) > 0 && cached[0] != 0 {
		ph.Hash, ph.Hashes = cached[0], cached[1:]
		if proxy != "" {
			photo.WriteProxy(f.Abs, p.Config.Intake.MaxImagePixels, proxy) // when missing; without it the report decodes the HEIC
		}
	} else if hs, s, d, err := photo.HashesSumProxy(f.Abs, p.Config.Intake.MaxImagePixels, proxy); err == nil {
		ph.Hash, ph.Hashes, sum, decoded = hs[0], hs[1:], s, d
		if proxy != "" && s != f.SHA256 { // changed since listed: the proxy is not of f.SHA256
			os.Remove(proxy)
		}
	} else if !errors.Is(err, photo.ErrNotDecoded) {
		ph.Damaged = err.Error()
	}
	if proxy != "" && p.isFile(proxy) {
		ph.Proxy = proxy
	}
	// A watermark camera's strip: the time when EXIF has none, else a cross-check.
	if wm == nil {
		src := f.Abs
		if ph.Proxy != "" { // the proxy's resolution, not the decoded plane's
			src, decoded = ph.Proxy, nil
		}
		s := scanWatermark(src, decoded, p.Config.Intake.MaxImagePixels)
		wm, scanned = &s, &s
	}
	photo.UseWatermark(&ph, photo.Interpret(*wm, p.Config.Location, p.Config.WatermarkDatum))
	photo.Judge(&ph, class, venue, radius, p.Config)
	photo.CompareThumb(&ph) // the EXIF thumbnail against the picture, by their hashes: nothing decoded again
	return ph, sum, scanned
}

// proxyPath is where the proxy JPEG of the HEIC photo with that SHA-256 is
// kept (photo.HashesSumProxy): in the state folder, so that the report, the
// archive, a re-check and a later class's comparison decode nothing.
func (p *Pipeline) proxyPath(sha string) string {
	return p.stateDir("proxies", sha+".jpg")
}

// heicProxy is the proxy path of f when it is a HEIC picture, else "".
func (p *Pipeline) heicProxy(f yanshou.File) string {
	if f.SHA256 == "" || !photo.IsHEIC(f.Abs) {
		return ""
	}
	return p.proxyPath(f.SHA256)
}

// isFile reports whether a regular file is at path.
func (p *Pipeline) isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
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
// comparison: a video's poster frame or a HEIC's proxy when it has one, else
// the file itself.
func (p *Pipeline) picturePath(sha, path string) string {
	if sha != "" {
		for _, alt := range []string{p.posterPath(sha), p.proxyPath(sha)} {
			if p.isFile(alt) {
				return alt
			}
		}
	}
	return path
}

// captures compares, cell by cell once aligned, each pair of a photo of this
// class and a photo of another class whose perceptual hashes are close
// (facts.Candidates), and each pair of a photo showing a picture inside a
// frame and a photo of another class near that picture's hash
// (facts.FramedCandidates): the other photo is read from the originals kept
// for its class. Only such pairs — rare, except for classes held in one room — are
// decoded again.
func (p *Pipeline) captures(sub *yanshou.Submission, photos []yanshou.Photo, prior []yanshou.PriorPhoto) map[facts.CaptureKey]facts.Capture {
	pairs := facts.Candidates(photos, prior, p.Config.Thresholds)
	// Photos showing a picture inside a frame (taken again of a print or a
	// screen) are compared with the photos nearest that picture's hash too.
	framed := make([]uint64, len(photos))
	for i := range photos {
		framed[i] = photo.FramedHash(photos[i].Hashes)
	}
	listed := make(map[facts.CaptureKey]bool, len(pairs))
	for _, k := range pairs {
		listed[k] = true
	}
	for _, k := range facts.FramedCandidates(photos, framed, prior, p.Config.Thresholds) {
		if !listed[k] {
			listed[k] = true
			pairs = append(pairs, k)
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	abs, sha := make(map[string]string, len(sub.Files)), make(map[string]string, len(sub.Files))
	for _, f := range sub.Files {
		abs[f.Rel], sha[f.Rel] = f.Abs, f.SHA256
	}
	// Pairs compared before (a batch under changed rules, a resubmission)
	// are read from the ledger, not decoded again.
	algo := fmt.Sprintf("%s-tolerance%g", photo.CaptureAlgorithm, p.Config.Thresholds.PhotoCaptureTolerance)
	keys := make([]ledger.PhotoPairKey, len(pairs))
	for i, k := range pairs {
		keys[i] = ledger.PhotoPairKey{A: sha[k.File], B: k.Prior}
	}
	cached, err := p.Ledger.CachedCaptures(algo, keys)
	if err != nil {
		p.Log.Warn("photo capture cache not read", "error", err)
		cached = nil
	}
	fresh := map[ledger.PhotoPairKey]ledger.CachedCapture{}
	for _, ph := range photos {
		if ph.Poster != "" {
			abs[ph.File] = ph.Poster
		} else if ph.Proxy != "" {
			abs[ph.File] = ph.Proxy
		}
	}
	// Each picture is decoded once, however many pairs it is in; the pairs
	// are compared on all cores.
	type decoded struct {
		once sync.Once
		pic  *photo.Picture
		err  error
	}
	var mu sync.Mutex
	pictures := map[string]*decoded{}
	load := func(path string) (*photo.Picture, error) {
		mu.Lock()
		d := pictures[path]
		if d == nil {
			d = &decoded{}
			pictures[path] = d
		}
		mu.Unlock()
		d.once.Do(func() { d.pic, d.err = loadPicture(path, p.Config.Intake.MaxImagePixels) })
		return d.pic, d.err
	}
	type result struct {
		c   photo.Capture
		err error
	}
	results := make([]result, len(pairs))
	eachOnCores(len(pairs), func(i int) {
		if _, ok := cached[keys[i]]; ok {
			return
		}
		k := pairs[i]
		a, err := load(abs[k.File])
		var b *photo.Picture
		if err == nil {
			b, err = load(p.picturePath(k.Prior, originals.Path(p.stateDir("originals"), k.Prior)))
		}
		if err != nil {
			results[i].err = err
			return
		}
		results[i].c = photo.Compare(a, b, p.Config.Thresholds.PhotoCaptureTolerance)
	})
	out := make(map[facts.CaptureKey]facts.Capture, len(pairs))
	for i, k := range pairs {
		if c, ok := cached[keys[i]]; ok {
			out[k] = facts.Capture{Share: c.Share, Framed: c.Framed, FramedPrint: c.FramedPrint}
			continue
		}
		if err := results[i].err; err != nil {
			p.Log.Warn("photos not compared cell by cell", "file", k.File, "other", k.Prior, "error", err)
			out[k] = facts.Capture{Err: templates.Say("facts.capture_failed", oserr.Reason(err))}
			continue
		}
		c := results[i].c
		out[k] = facts.Capture{Share: c.Share, Framed: c.Framed, FramedPrint: c.FramedPrint}
		if keys[i].A != "" {
			fresh[keys[i]] = ledger.CachedCapture{Share: c.Share, Framed: c.Framed, FramedPrint: c.FramedPrint}
		}
	}
	if err := p.Ledger.CacheCaptures(algo, fresh); err != nil {
		p.Log.Warn("photo capture cache not written", "error", err)
	}
	return out
}

// loadPicture is photo.LoadPicture (decoding a photo for the cell-by-cell
// comparison); a test counts its calls through it.
var loadPicture = photo.LoadPicture

// scanWatermark is photo.ScanWatermarkDecoded (in the plane the hashes were
// computed from, when they were computed here); a test counts its calls
// through it.
var scanWatermark = photo.ScanWatermarkDecoded

// watermarkCache names the scans in the document-text cache: with or without
// OCR (a scan made without tesseract is made again once it is installed).
func watermarkCache() string {
	if photo.CanReadWatermarks() {
		return photo.WatermarkAlgorithm
	}
	return photo.WatermarkAlgorithm + "-no-ocr"
}

// cachedWatermarks returns the watermark scans of files already scanned (a
// re-check, a resubmission), by SHA-256, from the ledger's text cache.
func (p *Pipeline) cachedWatermarks(files []yanshou.File) map[string]*photo.WatermarkScan {
	algo := watermarkCache()
	out := map[string]*photo.WatermarkScan{}
	for _, f := range files {
		if f.SHA256 == "" || photo.IsVideo(f.Rel) {
			continue
		}
		pages, _, ok, err := p.Ledger.CachedText(algo, f.SHA256)
		if err != nil {
			p.Log.Warn("watermark cache unreadable; scanning every photo", "error", err)
			return out
		}
		var s photo.WatermarkScan
		if ok && len(pages) == 1 && json.Unmarshal([]byte(pages[0]), &s) == nil {
			out[f.SHA256] = &s
		}
	}
	return out
}

// cacheWatermarks records the fresh scans; one that failed (a timeout) is not
// recorded, so that it is tried again.
func (p *Pipeline) cacheWatermarks(files []yanshou.File, scans []*photo.WatermarkScan) {
	algo := watermarkCache()
	for i, s := range scans {
		if s == nil || s.Err != "" || files[i].SHA256 == "" {
			continue
		}
		js, err := json.Marshal(s)
		if err == nil {
			err = p.Ledger.CacheText(algo, files[i].SHA256, []string{string(js)}, s.OCR)
		}
		if err != nil {
			p.Log.Warn("watermark cache not written", "error", err)
			return
		}
	}
}

// pairOriginals finds the other photo of every pair of photos (Photo.Pairs) for
// the documents: in the originals store by its SHA-256 (another class's photo,
// kept when that class was judged), else — a photo of this class — the
// submitted file; with its EXIF time (headers only, nothing decoded). A pair
// whose original is not kept gets an empty Path: the documents say so.
func (p *Pipeline) pairOriginals(sub *yanshou.Submission, photos []yanshou.Photo) map[string]yanshou.PairOriginal {
	abs := make(map[string]string, len(sub.Files))
	for _, f := range sub.Files {
		abs[f.Rel] = f.Abs
	}
	var out map[string]yanshou.PairOriginal
	for _, ph := range photos {
		for _, q := range ph.Pairs {
			if _, done := out[q.SHA256]; done || q.SHA256 == "" {
				continue
			}
			var o yanshou.PairOriginal
			orig := originals.Path(p.stateDir("originals"), q.SHA256)
			if !p.isFile(orig) {
				orig = ""
				if q.ClassID == "" { // this class's own photo, not stored yet on a first check
					orig = abs[q.File]
				}
			}
			if orig != "" {
				// shown from its poster or HEIC proxy when there is one (nothing
				// decoded again); its time read from the original's headers
				o.Path = p.picturePath(q.SHA256, orig)
				if photo.IsPhoto(q.File) {
					o.Taken = photo.Read(orig, q.File, p.Config.Location).Taken
				}
			}
			if out == nil {
				out = map[string]yanshou.PairOriginal{}
			}
			out[q.SHA256] = o
		}
	}
	return out
}

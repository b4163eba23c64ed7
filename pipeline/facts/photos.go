package facts

import (
	"fmt"
	"math/bits"
	"sort"

	"yanshou"
)

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

package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"yanshou"
)

// logMessages are the driver's log messages in Chinese. The pipeline logs
// short English message ids; TestLogMessagesTranslated fails when one of them
// has no line here.
var logMessages = map[string]string{
	"checked":                                "已验收",
	"re-checked, judgement unchanged":        "重新验收，结论未变",
	"already judged":                         "内容相同，已验收过，不再重复验收",
	"not processed":                          "未能处理",
	"not checked: stopped":                   "已中断，未验收",
	"internal error":                         "内部错误",
	"characters missing from the font":       "字体缺少这些字，已以□代替",
	"originals incomplete, using the origin": "存档的原件不全，改用原提交文件夹",
	"batch stopped":                          "批量重新评定已停止",
	"not re-evaluated":                       "未能重新评定",
	"photo hash cache unreadable; hashing every photo":                       "照片指纹缓存无法读取，逐张重新计算",
	"photo hash cache not written":                                           "照片指纹缓存未能写入",
	"photo hash cache unreadable; other classes' photos compared whole only": "照片指纹缓存无法读取，与其他班次的照片只作整图比对",
	"photos not compared cell by cell":                                       "照片未能逐格比对",
	"photo capture cache not read":                                           "照片逐格比对缓存未能读取",
	"photo capture cache not written":                                        "照片逐格比对缓存未能写入",
	"photo changed while being checked; its hashes are not cached":           "照片在验收过程中被改动，其图像指纹不写入缓存",
	"HEIC proxies not trimmed":                                               "HEIC 照片预览图缓存未能清理",
	"earlier photos whose hashes are of another algorithm and whose originals are not kept: not compared by hash": "早先班次的部分照片指纹为旧算法所算且原件未存档，不按图像指纹比对",
	"watermark cache unreadable; scanning every photo":                                                            "照片水印缓存无法读取，逐张重新识别",
	"watermark cache not written": "照片水印识别结果未能写入缓存",
	"detail not kept":             "核验明细（照片、考勤）未能写入状态目录",
	// The review desk (yanshou serve).
	"login locked":      "登录失败次数过多，已暂时锁定",
	"login":             "已登录",
	"thumbnail":         "缩略图未能生成",
	"template":          "页面未能生成",
	"request":           "请求未能处理",
	"decision":          "已记录审核决定",
	"upload":            "已收到上传的班次材料",
	"upload repeated":   "同一次上传再次提交，未重复放入收件目录",
	"upload refused":    "未接收上传",
	"verdict confirmed": "已确认结论",
	"detail":            "照片和考勤明细无法读取",
	"history":           "版本之间的材料未能比较",
	"blank templates":   "空白模板未能生成",
	"signin sheets":     "部分签到表未能生成",
	"headcount":         "已登记现场清点实到人数",
	"inspection":        "已登记检查记录",
	// The reviewed documents after a confirmation (desk, batch).
	"reviewed documents not rendered": "确认结论后未能生成审核后的文件",
	"reviewed set not rendered":       "未能重新生成审核后的文件",
	"upload verified":                 "分段上传的压缩包已收齐，SHA-256 校验相符",
	// The final verdicts stored at decision time (desk).
	"final verdict not stored":      "审核后结论未能写入台账（打开验收队列时将重新计算）",
	"final verdicts computed again": "已重新计算台账中缺失或过时的审核后结论",
}

// logKeys are the attribute names of the text log in Chinese (the JSON log
// keeps the English names, for the tools that read it).
var logKeys = map[string]string{
	"path": "路径", "id": "编号", "version": "版本", "verdict": "结论", "verdict_zh": "结论",
	"findings": "问题数", "duration": "用时", "error": "错误", "panic": "异常", "stack": "调用栈",
	"document": "文件", "font": "字体", "runes": "缺字", "origin": "原提交", "done": "已完成",
	"total": "共", "file": "文件", "other": "对比照片", "inbox": "收件目录", "outbox": "输出目录",
	"settle": "静置时间", "rescan": "扫描间隔", "workers": "并行数", "poll_only": "仅定时扫描",
	"in_flight": "进行中", "grace": "等待时限", "faults": "故障次数", "wait": "下次重试",
	"dir": "文件夹", "taken": "已接收", "failed": "未能处理", "abandoned": "已放弃", "skipped": "已跳过",
	"repeated": "其中已验收过",
	"login":    "账号", "role": "角色", "addr": "地址", "err": "错误", "page": "页面", "class": "班次",
	"finding": "问题", "action": "操作", "count": "个数",
	"token": "上传编号", "reason": "原因", "institution": "培训机构", "place": "放入", "files": "文件数", "bytes": "字节数",
}

// logLevels are the level names of the text log.
var logLevels = map[slog.Level]string{
	slog.LevelDebug: "调试", slog.LevelInfo: "信息", slog.LevelWarn: "警告", slog.LevelError: "错误",
}

// newLogger writes structured logs to stderr, with times in the county's time
// zone (loc; nil: the machine's): text in Chinese by default, JSON on request
// (Chinese messages, English keys).
func newLogger(w io.Writer, format string, quiet bool, loc *time.Location) *slog.Logger {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelWarn
	}
	if loc == nil {
		loc = time.Local
	}
	json := strings.EqualFold(format, "json")
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) > 0 {
			return a
		}
		switch a.Key {
		case slog.TimeKey:
			if t, ok := a.Value.Any().(time.Time); ok {
				a.Value = slog.TimeValue(t.In(loc))
			}
			if !json {
				a.Key = "时间"
			}
			return a
		case slog.LevelKey:
			if !json {
				if l, ok := a.Value.Any().(slog.Level); ok && logLevels[l] != "" {
					a.Value = slog.StringValue(logLevels[l])
				}
				a.Key = "级别"
			}
			return a
		case slog.MessageKey:
			if zh, ok := logMessages[a.Value.String()]; ok {
				a.Value = slog.StringValue(zh)
			}
			if !json {
				a.Key = "消息"
			}
			return a
		}
		if json {
			return a
		}
		if a.Key == "verdict" {
			if v := yanshou.Verdict(a.Value.String()); v.Chinese() != "" && v.Chinese() != string(v) {
				a.Value = slog.StringValue(v.Chinese())
			}
		}
		if zh, ok := logKeys[a.Key]; ok {
			a.Key = zh
		}
		return a
	}}
	if json {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(dedupVerdict{slog.NewTextHandler(w, opts)})
}

// dedupVerdict drops verdict_zh from text records that also carry verdict: both
// become 结论 in Chinese.
type dedupVerdict struct{ slog.Handler }

func (d dedupVerdict) Handle(ctx context.Context, r slog.Record) error {
	has := false
	r.Attrs(func(a slog.Attr) bool {
		has = has || a.Key == "verdict"
		return !has
	})
	if !has {
		return d.Handler.Handle(ctx, r)
	}
	c := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key != "verdict_zh" {
			c.AddAttrs(a)
		}
		return true
	})
	return d.Handler.Handle(ctx, c)
}

func (d dedupVerdict) WithAttrs(as []slog.Attr) slog.Handler {
	return dedupVerdict{d.Handler.WithAttrs(as)}
}

func (d dedupVerdict) WithGroup(name string) slog.Handler {
	return dedupVerdict{d.Handler.WithGroup(name)}
}

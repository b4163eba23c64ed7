package inventory

import (
	"testing"

	"yanshou"
)

// TestRecogniseOfficeTitles: file and folder names as Chinese offices and
// training institutions write them, each with the material a county clerk would
// file it under.
func TestRecogniseOfficeTitles(t *testing.T) {
	const (
		app   = yanshou.Application
		appr  = yanshou.Approval
		note  = yanshou.Notice
		ware  = yanshou.Courseware
		site  = yanshou.SitePhotos
		group = yanshou.GroupPhoto
		ros   = yanshou.Roster
		sign  = yanshou.SignInSheets
		cont  = yanshou.Content
		fol   = yanshou.FollowUp
		sum   = yanshou.Summary
		other = yanshou.Other
	)
	tests := []struct {
		rel  string
		want yanshou.MaterialKind
	}{
		// 申请
		{"01申请报告.pdf", app},
		{"01-关于举办2026年第3期农村电商培训班的申请.pdf", app},
		{"关于申请开展电子商务进农村培训的请示.docx", app},
		{"宏达职业培训学校培训申请书（盖章版）.pdf", app},
		{"1.培训申请表.doc", app},
		{"申请报告(1).pdf", app},
		{"培训申请-最终版.docx", app},
		{"一、申请报告.pdf", app},
		{"关于XX培训学校开展电商培训的请示（扫描件）.pdf", app},
		{"申请/扫描件1.jpg", app},
		// 批复
		{"02-关于同意培训申请的批复.pdf", appr},
		{"02批复.pdf", appr},
		{"商务局关于同意举办电商培训班的批复（商电商办〔2026〕12号）.pdf", appr},
		{"县电商办关于宏达学校培训申请的复函.pdf", appr},
		{"批复文件.jpg", appr},
		{"审批表.pdf", appr},
		{"培训申请审批表.pdf", appr},
		{"关于同意XX学校开展第3期培训的批复-扫描件.pdf", appr},
		{"02 批复/IMG_0012.JPG", appr},
		{"批复（2026.3.1）.pdf", appr},
		// 通知
		{"03培训通知.docx", note},
		{"关于举办农村电商培训班的通知.docx", note},
		{"培训通知及课程安排.pdf", note},
		{"关于举办2026年第三期电商培训班的通知（含学员名单）.pdf", note},
		{"开班通知.pdf", note},
		{"通知/培训通知-定稿.docx", note},
		{"关于召开培训班开班仪式的通知.doc", note},
		{"3、培训通知.wps", note},
		// 课件
		{"04培训课件/第一讲 网店运营.pptx", ware},
		{"课件/第二讲 直播带货.pdf", ware},
		{"农产品电商营销课件.pptx", ware},
		{"培训讲义（张老师）.docx", ware},
		{"教案-第3讲.doc", ware},
		{"PPT/抖音运营.pptx", ware},
		{"讲稿.docx", ware},
		// 现场照片
		{"05现场照片/IMG_20260310_093012.jpg", site},
		{"现场照片（1）.jpg", site},
		{"培训现场.jpg", site},
		{"培训现场照片/微信图片_20260310104512.jpg", site},
		{"照片/DSC_0012.JPG", site},
		{"现场图片/1.png", site},
		{"现场照片/学员签到现场.jpg", site},
		{"现场视频/开班.mp4", site},
		{"课件/短视频策划与拍摄剪辑.pdf", ware}, // a course about short videos is no photo
		{"影像资料/IMG_1234.HEIC", site},
		{"现场照片.pdf", site},
		// 合影
		{"06合影照片/合影.jpg", group},
		{"06合影照片.jpg", group},
		{"05现场照片 (6).jpg", site},
		{"合影照片/IMG_2001.jpg", group},
		{"学员合影留念.jpg", group},
		{"照片/学员合影.jpg", group},
		{"集体照（第3期）.jpg", group},
		{"全体学员照.png", group},
		// 名单
		{"07培训学员名单.xlsx", ros},
		{"学员花名册（已审核）.xlsx", ros},
		{"2026年第3期学员名单.xls", ros},
		{"参训学员信息.xlsx", ros},
		{"培训学员名册（最终版）.xlsx", ros},
		{"学员名单.csv", ros},
		{"学员名单/名单.pdf", ros},
		{"学员名单.jpg", other}, // a photo is never the roster
		// 签到
		{"08签到表.xlsx", sign},
		{"2026年第3期签到表（第一天）.pdf", sign},
		{"签到表(上午).xlsx", sign},
		{"学员签到/第一天.xlsx", sign},
		{"签到学员名单.xlsx", sign},
		{"签到表扫描件.pdf", sign},
		{"签到/IMG_0001.jpg", sign},
		{"3月10日签到.xlsx", sign},
		{"培训签到表-第2天.xls", sign},
		{"签到表照片（上午）.jpg", sign}, // a photo of the sheet is the sheet
		{"08签到表/签到表照片1.jpg", sign},
		{"签到表照片/IMG_0001.HEIC", sign},
		{"签到表图片2.png", sign},
		{"05现场照片/签到现场照片.jpg", site}, // the scene of signing in is a site photo
		// 培训内容
		{"09培训内容.pdf", cont},
		{"课程安排.docx", cont},
		{"培训课程表.xlsx", cont},
		{"教学计划.doc", cont},
		{"培训日程安排（修订版）.pdf", cont},
		// 回访
		{"10电话回访记录.xlsx", fol},
		{"电话回访学员名单.xlsx", fol},
		{"学员回访记录表.xls", fol},
		{"回访情况统计.xlsx", fol},
		{"培训后电话回访.docx", fol},
		// 总结
		{"11情况总结.pdf", sum},
		{"培训工作总结.docx", sum},
		{"关于2026年第3期电商培训的总结.pdf", sum},
		{"总结（盖章）.pdf", sum},
		{"第3期培训总结报告.docx", sum},
		// 不是材料
		{"发票.pdf", other},
		{"其他/说明.txt", other},
		{"IMG_0001.jpg", other},
		{"批复.xlsx", other}, // a spreadsheet is never a 批复
		{"总结.jpg.txt", sum},
		{"新建文件夹/新建文本文档.txt", other},
	}
	if len(tests) < 80 {
		t.Fatalf("only %d names", len(tests))
	}
	for _, tt := range tests {
		if got := Classify(tt.rel); got != tt.want {
			t.Errorf("Classify(%q) = %s, want %s", tt.rel, got, tt.want)
		}
	}
}

// TestRecogniseAlso: where the folder names one material and the file's name
// another, the name decides and the folder's is kept for a warning.
func TestRecogniseAlso(t *testing.T) {
	for _, tt := range []struct {
		rel        string
		kind, also yanshou.MaterialKind
	}{
		{"现场照片/学员签到表.jpg", yanshou.SignInSheets, yanshou.SitePhotos},
		{"07学员名单/签到表.xlsx", yanshou.SignInSheets, yanshou.Roster},
		{"05现场照片/IMG_0001.jpg", yanshou.SitePhotos, ""},
		{"04培训课件/课件1.pptx", yanshou.Courseware, ""},
	} {
		r := Recognise(tt.rel)
		if r.Kind != tt.kind || r.Also != tt.also {
			t.Errorf("Recognise(%q) = %s also %q, want %s also %q", tt.rel, r.Kind, r.Also, tt.kind, tt.also)
		}
	}
}

package sample

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// person is one fictional resident: a trainee, a walk-in or a teacher.
type person struct {
	Name     string
	Male     bool
	ID       string // 18 characters, GB 11643 check digit
	Phone    string // 11 digits
	Town     string // 乡镇
	Village  string // 村
	Category string // 学员类别
	Poor     bool   // 建档立卡贫困户
}

// Gender returns 男 or 女.
func (p person) Gender() string {
	if p.Male {
		return "男"
	}
	return "女"
}

var surnames = []rune("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶贺顾毛郝龚邵万钱严武戴孔向常牛葛耿")

var maleGiven = []rune("伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林东峰建国庆志海亮成新春晓文博阳振松永生")
var femaleGiven = []rune("芳娜敏静丽艳娟霞燕玲桂英秀兰梅琳婷雪慧颖倩洁莉红云萍璐月晶欣悦佳琪彤丹凤荣翠花琴蕾")

// 商水县's towns (乡镇、街道).
var towns = []string{"城关乡", "东城街道", "新城街道", "老城街道", "黄寨镇", "练集镇", "魏集镇", "固墙镇",
	"白寺镇", "巴村镇", "谭庄镇", "邓城镇", "胡吉镇", "平店乡", "袁老乡", "化河乡", "姚集乡", "舒庄乡",
	"大武乡", "张明乡", "郝岗乡", "张庄乡", "汤庄乡"}

var villageSuffix = []string{"庄村", "楼村", "营村", "寨村", "集村", "湾村", "岗村", "店村", "桥村", "口村"}

var categories = []string{"返乡青年", "合作社成员", "种养大户", "个体工商户", "电商服务站点人员",
	"未就业高校毕业生", "退伍军人", "有培训意愿的农民", "农产品经纪人", "贫困家庭成员"}

// idWeights are the GB 11643-1999 weights of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// CheckDigit returns the GB 11643-1999 check character for the first 17 digits of
// a resident ID number.
func CheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// people hands out residents that never repeat a name, ID or phone within one sample.
type people struct {
	rng                *rand.Rand
	names, ids, phones map[string]bool
}

func newPeople(rng *rand.Rand) *people {
	return &people{rng: rng, names: map[string]bool{}, ids: map[string]bool{}, phones: map[string]bool{}}
}

func (g *people) name(male bool) string {
	pool := femaleGiven
	if male {
		pool = maleGiven
	}
	for {
		n := string(surnames[g.rng.IntN(len(surnames))]) + string(pool[g.rng.IntN(len(pool))])
		if g.rng.IntN(100) < 70 {
			n += string(pool[g.rng.IntN(len(pool))])
		}
		if !g.names[n] {
			g.names[n] = true
			return n
		}
	}
}

func (g *people) id(male bool) string {
	for {
		code := "411623"
		if g.rng.IntN(100) < 10 {
			code = "412723" // the county's code before 2000, still on older cards
		}
		birth := time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(39*365))
		seq := g.rng.IntN(500)*2 + 1 // odd: male
		if !male {
			seq--
		}
		first := fmt.Sprintf("%s%s%03d", code, birth.Format("20060102"), seq)
		id := first + string(CheckDigit(first))
		if !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

var phonePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139",
	"150", "151", "152", "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"}

func (g *people) phone() string {
	for {
		p := phonePrefixes[g.rng.IntN(len(phonePrefixes))] + fmt.Sprintf("%08d", g.rng.IntN(100000000))
		if !g.phones[p] {
			g.phones[p] = true
			return p
		}
	}
}

// trainee returns a new fictional resident of the county.
func (g *people) trainee() person {
	male := g.rng.IntN(100) < 55
	p := person{Male: male, Name: g.name(male), ID: g.id(male), Phone: g.phone()}
	p.Town = towns[g.rng.IntN(len(towns))]
	p.Village = string(surnames[g.rng.IntN(len(surnames))]) + villageSuffix[g.rng.IntN(len(villageSuffix))]
	p.Category = categories[g.rng.IntN(len(categories))]
	p.Poor = p.Category == "贫困家庭成员" || g.rng.IntN(100) < 8
	return p
}

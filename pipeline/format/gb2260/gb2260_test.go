package gb2260

import "testing"

func TestLookup(t *testing.T) {
	for _, tt := range []struct {
		id     string
		status Status
		name   string
	}{
		{"411623199001011234", Current, "河南省周口市商水县"},
		{"412723196505050011", Retired, "河南省周口地区商水县"}, // 周口地区 before 2000
		{"411626198001010000", Retired, "河南省周口市淮阳县"},  // became 淮阳区 411603 in 2019
		{"411603", Current, "河南省周口市淮阳区"},
		{"110104", Retired, "北京市宣武区"},
		{"411699", Unknown, ""}, // no such county
		{"419999", Unknown, ""},
		{"4116", Unknown, ""},
	} {
		c := Lookup(tt.id)
		if c.Status != tt.status || c.Name != tt.name {
			t.Errorf("Lookup(%s) = %v %q, want %v %q", tt.id, c.Status, c.Name, tt.status, tt.name)
		}
	}
	if n := Len(); n < 7000 {
		t.Errorf("only %d codes loaded", n)
	}
}

package towndesk

// Place is a county-level unit (县, 县级市, 区, 旗) or a township-level unit
// (乡, 镇, 街道, 苏木) inside one, as named in the national gazetteer.
// A county has an empty Town.
type Place struct {
	Province   string `json:"province"`
	City       string `json:"city,omitempty"`
	County     string `json:"county"`
	CountyCode string `json:"county_code,omitempty"`
	Town       string `json:"town,omitempty"`
	TownCode   string `json:"town_code,omitempty"`
}

// IsTown reports whether p is a township-level place.
func (p Place) IsTown() bool { return p.Town != "" }

// Code returns the gazetteer code of p: the town's if it is a town, else the county's.
func (p Place) Code() string {
	if p.IsTown() {
		return p.TownCode
	}
	return p.CountyCode
}

// CountyPlace returns the county that p lies in (p itself for a county).
func (p Place) CountyPlace() Place {
	p.Town, p.TownCode = "", ""
	return p
}

// String returns the place as people write it: 山东省滕州市滨湖镇.
func (p Place) String() string {
	return p.Province + p.County + p.Town
}

// Short returns county and town only (滕州市滨湖镇), enough inside a reply.
func (p Place) Short() string {
	return p.County + p.Town
}

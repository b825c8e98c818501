package corpus

import (
	"fmt"
	"time"
)

// Stats are the figures of the modification register for a period, as the annual report
// gives them.
type Stats struct {
	From        Date          `json:"from"`
	To          Date          `json:"to"`
	OpenAtStart int           `json:"open_at_start"`
	Raised      int           `json:"raised"`
	Concluded   int           `json:"concluded"`
	Approved    int           `json:"approved"`
	Rejected    int           `json:"rejected"`
	Withdrawn   int           `json:"withdrawn"`
	OpenAtEnd   int           `json:"open_at_end"`
	ByMonth     []MonthRaised `json:"by_month"`
}

// MonthRaised is the number of proposals raised in a month and the running total in the period.
type MonthRaised struct {
	Month      string `json:"month"` // YYYY-MM
	Raised     int    `json:"raised"`
	Cumulative int    `json:"cumulative"`
}

// Concluded is the date a modification was concluded: its decision for one approved or
// rejected, its withdrawal for one withdrawn; "" while it is open.
func (m *Modification) Concluded() Date {
	switch m.Status {
	case "approved", "rejected", "withdrawn":
		return m.Decided
	}
	return ""
}

// RegulatoryYear is the year from 1 April to 31 March that contains day.
func RegulatoryYear(day Date) (from, to Date) {
	t, err := time.Parse("2006-01-02", string(day))
	if err != nil {
		return "", ""
	}
	y := t.Year()
	if t.Month() < time.April {
		y--
	}
	return Date(fmt.Sprintf("%04d-04-01", y)), Date(fmt.Sprintf("%04d-03-31", y+1))
}

// ModificationStats computes the register's figures for [from, to]:
//   - open at start: raised before from, and not concluded before from;
//   - raised: raised in the period; concluded (approved, rejected, withdrawn): concluded in it;
//   - open at end: raised by to, and not concluded by to.
func (c *Code) ModificationStats(from, to Date) Stats {
	s := Stats{From: from, To: to, ByMonth: []MonthRaised{}}
	months := map[string]int{}
	for _, m := range c.Modifications {
		end := m.Concluded()
		if m.Raised < from && (end == "" || end >= from) {
			s.OpenAtStart++
		}
		if m.Raised >= from && m.Raised <= to {
			s.Raised++
			months[string(m.Raised)[:7]]++
		}
		if end != "" && end >= from && end <= to {
			s.Concluded++
			switch m.Status {
			case "approved":
				s.Approved++
			case "rejected":
				s.Rejected++
			case "withdrawn":
				s.Withdrawn++
			}
		}
		if m.Raised <= to && (end == "" || end > to) {
			s.OpenAtEnd++
		}
	}
	start, err1 := time.Parse("2006-01-02", string(from))
	stop, err2 := time.Parse("2006-01-02", string(to))
	if err1 != nil || err2 != nil {
		return s
	}
	total := 0
	for t := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC); !t.After(stop); t = t.AddDate(0, 1, 0) {
		k := t.Format("2006-01")
		total += months[k]
		s.ByMonth = append(s.ByMonth, MonthRaised{Month: k, Raised: months[k], Cumulative: total})
	}
	return s
}

package docimport

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// level is one level of a numbering definition.
type level struct {
	start   int
	format  string // numFmt: decimal, lowerLetter, upperRoman, bullet, none...
	text    string // lvlText: "%1.%2", "(%3)", "H%1"
	restart int    // lvlRestart: -1 when not set; 0 never restart
	legal   bool   // isLgl: every level shown as a decimal
	pStyle  string // the paragraph style tied to this level
}

type abstractNum struct {
	levels    [9]*level
	styleLink string // numStyleLink: the numbering is defined by a numbering style
}

type numInstance struct {
	abstract string
	// overrides are w:lvlOverride: a new start (startOverride) or a whole level.
	start  map[int]int
	levels map[int]*level
}

// numbering is word/numbering.xml, and the counters of the lists as the body is read.
type numbering struct {
	abstracts map[string]*abstractNum
	nums      map[string]*numInstance
	styles    styles
	// counters by abstract numbering id; started records the numIds already seen (an
	// override of the start applies where an instance is first used).
	counters map[string]*[9]int
	started  map[string]bool
}

func newNumbering(st styles) *numbering {
	return &numbering{abstracts: map[string]*abstractNum{}, nums: map[string]*numInstance{}, styles: st,
		counters: map[string]*[9]int{}, started: map[string]bool{}}
}

// parseNumbering reads word/numbering.xml into n.
func (n *numbering) parse(part string, data []byte) error {
	r := newXMLReader(part, data)
	var (
		abs      *abstractNum
		num      *numInstance
		lvl      *level
		override = -1 // the ilvl of the w:lvlOverride being read
	)
	for {
		tok, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			val := attr(t, "val")
			switch t.Name.Local {
			case "abstractNum":
				abs = &abstractNum{}
				n.abstracts[attr(t, "abstractNumId")] = abs
			case "num":
				num = &numInstance{start: map[int]int{}, levels: map[int]*level{}}
				n.nums[attr(t, "numId")] = num
			case "abstractNumId":
				if num != nil {
					num.abstract = val
				}
			case "lvlOverride":
				override = ilvlOf(attr(t, "ilvl"))
			case "startOverride":
				if num != nil && override >= 0 {
					num.start[override] = clampCount(atoi(val, 1))
				}
			case "lvl":
				i := ilvlOf(attr(t, "ilvl"))
				if i < 0 {
					if _, err := r.skip(); err != nil {
						return err
					}
					continue
				}
				lvl = &level{start: 1, format: "decimal", restart: -1}
				switch {
				case num != nil && override >= 0:
					num.levels[override] = lvl
				case abs != nil:
					abs.levels[i] = lvl
				}
			case "start":
				if lvl != nil {
					lvl.start = clampCount(atoi(val, 1))
				}
			case "numFmt":
				if lvl != nil && val != "" {
					lvl.format = val
				}
			case "lvlText":
				if lvl != nil {
					lvl.text = val
				}
			case "lvlRestart":
				if lvl != nil {
					lvl.restart = atoi(val, -1)
				}
			case "isLgl":
				if lvl != nil {
					lvl.legal = onOff(t)
				}
			case "pStyle":
				if lvl != nil {
					lvl.pStyle = val
				}
			case "numStyleLink":
				if abs != nil {
					abs.styleLink = val
				}
			case "rPr", "pPr", "legacy", "lvlPicBulletId":
				if _, err := r.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "abstractNum":
				abs = nil
			case "num":
				num = nil
			case "lvlOverride":
				override = -1
			case "lvl":
				lvl = nil
			}
		}
	}
}

func ilvlOf(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 8 {
		return -1
	}
	return n
}

func atoi(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// maxCount bounds list counters, so that a hostile start value cannot make a huge label.
const maxCount = 1 << 20

func clampCount(n int) int { return min(max(n, 0), maxCount) }

// resolve follows numId to its abstract numbering (through a numbering style's link) and
// returns the abstract id, the definition and the instance.
func (n *numbering) resolve(numID string) (string, *abstractNum, *numInstance) {
	for i := 0; i < maxChain; i++ {
		num := n.nums[numID]
		if num == nil {
			return "", nil, nil
		}
		abs := n.abstracts[num.abstract]
		if abs == nil {
			return "", nil, nil
		}
		if abs.styleLink == "" {
			return num.abstract, abs, num
		}
		// The abstract numbering is defined by a numbering style; follow the style's numId.
		next, _ := n.styles.numbering(abs.styleLink)
		if next == "" || next == numID {
			return num.abstract, abs, num
		}
		numID = next
	}
	return "", nil, nil
}

func (n *numbering) level(abs *abstractNum, num *numInstance, i int) *level {
	if l := num.levels[i]; l != nil {
		return l
	}
	return abs.levels[i]
}

// levelForStyle finds the level of abs tied to paragraph style id (w:lvl/w:pStyle).
func levelForStyle(abs *abstractNum, id string) int {
	for i, l := range abs.levels {
		if l != nil && l.pStyle == id && id != "" {
			return i
		}
	}
	return 0
}

// label is the number of one paragraph: its text as Word shows it, and whether it is a
// bullet. Counting advances as paragraphs are numbered, in document order.
type label struct {
	text   string
	bullet bool
	ilvl   int
	none   bool // the level shows no number at all
}

// next numbers the next paragraph of list numID at level ilvl (-1: the level tied to the
// paragraph style pStyle, or 0). ok is false when the paragraph is not numbered.
func (n *numbering) next(numID string, ilvl int, pStyle string) (label, bool) {
	if numID == "" || numID == "0" {
		return label{}, false
	}
	absID, abs, num := n.resolve(numID)
	if abs == nil {
		return label{}, false
	}
	if ilvl < 0 {
		ilvl = levelForStyle(abs, pStyle)
	}
	lvl := n.level(abs, num, ilvl)
	if lvl == nil {
		return label{}, false
	}
	c := n.counters[absID]
	if c == nil {
		c = &[9]int{}
		for i := range c {
			c[i] = -1 // not used yet
		}
		n.counters[absID] = c
	}
	if !n.started[numID] {
		n.started[numID] = true
		for i, s := range num.start {
			if i >= 0 && i < 9 {
				c[i] = s - 1
			}
		}
	}
	if c[ilvl] < 0 {
		c[ilvl] = lvl.start
	} else {
		c[ilvl] = clampCount(c[ilvl] + 1)
	}
	// Deeper levels start again, unless their lvlRestart says otherwise.
	for i := ilvl + 1; i < 9; i++ {
		if l := n.level(abs, num, i); l != nil && (l.restart == 0 || l.restart > 0 && l.restart-1 < ilvl) {
			continue
		}
		c[i] = -1
	}
	if lvl.format == "bullet" {
		return label{text: lvl.text, bullet: true, ilvl: ilvl}, true
	}
	if lvl.format == "none" && !strings.Contains(lvl.text, "%") {
		return label{text: lvl.text, ilvl: ilvl, none: strings.TrimSpace(lvl.text) == ""}, true
	}
	var b strings.Builder
	t := lvl.text
	for i := 0; i < len(t); i++ {
		if t[i] == '%' && i+1 < len(t) && t[i+1] >= '1' && t[i+1] <= '9' {
			k := int(t[i+1] - '1')
			i++
			l := n.level(abs, num, k)
			if l == nil {
				continue
			}
			v := c[k]
			if v < 0 {
				v = l.start
			}
			f := l.format
			if lvl.legal && k != ilvl {
				f = "decimal"
			}
			b.WriteString(formatNumber(v, f))
			continue
		}
		b.WriteByte(t[i])
	}
	s := b.String()
	return label{text: s, ilvl: ilvl, none: strings.TrimSpace(s) == ""}, true
}

// formatNumber writes v in a numFmt. Formats we do not know are written as decimals.
func formatNumber(v int, format string) string {
	switch format {
	case "none", "bullet":
		return ""
	case "lowerLetter":
		return letters(v, 'a')
	case "upperLetter":
		return letters(v, 'A')
	case "lowerRoman":
		return strings.ToLower(roman(v))
	case "upperRoman":
		return roman(v)
	case "decimalZero":
		if v >= 0 && v < 10 {
			return "0" + strconv.Itoa(v)
		}
	}
	return strconv.Itoa(v)
}

// letters is Word's letter numbering: a..z, then aa..zz, then aaa...; beyond a few
// hundred, a decimal (a hostile count must not make a huge label).
func letters(v int, base byte) string {
	if v <= 0 || v > 26*10 {
		return strconv.Itoa(v)
	}
	return strings.Repeat(string(rune(base)+rune((v-1)%26)), (v-1)/26+1)
}

// roman writes 1..3999 in Roman numerals, anything else as a decimal.
func roman(v int) string {
	if v <= 0 || v >= 4000 {
		return strconv.Itoa(v)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, n := range vals {
		for v >= n {
			b.WriteString(syms[i])
			v -= n
		}
	}
	return b.String()
}

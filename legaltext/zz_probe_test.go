package legaltext
import ("testing"; "fmt"; "os"; "path/filepath"; "time"; "strings"; "github.com/yuin/goldmark/text")
func TestProbeTiming(t *testing.T){
	l := fuzzLinker()
	fs, _ := filepath.Glob(filepath.Join(realtextDir, "*", "*"))
	for _, f := range fs {
		data, _ := os.ReadFile(f)
		st := time.Now(); d := Parse(data); el1 := time.Since(st); st = time.Now(); Render(d, l); el2 := time.Since(st)
		st = time.Now(); d = ParseText(data); Render(d, l); el3 := time.Since(st)
		fmt.Printf("%-40s %7d parse %v render %v text %v\n", filepath.Base(f), len(data), el1, el2, el3)
	}
	for _, n := range []int{1000, 2000, 4000} {
		s := strings.Repeat("- ", n) + "x\n"
		st := time.Now(); newMarkdown().Parser().Parse(text.NewReader([]byte(s))); el0 := time.Since(st)
		st = time.Now(); Parse([]byte(s)); el1 := time.Since(st)
		fmt.Println("nested", n, el0, el1)
	}
	s := "**A1.1** x\n\n" + strings.Repeat("x\n\n", 20000)
	st := time.Now(); Parse([]byte(s)); fmt.Println("clause blocks", time.Since(st))
}

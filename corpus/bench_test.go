package corpus

import "testing"

// BenchmarkLoad is load + validate + parse of the whole bundled sample.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load("sec"); err != nil {
			b.Fatal(err)
		}
	}
}

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flag    int
		caches  int
		env     bool
		wantMiB int64
	}{
		{"default from the caches", -1, 448, false, 2*448 + 384},
		{"GOMEMLIMIT set: the runtime's", -1, 448, true, 0},
		{"off", 0, 448, false, 0},
		{"given", 700, 448, false, 700},
		{"given wins over GOMEMLIMIT", 700, 448, true, 700},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.wantMiB<<20, memoryLimit(tc.flag, tc.caches, tc.env))
		})
	}
}

package main

import (
	"context"
	"io"
)

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return nil
}

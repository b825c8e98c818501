package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/auth"
	"codenav/corpus"
	"codenav/index"
	"codenav/server"
)

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	dir := fs.String("corpus", "corpus/sec", "the corpus folder")
	data := fs.String("data", "data", "folder for derived data (the search index)")
	users := fs.String("users", "", "users file (YAML); enables signing in")
	keyFile := fs.String("session-key", "", "file holding the session signing key (32+ bytes), shared by all replicas")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	start := time.Now()
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	gin.SetMode(gin.ReleaseMode)
	code, err := corpus.Load(*dir)
	var probs corpus.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(stderr, p.String())
		}
		fmt.Fprintf(stderr, "codenav serve: the corpus %s has %d problem(s); not starting\n", *dir, len(probs))
		return exitCode(1)
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*data, 0o755); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	// The index is built (or reused) in the background: pages are served at once, searches
	// and /readyz once it is in place.
	idx, err := index.Open(ctx, *data, code, index.Options{Logger: log})
	if err != nil {
		return err
	}
	defer idx.Close()
	cfg := server.Config{Code: code, Logger: log, Index: idx}
	if *users != "" {
		u, err := auth.LoadUsers(*users)
		if err != nil {
			return err
		}
		key := auth.RandomKey()
		if *keyFile != "" {
			if key, err = auth.LoadKey(*keyFile); err != nil {
				return err
			}
		} else {
			log.Warn("no --session-key: sessions end when this process stops and do not work across replicas")
		}
		signer, err := auth.NewSigner(key, 12*time.Hour, nil)
		if err != nil {
			return err
		}
		cfg.Auth, cfg.Signer = u, signer
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	return srv.Serve(ctx, *addr, func(a string) {
		log.Info("ready", "addr", a, "corpus", *dir, "documents", len(code.Documents), "startup", time.Since(start).String())
		fmt.Fprintf(stdout, "codenav: serving %s on http://%s\n", code.Title, displayAddr(a))
	})
}

func displayAddr(a string) string {
	if len(a) > 0 && a[0] == ':' {
		return "localhost" + a
	}
	if len(a) > 5 && a[:5] == "[::]:" {
		return "localhost:" + a[5:]
	}
	return a
}

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/alerts"
	"codenav/auth"
	"codenav/corpus"
	"codenav/corpus/watch"
	"codenav/corpus/writer"
	"codenav/index"
	"codenav/server"
)

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	var dirs corpusList
	fs.Var(&dirs, "corpus", "the corpus folder (default corpus/sec); give it again for each further code: the site then serves each code under /<code id>/, with a home page and a search of every code at /")
	data := fs.String("data", "data", "folder for derived data (the search index)")
	users := fs.String("users", "", "users file (YAML); enables signing in")
	keyFile := fs.String("session-key", "", "file holding the session signing key (32+ bytes), shared by all replicas")
	sessionTTL := fs.Duration("session-ttl", 12*time.Hour, "how long a session lasts after signing in, however active")
	sessionIdle := fs.Duration("session-idle", 30*time.Minute, "a session ends after this long without a request (0: no idle timeout)")
	proxyHeader := fs.String("trusted-proxy-header", "", "read the client address from this header (X-Forwarded-For, X-Real-IP), only on connections from --trusted-proxies")
	trustedProxies := fs.String("trusted-proxies", "", "comma-separated addresses or CIDR prefixes of the proxies in front (with --trusted-proxy-header)")
	secureCookies := fs.Bool("secure-cookies", false, "mark cookies Secure even on plain HTTP (TLS ends at a proxy in front)")
	hsts := fs.Duration("hsts", 0, "send Strict-Transport-Security with this max-age (e.g. 8760h; 0: none); only behind HTTPS")
	openDrafting := fs.Bool("open-drafting", false, "without --users, let every reader use the drafting page (a private demo)")
	treeMB := fs.Int("tree-cache-mb", corpus.DefaultTreeCacheBytes>>20, "memory for parsed versions, read from their files when needed, in MiB")
	renderMB := fs.Int("render-cache-mb", server.DefaultRenderCacheBytes>>20, "memory for rendered versions (the HTML of a version's clauses), in MiB")
	memLimitMB := fs.Int("memory-limit-mb", -1, "soft memory limit of the Go heap, in MiB (default: twice the three caches plus 256; 0: none; GOMEMLIMIT in the environment wins over the default)")
	cacheMB := fs.Int("page-cache-mb", server.DefaultPageCacheBytes>>20, "memory for pages kept for anonymous readers, in MiB (0 turns the cache off)")
	workBudget := fs.Duration("work-budget", 10*time.Second, "wall time a redline or draft of posted text may take before it answers 503")
	workSlots := fs.Int("work-slots", 0, "redlines and drafts of posted text computed at once; more wait a second, then answer 503 (default half the CPUs, at least 1)")
	maxTextKB := fs.Int("max-text-kb", 2048, "largest text (each side) that the redline API and the drafting page accept, in KiB")
	saveDrafts := fs.Bool("save-drafts", false, "let signed-in drafters save modifications' legal text into the corpus folder (committed when it is a git work tree, else kept in --drafts-store)")
	draftsStore := fs.String("drafts-store", "", "folder of the history of saved drafts when the corpus is not a git work tree (default <data>/drafts)")
	alertsDir := fs.String("alerts", "", "folder of the readers' saved alerts, shared by the replicas (default: alerts/ beside the --users file)")
	baseURL := fs.String("base-url", "", "the site's public address (https://code.example.org), for the links of alert e-mails")
	sendAlerts := fs.Duration("send-alerts", 0, "on ONE replica: check this often (e.g. 15m) for alert digests due and e-mail them (0: never)")
	var smtpCfg alerts.SMTP
	fs.StringVar(&smtpCfg.Addr, "smtp-addr", "", "SMTP server host:port for alert digests (STARTTLS is used when offered)")
	fs.StringVar(&smtpCfg.From, "smtp-from", "", "sender address of alert digests")
	fs.StringVar(&smtpCfg.User, "smtp-user", "", "SMTP user name (PLAIN, over TLS)")
	smtpPassword := fs.String("smtp-password-file", "", "file whose first line is the SMTP password (keep it out of the repository, mode 0600)")
	fs.BoolVar(&smtpCfg.RequireTLS, "smtp-require-tls", false, "refuse to send when the SMTP server does not offer STARTTLS")
	watchEvery := fs.Duration("watch-corpus", watch.DefaultInterval, "look this often for changes to the corpus folder (a save through another replica, a git pull) and reload when there is one, as SIGHUP does (0: never)")
	debugAddr := fs.String("debug-addr", "", "if set, serve Go's profiler (/debug/pprof/) and Prometheus metrics (/metrics) on this address; keep it on loopback")
	metricsOn := fs.Bool("metrics", false, "also serve Prometheus metrics at /metrics on --addr (anyone who reaches --addr reads them: prefer --debug-addr, or block /metrics at the proxy)")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	if len(dirs) == 0 {
		dirs = corpusList{"corpus/sec"}
	}
	dir := &dirs[0]
	site := len(dirs) > 1
	if site && (*saveDrafts || *sendAlerts > 0) {
		fmt.Fprintln(stderr, "codenav serve: --save-drafts and --send-alerts serve one code; give one --corpus")
		return exitCode(2)
	}
	if *treeMB <= 0 || *renderMB <= 0 {
		fmt.Fprintln(stderr, "codenav serve: --tree-cache-mb and --render-cache-mb must be positive")
		return exitCode(2)
	}
	if *workBudget <= 0 || *workSlots < 0 || *maxTextKB <= 0 {
		fmt.Fprintln(stderr, "codenav serve: --work-budget and --max-text-kb must be positive, --work-slots at least 0")
		return exitCode(2)
	}
	mailer, err := alertsConfig(*users, *baseURL, *sendAlerts, *smtpPassword, &smtpCfg)
	if err != nil {
		fmt.Fprintf(stderr, "codenav serve: %v\n", err)
		return exitCode(2)
	}
	start := time.Now()
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if limit := memoryLimit(*memLimitMB, *treeMB+*renderMB+*cacheMB, os.Getenv("GOMEMLIMIT") != ""); limit > 0 {
		debug.SetMemoryLimit(limit)
		log.Info("memory limit", "mib", limit>>20)
	}
	gin.SetMode(gin.ReleaseMode)
	if err := os.MkdirAll(*data, 0o755); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	var alertStore *alerts.Store
	if *users != "" {
		if *alertsDir == "" {
			*alertsDir = filepath.Join(filepath.Dir(*users), "alerts")
		}
		if alertStore, err = alerts.NewStore(*alertsDir); err != nil {
			return err
		}
	}
	proxies, err := auth.ParseProxies(*proxyHeader, *trustedProxies)
	if err != nil {
		fmt.Fprintf(stderr, "codenav serve: %v\n", err)
		return exitCode(2)
	}
	var signer *auth.Signer
	var usersFile *auth.UsersFile
	if *users != "" {
		key := auth.RandomKey()
		if *keyFile != "" {
			if key, err = auth.LoadKey(*keyFile); err != nil {
				return err
			}
		} else {
			log.Warn("no --session-key: sessions end when this process stops and do not work across replicas")
		}
		if signer, err = auth.NewSigner(key, *sessionTTL, *sessionIdle, nil); err != nil {
			return err
		}
		if usersFile, err = auth.OpenUsersFile(*users, log); err != nil {
			fmt.Fprintf(stderr, "codenav serve: %v; not starting\n", err)
			return exitCode(1)
		}
		checkUsersFile(usersFile, log)
	}
	// One limiter for the life of the process: a reload must not give attackers a fresh
	// allowance.
	limiter := auth.NewLoginLimiter(auth.DefaultLoginLimits, nil)
	var title string
	var docs int
	var live *server.Live
	// Every reload goes through the watcher, so that it knows which state of the folder is
	// being served and does not load a save again.
	var watcher *watch.Watcher
	var w *writer.Writer
	if *saveDrafts {
		store := *draftsStore
		if store == "" {
			store = filepath.Join(*data, "drafts")
		}
		if w, err = writer.New(ctx, *dir, writer.Options{Store: store, Logger: log}); err != nil {
			return err
		}
		log.Info("drafts are saved into the corpus", "history", w.Where())
	}
	// One cache of parsed versions and one of rendered versions for the life of the process:
	// a reload's new generation reads through them too, so its memory is not added to the
	// old one's (entries of the old generation go out as they age).
	trees := corpus.NewTreeCache(int64(*treeMB) << 20)
	renders := server.NewRenderCache(*renderMB << 20)
	var current atomic.Pointer[server.Server] // the generation serving now, for the alert sender
	// One set of metrics for the life of the process: each generation counts into it.
	met := server.NewMetrics()
	// build makes one generation of the site from the corpus and users file as they are now.
	build := func(ctx context.Context) (http.Handler, io.Closer, error) {
		var codes []*corpus.Code
		for i, d := range dirs {
			// The data folder keeps the hashes of the corpus files and a snapshot of what their
			// texts say, so that a start on a corpus seen before parses none of them (one
			// folder per code in a site).
			cache := filepath.Join(*data, "corpus")
			if site {
				cache = filepath.Join(*data, fmt.Sprintf("corpus-%d", i+1))
			}
			code, err := loadServed(d, corpus.Options{CacheDir: cache, Trees: trees}, stderr)
			if err != nil {
				return nil, nil, err
			}
			codes = append(codes, code)
		}
		if site {
			var probs corpus.Problems
			if err := checkSite(codes, *data, log); errors.As(err, &probs) {
				for _, p := range probs {
					fmt.Fprintln(stderr, p.String())
				}
				return nil, nil, fmt.Errorf("the references between the codes have %d problem(s): %s", len(probs), probs[0].String())
			}
		}
		code := codes[0]
		// The index is built (or reused) in the background: pages are served at once,
		// searches and /readyz once it is in place.
		// Each reader searches an index of exactly the documents they may see (see
		// docs/operations.md, "Search limits"): the public one is built first; with sign-in
		// on, a member's is built next, and others (groups, named people) on first use.
		opt := index.Options{Logger: log}
		if *users != "" {
			opt.Warm = []corpus.Reader{{SignedIn: true}}
		}
		var idx *index.Manager
		var err error
		if site {
			idx, err = index.OpenSite(ctx, *data, codes, opt)
		} else {
			idx, err = index.Open(ctx, *data, code, opt)
		}
		if err != nil {
			return nil, nil, err
		}
		log.Info("corpus opened", "from_snapshot", code.FromSnapshot(), "documents", len(code.Documents))
		cfg := server.Config{Code: code, Logger: log, Index: idx, PageCacheBytes: -1, RenderCache: renders, Metrics: met,
			Limits:       server.Limits{Budget: *workBudget, Concurrent: *workSlots},
			LoginLimiter: limiter, Proxies: proxies, SecureCookies: *secureCookies, HSTS: *hsts, OpenDrafting: *openDrafting}
		if w != nil {
			// A save reloads the site; the reload outlives the request that asked for it.
			cfg.Writer, cfg.Reload = w, func(context.Context) error { return watcher.Reload(ctx) }
		}
		cfg.Limits.Input.MaxBytes = *maxTextKB << 10
		if *cacheMB > 0 {
			cfg.PageCacheBytes = *cacheMB << 20
		}
		if usersFile != nil {
			// Changes to the users file are picked up within a second (see auth.UsersFile);
			// a reload reads it now, so that a broken one fails the reload.
			if err := usersFile.Reload(); err != nil {
				idx.Close()
				return nil, nil, err
			}
			cfg.Auth, cfg.Signer, cfg.Alerts, cfg.BaseURL = usersFile, signer, alertStore, *baseURL
		}
		if site {
			h, err := buildSite(cfg, codes, log)
			if err != nil {
				idx.Close()
				return nil, nil, err
			}
			title, docs = fmt.Sprintf("%d codes", len(codes)), 0
			for _, c := range codes {
				docs += len(c.Documents)
			}
			return h, idx, nil
		}
		srv, err := server.New(cfg)
		if err != nil {
			idx.Close()
			return nil, nil, err
		}
		title, docs = code.Title, len(code.Documents)
		current.Store(srv)
		return srv.Handler(), idx, nil
	}
	// The watcher takes the folder's state before the first load, so that a change made
	// during it is loaded after.
	// The data folder and drafts store are written by the server: never a reason to reload.
	// Every reload (a save, SIGHUP, the watcher) goes through here, so a failed one is counted
	// whatever asked for it.
	watcher = watch.New(*dir, func(ctx context.Context) error {
		err := live.Reload(ctx)
		if err != nil {
			met.ReloadFailed()
		}
		return err
	}, log, *data, *draftsStore)
	live, err = server.NewLive(ctx, log, build)
	if err != nil {
		fmt.Fprintf(stderr, "codenav serve: %v; not starting\n", err)
		return exitCode(1)
	}
	defer live.Close()
	if *watchEvery > 0 {
		go watcher.Run(ctx, *watchEvery)
		// The other codes of a site each have a watcher of their folder: a change there
		// reloads the site too. (SIGHUP and saves go through the first one only, so a code's
		// watcher may reload once more after a SIGHUP that already loaded its change.)
		// (watch.New looks at the whole folder: inside the goroutine, so that ten codes'
		// thousands of files are not looked at one after the other before serving.)
		for _, d := range dirs[1:] {
			go func() {
				watch.New(d, func(ctx context.Context) error {
					err := live.Reload(ctx)
					if err != nil {
						met.ReloadFailed()
					}
					return err
				}, log, *data, *draftsStore).Run(ctx, *watchEvery)
			}()
		}
	}

	// SIGHUP reloads the corpus (and users file); a broken one is logged and the last good
	// one keeps serving.
	if *debugAddr != "" {
		stop, err := serveDebug(*debugAddr, log, met.Handler())
		if err != nil {
			return err
		}
		defer stop()
	}
	// A round of alert digests running at shutdown is let finish (it stops between users), so
	// that a digest sent is also marked sent and not sent again by the next round.
	alertsDone := make(chan struct{})
	if mailer != nil {
		go func() {
			defer close(alertsDone)
			sendAlertsLoop(ctx, *sendAlerts, mailer, current.Load, log)
		}()
	} else {
		close(alertsDone)
	}
	defer func() { <-alertsDone }()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				t := time.Now()
				if err := watcher.Reload(ctx); err != nil {
					log.Error("reload failed: still serving the previous corpus", "error", err)
					continue
				}
				log.Info("reloaded", "corpus", strings.Join(dirs, ","), "took", time.Since(t).String())
			}
		}
	}()
	var handler http.Handler = live
	if *metricsOn {
		handler = withMetrics(live, met.Handler())
	}
	return server.ListenAndServe(ctx, *addr, handler, log, func(a string) {
		log.Info("ready", "addr", a, "corpus", strings.Join(dirs, ","), "documents", docs, "startup", time.Since(start).String())
		fmt.Fprintf(stdout, "codenav: serving %s on http://%s\n", title, displayAddr(a))
	})
}

// memoryLimit is the soft limit of the Go heap serve sets: the flag's when given, otherwise
// (unless GOMEMLIMIT is set) twice the caches' budgets plus room for the rest. Go collects when
// the heap has doubled since the last collection: with caches full, that doubling is what
// resident memory would show; the limit makes it collect sooner instead.
func memoryLimit(flagMB, cachesMB int, envSet bool) int64 {
	switch {
	case flagMB > 0:
		return int64(flagMB) << 20
	case flagMB == 0 || envSet:
		return 0
	}
	return int64(2*cachesMB+256) << 20
}

// corpusList is the folders given with --corpus, in order.
type corpusList []string

func (l *corpusList) String() string { return strings.Join(*l, ",") }

func (l *corpusList) Set(v string) error {
	if v == "" {
		return errors.New("empty folder")
	}
	*l = append(*l, v)
	return nil
}

// loadServed opens a corpus to serve, printing each of its problems.
func loadServed(dir string, opt corpus.Options, stderr io.Writer) (*corpus.Code, error) {
	code, err := corpus.Open(dir, opt)
	var probs corpus.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(stderr, p.String())
		}
		first := make([]string, 0, 3)
		for _, p := range probs[:min(3, len(probs))] {
			first = append(first, p.String())
		}
		return nil, fmt.Errorf("the corpus %s has %d problem(s): %s", dir, len(probs), strings.Join(first, "; "))
	}
	return code, err
}

// checkSite checks the references between the codes of a site. A code.yaml citing a code
// not served is a warning (its references are plain text); a reference into a served code
// that points nowhere refuses the site, as a broken reference within a code does. That check
// (corpus.CheckCodeRefs) reads every version of every code that cites another, so it runs
// once per state of the codes' files: a start or reload on files already checked (each
// code's fingerprint, from its cache folder) reads none of them again.
func checkSite(codes []*corpus.Code, data string, log *slog.Logger) error {
	for _, p := range corpus.UnservedCites(codes) {
		log.Warn("a code cites a code this site does not serve: its references to it are plain text", "problem", p.String())
	}
	h := sha256.New()
	known := true
	for _, c := range codes {
		fmt.Fprintf(h, "%s %s\n", c.ID, c.Fingerprint())
		known = known && c.Fingerprint() != ""
	}
	name := "site-checked-" + hex.EncodeToString(h.Sum(nil))[:24]
	marker := filepath.Join(data, name)
	if _, err := os.Stat(marker); known && err == nil {
		return nil
	}
	if probs := corpus.CheckCodeRefs(codes); len(probs) > 0 {
		return probs
	}
	if !known {
		return nil
	}
	if old, _ := filepath.Glob(filepath.Join(data, "site-checked-*")); len(old) > 0 {
		for _, p := range old {
			if filepath.Base(p) != name {
				os.Remove(p)
			}
		}
	}
	if err := os.WriteFile(marker, []byte("the references between these codes were checked\n"), 0o644); err != nil {
		log.Warn("could not record the check of the references between the codes", "error", err)
	}
	return nil
}

// buildSite makes the site of several codes: one Server per code under /<code id>/, with
// the settings of cfg and the site's index.
func buildSite(cfg server.Config, codes []*corpus.Code, log *slog.Logger) (http.Handler, error) {
	var servers []*server.Server
	for _, c := range codes {
		cc := cfg
		cc.Code, cc.Prefix, cc.Site = c, "/"+c.ID, codes
		// Alerts are one code's (their searches and digests): off in a site for now.
		cc.Alerts = nil
		srv, err := server.New(cc)
		if err != nil {
			return nil, fmt.Errorf("code %s: %w", c.ID, err)
		}
		servers = append(servers, srv)
	}
	return server.NewSite(servers, cfg.Index, log)
}

// checkUsersFile warns of a users file that weakens signing in: hashes of different bcrypt
// costs (a user whose hash is cheaper answers faster, which tells an attacker the name
// exists), and a folder the server cannot write (signing out then cannot revoke sessions).
func checkUsersFile(f *auth.UsersFile, log *slog.Logger) {
	if costs := f.Users().Costs(); len(costs) > 1 {
		log.Warn("the users file has password hashes of different bcrypt costs: set each password again with codenav user add, so that all have the same", "costs", costs)
	}
	probe, err := os.CreateTemp(filepath.Dir(f.Path()), ".codenav-write-check-*")
	if err != nil {
		log.Warn("the users file's folder is not writable: signing out clears the browser's cookie but cannot revoke the session; copies stay good until the idle timeout", "error", err)
		return
	}
	probe.Close()
	os.Remove(probe.Name())
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

// withMetrics answers /metrics with the metrics and everything else with the site. It is
// not a ServeMux, which would clean and redirect the site's paths.
func withMetrics(site, metrics http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			metrics.ServeHTTP(w, r)
			return
		}
		site.ServeHTTP(w, r)
	})
}

// serveDebug serves the profiler and the metrics on their own listener, so that they are
// never reachable through the public address.
func serveDebug(addr string, log *slog.Logger, metrics http.Handler) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("debug address: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/metrics", metrics)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("debug listener", "error", err)
		}
	}()
	log.Info("profiler and metrics listening", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}

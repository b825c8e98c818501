// Command codenav publishes an industry code as living law: it validates a code's corpus and
// serves it as a website and JSON API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

const usage = `codenav publishes an industry code as living law.

Usage:
  codenav serve    [--addr :8080] [--corpus DIR] [--data DIR] [--users FILE] [--session-key FILE]
                                                                serve the website and API
  codenav validate [--corpus DIR]                               check a corpus; print path:line: problem
  codenav user     add NAME [--users FILE] [--party P] [--groups G] [--roles R] < password
  codenav user     logout NAME [--users FILE]                   end every session of a user
  codenav index    [--corpus DIR] [--data DIR]                  build (or reuse) the search index
  codenav search   QUERY [--party P] [--at DATE|all] [--json]   search from the command line
  codenav redline  OLD NEW [--format html|docx|json] [-o FILE]  compare two versions (files or DOC@VERSION)
  codenav release  build RELEASE [--corpus DIR] [--dry-run]     fold a release's approved legal texts into new versions
  codenav import   FILE --doc ID --version V --effective DATE   import a .docx, .md or .txt as a new version

The default corpus is the bundled sample, corpus/sec.
`

func main() {
	if len(os.Args) > 1 && os.Args[1] == "redline" {
		if percent, limit, ok := redlineGC(os.Getenv("GOGC"), os.Getenv("GOMEMLIMIT")); ok {
			debug.SetGCPercent(percent)
			if limit > 0 {
				debug.SetMemoryLimit(limit)
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// redlineHeapLimit is the heap at which a redline process collects garbage at all. The
// largest pair of the generated corpus (1.3 MB a side) allocates about 60 MB.
const redlineHeapLimit = 512 << 20

// redlineGC is the collector's setting for a redline process, unless GOGC is set (ok false):
// a redline is one short computation whose memory goes back to the system when the process
// exits, so the collector is off (at GOGC=400 one cycle marking the two parses was a fifth of
// the CPU of a large redline) until the heap nears redlineHeapLimit, or GOMEMLIMIT when set
// (limit 0: the runtime's).
func redlineGC(gogc, gomemlimit string) (percent int, limit int64, ok bool) {
	if gogc != "" {
		return 0, 0, false
	}
	if gomemlimit != "" {
		return -1, 0, true
	}
	return -1, redlineHeapLimit, true
}

// run executes one subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serveCmd(ctx, args[1:], stdout, stderr)
	case "validate":
		err = validateCmd(args[1:], stdout, stderr)
	case "user":
		err = userCmd(args[1:], os.Stdin, stdout, stderr)
	case "index":
		err = indexCmd(ctx, args[1:], stdout, stderr)
	case "search":
		err = searchCmd(ctx, args[1:], stdout, stderr)
	case "redline":
		err = redlineCmd(args[1:], stdout, stderr)
	case "release":
		err = releaseCmd(args[1:], stdout, stderr)
	case "import":
		err = importCmd(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "codenav: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var ec exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ec):
		return int(ec)
	case errors.Is(err, flag.ErrHelp):
		return 0
	default:
		fmt.Fprintf(stderr, "codenav %s: %v\n", args[0], err)
		return 1
	}
}

// exitCode ends a command with a status after it has printed its own messages.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// parseInterspersed parses flags that may come before, between or after the positional
// arguments, which it returns. A flag error is exit status 2 (the flag package has printed
// it); -h is flag.ErrHelp.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, exitCode(2)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

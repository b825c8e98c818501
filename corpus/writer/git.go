package writer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// run runs git in the corpus folder. Identity comes from -c options (never the machine's
// configuration), so a commit is always by the drafter who saved.
func (w *Writer) run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, w.git, append([]string{"-C", w.dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("corpus writer: git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// commit records the file as a commit of that file only (other changes in the work tree,
// staged or not, are left alone), authored and committed by the drafter.
func (w *Writer) commit(ctx context.Context, s Save) (Revision, error) {
	who := []string{"-c", "user.name=" + oneLine(s.Author.Name), "-c", "user.email=" + oneLine(s.Author.Email)}
	if _, err := w.run(ctx, "add", "--", s.Path); err != nil {
		return Revision{}, err
	}
	args := append(who, "commit", "--quiet", "--no-gpg-sign", "-m", s.Message, "--", s.Path)
	if _, err := w.run(ctx, args...); err != nil {
		return Revision{}, err
	}
	revs, err := w.gitLog(ctx, s.Path, 1)
	if err != nil || len(revs) == 0 {
		return Revision{}, fmt.Errorf("corpus writer: read back the commit: %v", err)
	}
	return revs[0], nil
}

func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", "\x00", "").Replace(s)
}

func (w *Writer) gitLog(ctx context.Context, rel string, limit int) ([]Revision, error) {
	args := []string{"log", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e"}
	if limit > 0 {
		args = append(args, "-n", strconv.Itoa(limit))
	}
	out, err := w.run(ctx, append(args, "--", rel)...)
	if err != nil {
		return nil, err
	}
	var revs []Revision
	for _, rec := range strings.Split(string(out), "\x1e") {
		f := strings.Split(strings.TrimSpace(rec), "\x1f")
		if len(f) != 5 {
			continue
		}
		when, _ := time.Parse(time.RFC3339, f[3])
		revs = append(revs, Revision{ID: f[0], Author: f[1], Email: f[2], When: when, Message: f[4]})
	}
	return revs, nil
}

var commitRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{7,64}$`) })

func (w *Writer) gitShow(ctx context.Context, rel, id string) ([]byte, error) {
	if !commitRE().MatchString(id) {
		return nil, fmt.Errorf("corpus writer: %q is not a revision", id)
	}
	return w.run(ctx, "show", id+":./"+rel)
}

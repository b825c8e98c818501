package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"codenav/corpus"
	"codenav/legaltext/redline"
)

const releaseUsage = `Usage: codenav release build RELEASE [--corpus DIR] [--dry-run]

Builds the versions that release RELEASE makes: for every approved modification whose release
is RELEASE and that has legal text, its changes (relative to the legal text's base version) are
merged, in modification id order, onto the latest version of each document it changes. Each
new version is the next major version ("3.0" -> "4.0"), takes effect on the release date and
names the release and its modifications; the release file gains any modification it does not
list. The result is validated before anything is written.

Exit status: 0 built (or nothing to build), 1 error, 2 usage, 3 conflicts (nothing written).
`

// exitConflicts is the status of a build stopped by modifications that change the same words.
const exitConflicts = 3

func releaseCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, releaseUsage)
		fs.PrintDefaults()
	}
	dir := fs.String("corpus", "corpus/sec", "the corpus `DIR`")
	dryRun := fs.Bool("dry-run", false, "show what would be built, write nothing")
	// Flags may come before, between or after the words.
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "build" {
		fmt.Fprintf(stderr, "codenav release: want build RELEASE, got %q\n\n", strings.Join(pos, " "))
		fs.Usage()
		return exitCode(2)
	}
	return releaseBuild(*dir, pos[1], *dryRun, stdout, stderr)
}

// write is one file a build writes: its path in the corpus and its new content.
type write struct {
	rel  string // slash-separated, relative to the corpus folder
	data []byte
}

func releaseBuild(dir, id string, dryRun bool, stdout, stderr io.Writer) error {
	code, err := corpus.Load(dir)
	var probs corpus.Problems
	if errors.As(err, &probs) {
		// The one problem a build repairs is a modification naming this release that the
		// release file does not list; any other must be fixed first.
		var other corpus.Problems
		for _, p := range probs {
			if rel, _, ok := p.Unlisted(); !ok || rel != id {
				other = append(other, p)
			}
		}
		if len(other) > 0 {
			for _, p := range other {
				fmt.Fprintln(stdout, p.String())
			}
			fmt.Fprintf(stderr, "codenav release: %s has %d problem(s): fix them before building a release (see codenav validate)\n", dir, len(other))
			return exitCode(1)
		}
	} else if err != nil {
		return fmt.Errorf("loading %s: %w", dir, err)
	}
	b, err := code.BuildRelease(id)
	var rerr *corpus.ReleaseError
	if errors.As(err, &rerr) {
		fmt.Fprintf(stderr, "codenav release: %v\n", rerr)
		return exitCode(1)
	}
	if err != nil {
		return fmt.Errorf("building release %s: %w", id, err)
	}
	r := b.Release
	fmt.Fprintf(stdout, "release %s (%s, effective %s)\n", r.ID, r.Name, r.Date)
	for _, m := range b.WithoutText {
		fmt.Fprintf(stdout, "  %s: approved, no legal text: changes no document\n", m.ID)
	}
	if len(b.Modifications) == 0 {
		fmt.Fprintf(stdout, "release %s: no approved modification with legal text: nothing to build\n", id)
		return nil
	}
	ids := make([]string, len(b.Modifications))
	for i, m := range b.Modifications {
		ids[i] = m.ID
	}
	fmt.Fprintf(stdout, "  modifications with legal text, applied in this order: %s\n", strings.Join(ids, ", "))

	if len(b.Conflicts) > 0 {
		for _, c := range b.Conflicts {
			printConflict(stdout, c)
		}
		fmt.Fprintf(stdout, "release %s: %d conflict(s): nothing written\n", id, len(b.Conflicts))
		return exitCode(exitConflicts)
	}

	var writes []write
	for _, v := range b.Built {
		fmt.Fprintf(stdout, "  %s: already built for this release (version %s, %s)\n", v.Doc.ID, v.Number, strings.Join(v.Modifications, ", "))
	}
	for _, d := range b.Unchanged {
		fmt.Fprintf(stdout, "  %s: no change: the latest version %s already has the text\n", d.ID, d.Latest().Number)
	}
	for _, v := range b.Versions {
		fmt.Fprintf(stdout, "  %s %s -> %s (%s): %s\n", v.Doc.ID, v.From.Number, v.Number, strings.Join(v.Modifications, ", "), counts(v.Clauses))
		writes = append(writes, write{rel: "documents/" + v.Doc.ID + "/" + v.Number + ".md", data: v.File()})
	}
	if len(b.Unlisted) > 0 {
		rel := "releases/" + r.ID + ".yaml"
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("reading the release file: %w", err)
		}
		mods := append(slices.Clone(r.Modifications), b.Unlisted...)
		if data, err = corpus.SetReleaseModifications(data, mods); err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		fmt.Fprintf(stdout, "  %s: lists %s\n", rel, strings.Join(b.Unlisted, ", "))
		writes = append(writes, write{rel: rel, data: data})
	}
	if len(writes) == 0 {
		fmt.Fprintf(stdout, "release %s: already built: nothing to write\n", id)
		return nil
	}
	for _, w := range writes {
		if w.rel != "releases/"+r.ID+".yaml" {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(w.rel))); err == nil {
				return fmt.Errorf("%s exists already: a build never overwrites a version", w.rel)
			}
		}
	}

	if probs, err := validateWrites(dir, writes); err != nil {
		return err
	} else if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(stdout, p)
		}
		fmt.Fprintf(stderr, "codenav release: the built corpus would have %d problem(s): nothing written\n", len(probs))
		return exitCode(1)
	}
	if dryRun {
		for _, w := range writes {
			fmt.Fprintf(stdout, "  would write %s\n", filepath.Join(dir, filepath.FromSlash(w.rel)))
		}
		fmt.Fprintf(stdout, "release %s: dry run: nothing written\n", id)
		return nil
	}
	if err := commit(dir, writes); err != nil {
		return err
	}
	for _, w := range writes {
		fmt.Fprintf(stdout, "  wrote %s\n", filepath.Join(dir, filepath.FromSlash(w.rel)))
	}
	fmt.Fprintf(stdout, "release %s: built %d version(s)\n", id, len(b.Versions))
	return nil
}

func counts(c redline.Counts) string {
	parts := []string{
		fmt.Sprintf("%d clause(s) added", c.Added),
		fmt.Sprintf("%d changed", c.Changed),
		fmt.Sprintf("%d deleted", c.Deleted),
	}
	if c.Moved > 0 {
		parts = append(parts, fmt.Sprintf("%d moved", c.Moved))
	}
	if c.Renumbered > 0 {
		parts = append(parts, fmt.Sprintf("%d renumbered", c.Renumbered))
	}
	return strings.Join(parts, ", ")
}

func printConflict(w io.Writer, c corpus.ReleaseConflict) {
	clause := c.Clause
	if clause == "" {
		clause = "(the text before the first clause)"
	}
	fmt.Fprintf(w, "\nCONFLICT %s %s (%s): %s and %s change the same words\n", c.Doc, clause, c.Kind, c.Other, c.Modification)
	section := func(label, text string) {
		fmt.Fprintf(w, "  --- %s\n", label)
		if text == "" {
			text = "(no such clause)"
		}
		for _, l := range strings.Split(text, "\n") {
			fmt.Fprintf(w, "  | %s\n", l)
		}
	}
	section(c.Other, c.Ours)
	section(c.Modification, c.Theirs)
	section("base of "+c.Modification, c.Base)
}

// validateWrites loads a copy of the corpus with the writes applied and returns its problems,
// with paths that name the real corpus.
func validateWrites(dir string, writes []write) ([]string, error) {
	tmp, err := os.MkdirTemp("", "codenav-release-*")
	if err != nil {
		return nil, fmt.Errorf("making a folder to validate the build in: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := copyTree(dir, tmp); err != nil {
		return nil, fmt.Errorf("copying the corpus to validate the build: %w", err)
	}
	for _, w := range writes {
		if err := os.WriteFile(filepath.Join(tmp, filepath.FromSlash(w.rel)), w.data, 0o644); err != nil {
			return nil, fmt.Errorf("validating the build: %w", err)
		}
	}
	_, err = corpus.Load(tmp)
	var probs corpus.Problems
	if !errors.As(err, &probs) {
		if err != nil {
			return nil, fmt.Errorf("validating the build: %w", err)
		}
		return nil, nil
	}
	out := make([]string, len(probs))
	for i, p := range probs {
		if rel, err := filepath.Rel(tmp, p.Path); err == nil && !strings.HasPrefix(rel, "..") {
			p.Path = filepath.Join(dir, rel)
		}
		out[i] = p.String()
	}
	return out, nil
}

// copyTree copies the regular files of src into dst, recursively. A src given as a symbolic
// link is followed (WalkDir would not, and copy nothing); so is a link to a file inside, which
// the loader reads through.
func copyTree(src, dst string) error {
	src, err := filepath.EvalSymlinks(src)
	if err != nil {
		return err
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		case !d.Type().IsRegular():
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// commit writes every file beside its target first and then renames each into place, so that
// a failure while writing leaves the corpus as it was and no file is ever half written.
func commit(dir string, writes []write) error {
	temps := make([]string, len(writes))
	cleanup := func() {
		for _, t := range temps {
			if t != "" {
				os.Remove(t)
			}
		}
	}
	for i, w := range writes {
		target := filepath.Join(dir, filepath.FromSlash(w.rel))
		f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
		if err != nil {
			cleanup()
			return fmt.Errorf("writing %s: %w", target, err)
		}
		temps[i] = f.Name()
		_, err = f.Write(w.data)
		if err == nil {
			err = f.Chmod(0o644)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			cleanup()
			return fmt.Errorf("writing %s: %w", target, err)
		}
	}
	for i, w := range writes {
		target := filepath.Join(dir, filepath.FromSlash(w.rel))
		if err := os.Rename(temps[i], target); err != nil {
			cleanup()
			return fmt.Errorf("renaming into %s: %w", target, err)
		}
		temps[i] = ""
	}
	return nil
}

package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"time"

	"codenav/auth"
)

const userUsage = `usage: codenav user add NAME [--users FILE] [--name TEXT] [--party P] [--groups a,b] [--roles drafter,admin] [--email ADDR] < password
       codenav user logout NAME [--users FILE]`

// userCmd manages the users file: `codenav user add NAME --party P [--groups a,b] [--roles r]`
// adds a user or sets a new password (which ends the user's sessions); `codenav user logout
// NAME` ends every session of the user on every replica. The password is read from standard
// input (one line), never from the command line, where other users of the machine could see it.
func userCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "logout" {
		return userLogout(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, userUsage)
		return exitCode(2)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("users", "users.yaml", "the users file")
	name := fs.String("name", "", "the person's name")
	party := fs.String("party", "", "the party category of the member's Party")
	groups := fs.String("groups", "", "comma-separated groups (for amber documents)")
	roles := fs.String("roles", "", "comma-separated roles: drafter, admin")
	email := fs.String("email", "", "e-mail address for alert digests")
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "codenav user add: one user name, got %d\n", len(pos))
		return exitCode(2)
	}
	user := pos[0]
	for _, r := range split(*roles) {
		if r != "drafter" && r != "admin" {
			fmt.Fprintf(stderr, "codenav user add: unknown role %q (drafter or admin)\n", r)
			return exitCode(2)
		}
	}
	if *email != "" {
		if a, err := mail.ParseAddress(*email); err != nil || a.Address != *email {
			fmt.Fprintf(stderr, "codenav user add: --email %q is not a plain e-mail address (name@example.org)\n", *email)
			return exitCode(2)
		}
	}
	if f, ok := stdin.(*os.File); ok && isTerminal(f) {
		fmt.Fprint(stderr, "Password (at least 10 characters; it is shown as you type): ")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password: %w", err)
	}
	hash, err := auth.Hash(strings.TrimRight(line, "\r\n"))
	if err != nil {
		fmt.Fprintf(stderr, "codenav user add: %v\n", err)
		return exitCode(2)
	}
	u := auth.User{User: user, Name: *name, Hash: hash, Party: *party, Groups: split(*groups), Roles: split(*roles), Email: *email}
	if err := auth.AddUser(*file, u, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: user %s saved\n", *file, user)
	return nil
}

// userLogout ends every session of a user begun until now: the servers read the users file
// again within a second and then refuse those sessions' cookies.
func userLogout(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user logout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("users", "users.yaml", "the users file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "codenav user logout: one user name, got %d\n", len(pos))
		return exitCode(2)
	}
	if err := auth.EndSessions(*file, pos[0], time.Now()); err != nil {
		fmt.Fprintf(stderr, "codenav user logout: %v\n", err)
		return exitCode(1)
	}
	fmt.Fprintf(stdout, "%s: every session of %s begun until now is ended\n", *file, pos[0])
	return nil
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"ceedesk/cases"
)

// MaxBatchLine bounds one line of a batch.
const MaxBatchLine = 64 << 10

// cmdBatch runs many commands in one process (one store open), a line each, quoted like a shell. It stops at the
// first failing line unless --keep-going; every line that printed its result had committed.
func cmdBatch(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("batch")
	keepGoing := fs.Bool("keep-going", false, "run every line even after one fails")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("batch reads its commands from standard input")
	}
	sc := bufio.NewScanner(env.Stdin)
	sc.Buffer(make([]byte, 4096), MaxBatchLine)
	failed := 0
	for n := 1; sc.Scan(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words, err := SplitWords(line)
		if err != nil {
			return fmt.Errorf("line %d: %v", n, err)
		}
		if words[0] == "batch" {
			return fmt.Errorf("line %d: a batch cannot run a batch", n)
		}
		if code := Run(ctx, env, words); code != ExitOK {
			failed++
			if !*keepGoing {
				return fmt.Errorf("line %d failed (exit %d); the lines before it are committed", n, code)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading commands: %v (a line is limited to %d bytes)", err, MaxBatchLine)
	}
	if failed > 0 {
		return fmt.Errorf("%d lines failed", failed)
	}
	return nil
}

// SplitWords splits a command line into words as a POSIX shell would for plain words, 'single' and "double"
// quotes and backslash escapes (no expansion of any kind).
func SplitWords(s string) ([]string, error) {
	// Splitting goes by runes, which would turn a byte that is not UTF-8 into U+FFFD: the line is refused instead,
	// so that what is recorded is what was sent.
	if err := cases.CheckUTF8("the line", s); err != nil {
		return nil, err
	}
	var words []string
	var b strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			b.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				b.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				b.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote", quote)
	}
	if escaped {
		return nil, fmt.Errorf("a trailing backslash escapes nothing")
	}
	if inWord {
		words = append(words, b.String())
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("empty command")
	}
	return words, nil
}

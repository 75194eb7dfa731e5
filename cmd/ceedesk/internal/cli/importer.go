package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"ceedesk/cases"
)

func cmdImporter(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("importer")
	format := fs.String("format", "text", "text or json")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("one importer NUMBER is needed (an EIN NN-NNNNNNNXX, an SSN NNN-NN-NNNN or a CBP-assigned number YYDDPP-NNNNN)")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format %q: want text or json", cases.CleanLine(*format))
	}
	if _, err := cases.ParseImporterNumber(pos[0]); err != nil {
		return usagef("%v", err)
	}
	v, err := env.Store.Importer(who(env), pos[0])
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(cases.JSONEscaper(env.Stdout))
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	WriteImporter(env.Stdout, v, env.Today)
	return nil
}

// WriteImporter prints an importer's view for people: the importer, its totals, then each entry with its cases,
// outside text cleaned.
func WriteImporter(w io.Writer, v cases.ImporterView, today cases.Date) {
	cl := cases.CleanLine
	fmt.Fprintf(w, "Importer %s %s", cl(v.Number), cl(v.Name))
	if len(v.Programs) > 0 {
		var ps []string
		for _, p := range v.Programs {
			ps = append(ps, string(p))
		}
		fmt.Fprintf(w, " [%s]", strings.Join(ps, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%s in %s: %d open, %d decided; at stake %s open, %s in all\n",
		count(len(v.Entries), "entry", "entries"), strings.Join(v.Centers, ", "), v.Open, v.Decided, v.OpenRevenue, v.Revenue)
	if n := v.Open + v.Decided; v.Listed < n {
		fmt.Fprintf(w, "Listing %d of the %d cases (open ones first); the totals count them all.\n", v.Listed, n)
	}
	idW := len("CASE")
	for _, g := range v.Entries {
		for _, r := range g.Cases {
			idW = max(idW, len([]rune(cl(r.ID))))
		}
	}
	idW = min(idW, 32)
	fmt.Fprintf(w, "\n  %-10s %6s   %-4s %-*s %-16s %-6s %-12s %15s\n", "DUE", "LEFT", "KIND", idW, "CASE", "STATUS", "CENTER", "ASSIGNEE", "AT STAKE")
	for _, g := range v.Entries {
		fmt.Fprintf(w, "Entry %s: %d open, %d decided; at stake %s open, %s in all\n", cl(g.Entry), g.Open, g.Decided, g.OpenRevenue, g.Revenue)
		for _, r := range g.Cases {
			left := today.DaysUntil(r.Due)
			fmt.Fprintf(w, "  %-10s %5dd %s %-4s %-*s %-16s %-6s %-12s %15s\n", r.Due, left, Mark(r.Status, left), r.Kind.Short(),
				idW, truncate(cl(r.ID), idW), r.Status.Title(), cl(r.Center), orDash(cl(r.Assignee)), r.Revenue)
		}
	}
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

package ui

import (
	"fmt"
	"testing"
)

// BenchmarkOpenCase opens the case under the queue's cursor in the case pane, its related cases read, and draws
// it; then goes back to the queue and one row down.
func BenchmarkOpenCase(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			m, _ := benchModel(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if m.q.cursor >= 500 {
					press(m, "g")
				}
				press(m, "enter")
				_ = m.View()
				press(m, "esc", "j")
			}
		})
	}
}

// BenchmarkImporterView opens the importer's view of the case under the queue's cursor and draws it.
func BenchmarkImporterView(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			m, _ := benchModel(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if m.q.cursor >= 500 {
					press(m, "g")
				}
				if !m.openImporterOf(m.q.current(), paneQueue) {
					b.Fatal(m.status)
				}
				_ = m.View()
				press(m, "esc", "j")
			}
		})
	}
}

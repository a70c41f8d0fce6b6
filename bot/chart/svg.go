package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// SVGLines reads an SVG written by Line.RenderSVG and returns, in drawing order
// (series, band low, band high, target), the number of points on each line that
// has at least one point. It lets tests (ours and the web page's) check that a
// chart shows exactly the data it was given, e.g. one point per hour.
func SVGLines(svg []byte) ([]int, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var counts []int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return counts, nil
		}
		if err != nil {
			return nil, fmt.Errorf("chart: parse svg: %w", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "path" || !isDataLine(attr(el, "style")) {
			continue
		}
		counts = append(counts, vertices(attr(el, "d")))
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func isDataLine(style string) bool {
	return strings.Contains(style, fmt.Sprintf("stroke-width:%g;", lineStrokeWidth)) && strings.Contains(style, "fill:none")
}

// vertices counts the M and L commands of a path: one per drawn point.
func vertices(d string) int {
	n := 0
	for _, f := range strings.Fields(d) {
		if f == "M" || f == "L" {
			n++
		}
	}
	return n
}

package cli

import "bytes"

const (
	colorKey    = "\x1b[1;34m"
	colorString = "\x1b[32m"
	colorLit    = "\x1b[33m"
	colorReset  = "\x1b[0m"
)

// color reports whether stdout output may carry ANSI colours: only on a
// terminal, and never when NO_COLOR is set or TERM is dumb.
func (o *rootOptions) color() bool {
	s := o.streams
	return s.OutTTY && s.getenv("NO_COLOR") == "" && s.getenv("TERM") != "dumb"
}

// colorizeJSON colours keys, strings and literals of indented JSON.
func colorizeJSON(in []byte) []byte {
	var out bytes.Buffer
	for i := 0; i < len(in); {
		c := in[i]
		switch {
		case c == '"':
			end := stringEnd(in, i)
			color := colorString
			if isKey(in, end) {
				color = colorKey
			}
			out.WriteString(color)
			out.Write(in[i:end])
			out.WriteString(colorReset)
			i = end
		case c == 't' || c == 'f' || c == 'n' || c == '-' || (c >= '0' && c <= '9'):
			end := i
			for end < len(in) && bytes.IndexByte([]byte(",]} \n"), in[end]) < 0 {
				end++
			}
			out.WriteString(colorLit)
			out.Write(in[i:end])
			out.WriteString(colorReset)
			i = end
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.Bytes()
}

// stringEnd returns the index just past the JSON string starting at i.
func stringEnd(in []byte, i int) int {
	for j := i + 1; j < len(in); j++ {
		switch in[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(in)
}

func isKey(in []byte, end int) bool {
	for j := end; j < len(in); j++ {
		if in[j] != ' ' {
			return in[j] == ':'
		}
	}
	return false
}

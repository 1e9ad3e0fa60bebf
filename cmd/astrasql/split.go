package main

import (
	"strings"
	"unicode/utf8"
)

// item is one unit of a script: an SQL statement (without its terminating
// ';') or a meta command line such as `\d t`.
type item struct {
	Text string
	Line int  // 1-based line of the item's first character in the source
	Col  int  // 1-based column (in characters) of that first character
	Meta bool // a backslash command: Text is the whole line, trimmed
}

// splitter cuts SQL text into statements at ';' the way the driver's lexer
// sees the text: a ';' inside a quoted string or identifier, a comment, or
// brackets (vector, list, set and map literals, parentheses) does not end a
// statement. A line that starts with '\' where a statement would start is a
// meta command.
type splitter struct {
	startLine int // line number of src[0]
}

// scanState says where the scan stopped, so the prompt can say why it wants
// more input.
type scanState int

const (
	stateNormal  scanState = iota
	stateQuote             // inside '...', "..." or `...`
	stateComment           // inside /* ... */
	stateBracket           // inside ( [ {
)

// split returns the complete items in src, the unfinished remainder (text
// after the last complete item; blank or comment-only remainders are
// returned as "") and the state the remainder ends in. With final set, a
// non-blank remainder is returned as a last statement even without ';'.
func (s splitter) split(src string, final bool) (items []item, rest string, st scanState) {
	line := s.startLine
	if line == 0 {
		line = 1
	}
	start := 0       // start of the current item in src
	contentLine := 0 // line of the first non-blank, non-comment char of the current item
	contentOff := 0  // its offset in src
	hasContent := false
	depth := 0
	i := 0
	n := len(src)
	emit := func(end int) {
		if hasContent {
			items = append(items, item{Text: strings.TrimSpace(src[contentOff:end]), Line: contentLine, Col: col(src, lineStart0(src, contentOff), contentOff)})
		}
		hasContent = false
		depth = 0
	}
	for i < n {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
		case c == '\\' && !hasContent:
			// Meta command: runs to the end of the line.
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				if !final {
					return items, src[start:], stateNormal
				}
				end = n
			} else {
				end += i
			}
			items = append(items, item{Text: strings.TrimSpace(src[i:end]), Line: line, Col: col(src, lineStart0(src, i), i), Meta: true})
			i = end
			start = i
		case c == '-' && i+1 < n && src[i+1] == '-', c == '#':
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				i = n
			} else {
				i += end
			}
		case c == '/' && i+1 < n && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return s.finish(items, src, start, hasContent, contentLine, contentOff, final, stateComment)
			}
			line += strings.Count(src[i:i+2+end+2], "\n")
			i += 2 + end + 2
		case c == '\'' || c == '"' || c == '`':
			if !hasContent {
				hasContent, contentLine, contentOff = true, line, i
			}
			j := i + 1
			closed := false
			for j < n {
				d := src[j]
				if d == '\n' {
					line++
				}
				if d == '\\' && c == '\'' && j+1 < n {
					if src[j+1] == '\n' {
						line++
					}
					j += 2
					continue
				}
				if d == c {
					if j+1 < n && src[j+1] == c { // doubled quote: an escaped quote
						j += 2
						continue
					}
					closed = true
					j++
					break
				}
				j++
			}
			if !closed {
				return s.finish(items, src, start, hasContent, contentLine, contentOff, final, stateQuote)
			}
			i = j
		case c == ';':
			if depth > 0 {
				i++
				continue
			}
			emit(i)
			i++
			start = i
		default:
			if !hasContent {
				hasContent, contentLine, contentOff = true, line, i
			}
			switch c {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth > 0 {
					depth--
				}
			}
			i++
		}
	}
	st = stateNormal
	if depth > 0 {
		st = stateBracket
	}
	return s.finish(items, src, start, hasContent, contentLine, contentOff, final, st)
}

func (s splitter) finish(items []item, src string, start int, hasContent bool, contentLine, contentOff int, final bool, st scanState) ([]item, string, scanState) {
	if !hasContent {
		if st == stateComment && !final {
			return items, src[start:], st
		}
		return items, "", stateNormal
	}
	if final {
		items = append(items, item{Text: strings.TrimSpace(src[contentOff:]), Line: contentLine, Col: col(src, lineStart0(src, contentOff), contentOff)})
		return items, "", stateNormal
	}
	return items, src[start:], st
}

// lineStart0 returns the offset of the start of the line holding off.
func lineStart0(src string, off int) int {
	return strings.LastIndexByte(src[:off], '\n') + 1
}

// col is the 1-based character column of off, on the line starting at lineStart.
func col(src string, lineStart, off int) int {
	return utf8.RuneCountInString(src[lineStart:off]) + 1
}

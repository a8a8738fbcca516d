// Glob matching with the exact rules of Redis's stringmatchlen (util.c): *, ?, [abc], [^a], [a-z],
// backslash escapes, optional case folding. Used by KEYS, SCAN MATCH, CONFIG GET and pub/sub.

export function globMatch(pattern: string, s: string, nocase = false): boolean {
  return matchFrom(pattern, 0, s, 0, nocase, 0) === 1;
}

/** C's tolower in the "C" locale: only A-Z fold. */
function fold(c: string, nocase: boolean): string {
  if (!nocase) return c;
  const code = c.charCodeAt(0);
  return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
}

/** Returns 1 for a match, 0 for no match, -1 to stop trying (a '*' further up cannot help). */
function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean, nesting: number): number {
  // Redis caps recursion depth to protect the stack against patterns like "*****...".
  if (nesting > 1000) return 0;
  while (pi < p.length && si < s.length) {
    const pc = p[pi];
    if (pc === '*') {
      while (p[pi + 1] === '*') pi++;
      if (pi + 1 === p.length) return 1;
      for (let k = si; k < s.length; k++) {
        const r = matchFrom(p, pi + 1, s, k, nocase, nesting + 1);
        if (r !== 0) return r;
      }
      return -1;
    } else if (pc === '?') {
      si++;
    } else if (pc === '[') {
      pi++;
      const not = p[pi] === '^';
      if (not) pi++;
      let match = false;
      for (;;) {
        if (pi < p.length && p[pi] === '\\' && p.length - pi >= 2) {
          pi++;
          if (p[pi] === s[si]) match = true;
        } else if (pi >= p.length || p[pi] === ']') {
          break;
        } else if (p.length - pi >= 3 && p[pi + 1] === '-') {
          let start = p.charCodeAt(pi), end = p.charCodeAt(pi + 2);
          let c = s.charCodeAt(si);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = fold(String.fromCharCode(start), true).charCodeAt(0);
            end = fold(String.fromCharCode(end), true).charCodeAt(0);
            c = fold(s[si], true).charCodeAt(0);
          }
          pi += 2;
          if (c >= start && c <= end) match = true;
        } else if (fold(p[pi], nocase) === fold(s[si], nocase)) {
          match = true;
        }
        pi++;
      }
      // An unterminated class: Redis treats the end of the pattern as the closing bracket.
      if (pi >= p.length) pi = p.length - 1;
      if (not) match = !match;
      if (!match) return 0;
      si++;
    } else {
      if (pc === '\\' && p.length - pi >= 2) pi++;
      if (fold(p[pi], nocase) !== fold(s[si], nocase)) return 0;
      si++;
    }
    pi++;
    if (si === s.length) {
      while (p[pi] === '*') pi++;
      break;
    }
  }
  return pi === p.length && si === s.length ? 1 : 0;
}

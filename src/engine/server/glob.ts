// Glob matching with the exact rules of Redis 7.0's stringmatchlen (util.c): *, ?, [abc], [^a],
// [a-z], backslash escapes, optional case folding (C locale, A-Z only). Used by KEYS, SCAN MATCH,
// CONFIG GET and pub/sub.
//
// Redis recurses at every '*' but gives up as soon as one '*' has tried every start position
// (a later '*' cannot be helped by an earlier one consuming more). So only the innermost '*' is
// ever retried, and a loop with a single backtrack point gives exactly the same answers (including
// Redis's quirks below) without recursion, whatever the number of stars.

/** C's tolower in the "C" locale: only A-Z fold. */
function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** A byte as x86's signed `char`: range bounds in a class compare this way in Redis. */
function signedChar(code: number): number {
  return code >= 128 ? code - 256 : code;
}

export function globMatch(pattern: string, s: string, nocase = false): boolean {
  const plen = pattern.length;
  const slen = s.length;
  let pi = 0;
  let si = 0;
  // The innermost '*' seen: its pattern position and where its match of the string ends.
  let starPi = -1;
  let starSi = 0;

  for (;;) {
    let failed = false;
    while (pi < plen && si < slen) {
      const pc = pattern.charCodeAt(pi);
      if (pc === 42 /* '*' */) {
        while (pattern.charCodeAt(pi + 1) === 42) pi++;
        if (pi + 1 === plen) return true;
        starPi = pi;
        starSi = si;
        pi++;
        continue; // the rest of the pattern against the string from here
      } else if (pc === 63 /* '?' */) {
        si++;
      } else if (pc === 91 /* '[' */) {
        pi++;
        const not = pattern.charCodeAt(pi) === 94; /* '^' */
        if (not) pi++;
        let match = false;
        const c = s.charCodeAt(si);
        for (;;) {
          const p0 = pattern.charCodeAt(pi);
          if (p0 === 92 /* '\\' */ && plen - pi >= 2) {
            pi++;
            if (pattern.charCodeAt(pi) === c) match = true;
          } else if (p0 === 93 /* ']' */) {
            break;
          } else if (pi >= plen) {
            // Unterminated class: the end of the pattern closes it.
            pi--;
            break;
          } else if (plen - pi >= 3 && pattern.charCodeAt(pi + 1) === 45 /* '-' */) {
            let start = signedChar(p0);
            let end = signedChar(pattern.charCodeAt(pi + 2));
            let sc = signedChar(c);
            if (start > end) [start, end] = [end, start];
            if (nocase) { start = lower(start); end = lower(end); sc = lower(sc); }
            pi += 2;
            if (sc >= start && sc <= end) match = true;
          } else if (nocase ? lower(p0) === lower(c) : p0 === c) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) { failed = true; break; }
        si++;
      } else {
        let p0 = pc;
        if (pc === 92 /* '\\' */ && plen - pi >= 2) p0 = pattern.charCodeAt(++pi);
        const c = s.charCodeAt(si);
        if (nocase ? lower(p0) !== lower(c) : p0 !== c) { failed = true; break; }
        si++;
      }
      pi++;
      if (si === slen) {
        while (pattern.charCodeAt(pi) === 42) pi++;
        break;
      }
    }
    if (!failed && pi === plen && si === slen) return true;
    // Let the innermost '*' swallow one more byte; it never takes the string's last byte away
    // from the rest of the pattern, and once out of positions the whole match fails.
    if (starPi < 0) return false;
    starSi++;
    if (starSi >= slen) return false;
    pi = starPi + 1;
    si = starSi;
  }
}

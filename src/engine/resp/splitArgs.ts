// Splits a line into arguments the way Redis's sdssplitargs does: used for inline commands and by
// redis-cli for what the user types. Returns null on unbalanced quotes.

function isHex(c: string): boolean { return /[0-9a-fA-F]/.test(c); }

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\v' || c === '\f';
}

export function splitArgs(line: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && isSpace(line[i])) i++;
    if (i >= line.length) return args;
    let current = '';
    let inDouble = false, inSingle = false, done = false;
    while (!done) {
      const c = line[i];
      if (inDouble) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === 'x' && i + 3 < line.length && isHex(line[i + 2]) && isHex(line[i + 3])) {
          current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < line.length) {
          i++;
          current += ESCAPES[line[i]] ?? line[i];
        } else if (c === '"') {
          // The closing quote must be followed by a space or the end.
          if (i + 1 < line.length && !isSpace(line[i + 1])) return null;
          done = true;
        } else current += c;
      } else if (inSingle) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === "'") { i++; current += "'"; }
        else if (c === "'") {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return null;
          done = true;
        } else current += c;
      } else {
        if (c === undefined || isSpace(c)) done = true;
        else if (c === '"') inDouble = true;
        else if (c === "'") inSingle = true;
        else current += c;
      }
      if (i < line.length) i++;
    }
    args.push(current);
  }
}

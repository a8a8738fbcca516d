// Where a value sits in a JSON text: the offsets of every value (and of every property's key) by
// its path, so a problem named by a path ("steps[0].objectives[1].check.kind") can point at a
// line and column. Only for text JSON.parse accepted; pure code (the import check and the editor
// share it).

export type JsonPath = readonly (string | number)[];

export interface JsonSpan {
  /** Offset of the value's first character. */
  offset: number;
  /** Length of the value's text. */
  length: number;
  /** For an object's property: where its key starts. */
  keyOffset?: number;
}

/** A formatted path ("steps[0].text.en", "(top level)") as its parts. */
export function parsePath(path: string): (string | number)[] {
  if (path === '(top level)' || path === '') return [];
  const parts: (string | number)[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) parts.push(m[1] !== undefined ? Number(m[1]) : m[2]);
  return parts;
}

const pathKey = (path: JsonPath) => JSON.stringify(path);

/** Every value's span by its path (as JSON.stringify(path)). Throws nothing: a bad text gives what was read. */
export function jsonSpans(text: string): Map<string, JsonSpan> {
  const spans = new Map<string, JsonSpan>();
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  const string = (): string => {
    const start = i;
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  const value = (path: (string | number)[], keyOffset?: number): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') i++;
      else {
        while (i < text.length) {
          ws();
          const keyAt = i;
          const key = string();
          ws();
          i++; // ':'
          value([...path, key], keyAt);
          ws();
          if (text[i] === ',') { i++; continue; }
          i++; // '}'
          break;
        }
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') i++;
      else {
        for (let n = 0; i < text.length; n++) {
          value([...path, n]);
          ws();
          if (text[i] === ',') { i++; continue; }
          i++; // ']'
          break;
        }
      }
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !',}] \t\r\n'.includes(text[i])) i++;
    }
    spans.set(pathKey(path), { offset: start, length: Math.max(1, i - start), ...(keyOffset !== undefined ? { keyOffset } : {}) });
  };
  value([]);
  return spans;
}

/** The span of `path`, or of its nearest ancestor that is in the text (a missing property: its object). */
export function locate(spans: Map<string, JsonSpan>, path: JsonPath): JsonSpan | null {
  for (let n = path.length; n >= 0; n--) {
    const span = spans.get(pathKey(path.slice(0, n)));
    if (span) return span;
  }
  return null;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

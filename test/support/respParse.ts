// Parses one RESP2/RESP3 reply into a tree, so tests can compare replies whose element order is
// random by nature (hashtable iteration) or check properties of random replies.

export type RespValue =
  | { type: '+' | '-' | '$' | ',' | '(' | '#' | '=' | '!'; text: string | null }
  | { type: ':'; int: bigint }
  | { type: '_' }
  | { type: '*' | '~' | '>' | '%' | '|'; items: RespValue[] | null };

export function parseResp(buf: Buffer | string): RespValue {
  const s = typeof buf === 'string' ? buf : buf.toString('latin1');
  const [v, end] = parseAt(s, 0);
  if (end !== s.length) throw new Error(`trailing bytes after reply: ${JSON.stringify(s.slice(end, end + 40))}`);
  return v;
}

function parseAt(s: string, pos: number): [RespValue, number] {
  const type = s[pos];
  const lineEnd = s.indexOf('\r\n', pos);
  if (lineEnd < 0) throw new Error('incomplete reply');
  const head = s.slice(pos + 1, lineEnd);
  let p = lineEnd + 2;
  switch (type) {
    case '+': case '-': case ',': case '(': case '#':
      return [{ type, text: head }, p];
    case ':':
      return [{ type, int: BigInt(head) }, p];
    case '_':
      return [{ type }, p];
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return [{ type, text: null }, p];
      return [{ type, text: s.slice(p, p + n) }, p + n + 2];
    }
    case '*': case '~': case '>': case '%': case '|': {
      const n = Number(head);
      if (n < 0) return [{ type, items: null }, p];
      const count = type === '%' || type === '|' ? n * 2 : n;
      const items: RespValue[] = [];
      for (let i = 0; i < count; i++) {
        const [v, next] = parseAt(s, p);
        items.push(v);
        p = next;
      }
      return [{ type, items }, p];
    }
    default:
      throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  }
}

/** A bulk/simple string's text; throws for other types. */
export function text(v: RespValue): string {
  if ('text' in v && v.text !== null) return v.text;
  throw new Error(`not a string reply: ${JSON.stringify(v)}`);
}

/** The items of an aggregate; throws for other types. */
export function items(v: RespValue): RespValue[] {
  if ('items' in v && v.items !== null) return v.items;
  throw new Error(`not an aggregate reply: ${JSON.stringify(v)}`);
}

/** Texts of an aggregate of strings. */
export function texts(v: RespValue): string[] {
  return items(v).map(text);
}

/**
 * A canonical string for a reply in which the order of aggregate elements does not matter:
 * arrays and sets are sorted, maps are sorted by pair. Nested aggregates are canonicalized first.
 */
export function unordered(v: RespValue): string {
  if (!('items' in v) || v.items === null) return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
  const parts = v.items.map(unordered);
  if (v.type === '%' || v.type === '|') {
    const pairs: string[] = [];
    for (let i = 0; i < parts.length; i += 2) pairs.push(parts[i] + '=>' + parts[i + 1]);
    pairs.sort();
    return v.type + '{' + pairs.join(',') + '}';
  }
  parts.sort();
  return v.type + '[' + parts.join(',') + ']';
}

/** Like unordered, but a RESP2 flat array is read as field/value pairs that stay together. */
export function unorderedPairs(v: RespValue): string {
  if (v.type !== '*' || v.items === null) return unordered(v);
  const pairs: string[] = [];
  for (let i = 0; i < v.items.length; i += 2) pairs.push(unordered(v.items[i]) + '=>' + unordered(v.items[i + 1]));
  pairs.sort();
  return '*pairs{' + pairs.join(',') + '}';
}

// Parses raw RESP2/RESP3 reply bytes into a tree that keeps every type distinction (status vs
// bulk, set vs array, map, and which null came on the wire), for tests that compare replies as
// structures rather than bytes (when Redis's own order is random, e.g. dict iteration) or check
// properties of random replies. Independent of src/engine.

export type RespValue =
  | { t: 'status' | 'error' | 'blobError' | 'bulk' | 'verbatim' | 'bignum' | 'double'; v: string }
  | { t: 'int'; v: bigint }
  | { t: 'bool'; v: boolean }
  // `wire` is the type byte the null came as: RESP3's `_`, or RESP2's `$-1` / `*-1` (which differ).
  | { t: 'null'; wire: string }
  | { t: 'array' | 'set' | 'push'; v: RespValue[] }
  | { t: 'map' | 'attribute'; v: [RespValue, RespValue][] };

/** Parses exactly one reply; a byte string (chars 0..255) or a Buffer. */
export function parseResp(reply: Buffer | string): RespValue {
  const s = typeof reply === 'string' ? reply : reply.toString('latin1');
  let pos = 0;
  const line = (): string => {
    const end = s.indexOf('\r\n', pos);
    if (end < 0) throw new Error('incomplete reply');
    const head = s.slice(pos, end);
    pos = end + 2;
    return head;
  };
  const read = (): RespValue => {
    const type = s[pos++];
    const head = line();
    switch (type) {
      case '+': return { t: 'status', v: head };
      case '-': return { t: 'error', v: head };
      case ':': return { t: 'int', v: BigInt(head) };
      case ',': return { t: 'double', v: head };
      case '(': return { t: 'bignum', v: head };
      case '#':
        if (head !== 't' && head !== 'f') throw new Error(`bad boolean ${JSON.stringify(head)}`);
        return { t: 'bool', v: head === 't' };
      case '_': return { t: 'null', wire: '_' };
      case '$': case '=': case '!': {
        const n = Number(head);
        if (n < 0) return { t: 'null', wire: type };
        const body = s.slice(pos, pos + n);
        pos += n + 2;
        return { t: type === '$' ? 'bulk' : type === '=' ? 'verbatim' : 'blobError', v: body };
      }
      case '*': case '~': case '>': {
        const n = Number(head);
        if (n < 0) return { t: 'null', wire: type };
        const items: RespValue[] = [];
        for (let i = 0; i < n; i++) items.push(read());
        return { t: type === '*' ? 'array' : type === '~' ? 'set' : 'push', v: items };
      }
      case '%': case '|': {
        const n = Number(head);
        if (n < 0) return { t: 'null', wire: type };
        const pairs: [RespValue, RespValue][] = [];
        for (let i = 0; i < n; i++) pairs.push([read(), read()]);
        return { t: type === '%' ? 'map' : 'attribute', v: pairs };
      }
      default:
        throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
    }
  };
  const value = read();
  if (pos !== s.length) throw new Error(`trailing bytes after reply: ${JSON.stringify(s.slice(pos, pos + 40))}`);
  return value;
}

const WIRE_TYPE = {
  status: '+', error: '-', blobError: '!', bulk: '$', verbatim: '=', bignum: '(', double: ',', int: ':', bool: '#',
  array: '*', set: '~', push: '>', map: '%', attribute: '|',
} as const;

/** The RESP type byte the reply came with: `$` for a bulk string and for RESP2's null bulk alike. */
export function wireType(v: RespValue): string {
  return v.t === 'null' ? v.wire : WIRE_TYPE[v.t];
}

/** The text of a string-like reply (bulk, status, error, double...); throws for other types. */
export function text(v: RespValue): string {
  if ('v' in v && typeof v.v === 'string') return v.v;
  throw new Error(`not a string reply: ${describe(v)}`);
}

/** The elements of an aggregate, a map's as key, value, key, value...; throws for other types. */
export function items(v: RespValue): RespValue[] {
  switch (v.t) {
    case 'array': case 'set': case 'push': return v.v;
    case 'map': case 'attribute': return v.v.flat();
    default: throw new Error(`not an aggregate reply: ${describe(v)}`);
  }
}

/** Texts of an aggregate of strings. */
export function texts(v: RespValue): string[] {
  return items(v).map(text);
}

/** Field/value pairs of a map, or of a RESP2 flat array that stands for one. */
export function textPairs(v: RespValue): [string, string][] {
  const flat = texts(v);
  if (flat.length % 2 !== 0) throw new Error(`odd number of elements for pairs: ${flat.length}`);
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** A canonical text of a value; `unordered` decides which arrays/sets/maps are compared as sets. */
export function canonical(v: RespValue, unordered: (path: string) => boolean = () => false, path = ''): string {
  switch (v.t) {
    case 'int': return `:${v.v}`;
    case 'bool': return `#${v.v}`;
    case 'null': return v.wire === '_' ? '_' : `${v.wire}-1`;
    case 'array': case 'set': case 'push': {
      const items = v.v.map((x, i) => canonical(x, unordered, `${path}/${unordered(path) ? '*' : i}`));
      if (unordered(path)) items.sort();
      return `${v.t}[${items.join(',')}]`;
    }
    case 'map': case 'attribute': {
      const items = v.v.map(([k, x]) => {
        const key = canonical(k, unordered, `${path}/key`);
        const name = k.t === 'bulk' || k.t === 'status' ? k.v : key;
        return `${key}=>${canonical(x, unordered, `${path}/${name}`)}`;
      });
      if (unordered(path)) items.sort();
      return `${v.t}{${items.join(',')}}`;
    }
    default:
      return `${v.t}(${JSON.stringify(v.v)})`;
  }
}

/** The canonical text of a reply in which no aggregate's order matters, at any depth. */
export function unordered(v: RespValue): string {
  return canonical(v, () => true);
}

/** Like unordered, but a RESP2 flat array is read as field/value pairs that stay together. */
export function unorderedPairs(v: RespValue): string {
  if (v.t !== 'array') return unordered(v);
  const pairs: string[] = [];
  for (let i = 0; i < v.v.length; i += 2) pairs.push(unordered(v.v[i]) + '=>' + unordered(v.v[i + 1]));
  pairs.sort();
  return 'array-pairs{' + pairs.join(',') + '}';
}

function describe(v: RespValue): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
}

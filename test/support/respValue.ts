// Parses raw RESP2/RESP3 reply bytes into a tree that keeps every type distinction (status vs
// bulk, set vs array, map), for tests that compare replies as structures rather than bytes (when
// Redis's own order is random, e.g. dict iteration). Independent of src/engine.

export type RespValue =
  | { t: 'status' | 'error' | 'bulk' | 'verbatim' | 'bignum' | 'double'; v: string }
  | { t: 'int'; v: bigint }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'array' | 'set' | 'push'; v: RespValue[] }
  | { t: 'map' | 'attribute'; v: [RespValue, RespValue][] };

export function parseResp(buf: Buffer): RespValue {
  let pos = 0;
  const line = (): string => {
    const end = buf.indexOf('\r\n', pos);
    if (end < 0) throw new Error('incomplete reply');
    const s = buf.toString('latin1', pos, end);
    pos = end + 2;
    return s;
  };
  const read = (): RespValue => {
    const type = String.fromCharCode(buf[pos++]);
    const head = line();
    switch (type) {
      case '+': return { t: 'status', v: head };
      case '-': return { t: 'error', v: head };
      case ':': return { t: 'int', v: BigInt(head) };
      case ',': return { t: 'double', v: head };
      case '(': return { t: 'bignum', v: head };
      case '#': return { t: 'bool', v: head === 't' };
      case '_': return { t: 'null' };
      case '$': case '=': {
        const n = Number(head);
        if (n < 0) return { t: 'null' };
        const s = buf.toString('latin1', pos, pos + n);
        pos += n + 2;
        return { t: type === '$' ? 'bulk' : 'verbatim', v: s };
      }
      case '*': case '~': case '>': {
        const n = Number(head);
        if (n < 0) return { t: 'null' };
        const items: RespValue[] = [];
        for (let i = 0; i < n; i++) items.push(read());
        return { t: type === '*' ? 'array' : type === '~' ? 'set' : 'push', v: items };
      }
      case '%': case '|': {
        const n = Number(head);
        const pairs: [RespValue, RespValue][] = [];
        for (let i = 0; i < n; i++) pairs.push([read(), read()]);
        return { t: type === '%' ? 'map' : 'attribute', v: pairs };
      }
      default:
        throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
    }
  };
  const value = read();
  if (pos !== buf.length) throw new Error(`trailing bytes after reply (${buf.length - pos})`);
  return value;
}

/** A canonical text of a value; `unordered` decides which arrays/sets/maps are compared as sets. */
export function canonical(v: RespValue, unordered: (path: string) => boolean = () => false, path = ''): string {
  switch (v.t) {
    case 'int': return `:${v.v}`;
    case 'bool': return `#${v.v}`;
    case 'null': return '_';
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

// Reads RESP2/RESP3 replies from the engine's byte stream into values, as redis-cli's hiredis does.

export type Reply =
  | { kind: 'status'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'integer'; value: bigint }
  | { kind: 'bulk'; bytes: Uint8Array }
  | { kind: 'verbatim'; format: string; bytes: Uint8Array }
  | { kind: 'null' }
  | { kind: 'double'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'bignum'; text: string }
  | { kind: 'array' | 'set' | 'push'; items: Reply[] }
  | { kind: 'map' | 'attribute'; entries: [Reply, Reply][] };

/** Bytes -> one char per byte (TextDecoder's "latin1" is really windows-1252). */
function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export class ReplyReader {
  private buf = new Uint8Array(0);

  feed(bytes: Uint8Array): void {
    const merged = new Uint8Array(this.buf.length + bytes.length);
    merged.set(this.buf);
    merged.set(bytes, this.buf.length);
    this.buf = merged;
  }

  /** The next complete reply, or null if more bytes are needed. */
  next(): Reply | null {
    const r = this.read(0);
    if (!r) return null;
    this.buf = this.buf.slice(r.end);
    return r.reply;
  }

  private line(pos: number): { text: string; next: number } | null {
    for (let i = pos; i + 1 < this.buf.length; i++) {
      if (this.buf[i] === 13 && this.buf[i + 1] === 10) return { text: latin1(this.buf.subarray(pos, i)), next: i + 2 };
    }
    return null;
  }

  private read(pos: number): { reply: Reply; end: number } | null {
    if (pos >= this.buf.length) return null;
    const type = String.fromCharCode(this.buf[pos]);
    const head = this.line(pos + 1);
    if (!head) return null;
    const { text, next } = head;
    switch (type) {
      case '+': return { reply: { kind: 'status', text }, end: next };
      case '-': return { reply: { kind: 'error', text }, end: next };
      case ':': return { reply: { kind: 'integer', value: BigInt(text) }, end: next };
      case '_': return { reply: { kind: 'null' }, end: next };
      case ',': return { reply: { kind: 'double', text }, end: next };
      case '#': return { reply: { kind: 'bool', value: text === 't' }, end: next };
      case '(': return { reply: { kind: 'bignum', text }, end: next };
      case '$': case '=': case '!': {
        const n = Number(text);
        if (n < 0) return { reply: { kind: 'null' }, end: next };
        if (this.buf.length < next + n + 2) return null;
        const bytes = this.buf.slice(next, next + n);
        if (type === '!') return { reply: { kind: 'error', text: latin1(bytes) }, end: next + n + 2 };
        if (type === '=') return { reply: { kind: 'verbatim', format: latin1(bytes.subarray(0, 3)), bytes: bytes.slice(4) }, end: next + n + 2 };
        return { reply: { kind: 'bulk', bytes }, end: next + n + 2 };
      }
      case '*': case '~': case '>': {
        const n = Number(text);
        if (n < 0) return { reply: { kind: 'null' }, end: next };
        const items: Reply[] = [];
        let p = next;
        for (let i = 0; i < n; i++) {
          const r = this.read(p);
          if (!r) return null;
          items.push(r.reply);
          p = r.end;
        }
        const kind = type === '*' ? 'array' : type === '~' ? 'set' : 'push';
        return { reply: { kind, items }, end: p };
      }
      case '%': case '|': {
        const n = Number(text);
        const entries: [Reply, Reply][] = [];
        let p = next;
        for (let i = 0; i < n; i++) {
          const k = this.read(p);
          if (!k) return null;
          const v = this.read(k.end);
          if (!v) return null;
          entries.push([k.reply, v.reply]);
          p = v.end;
        }
        return { reply: { kind: type === '%' ? 'map' : 'attribute', entries }, end: p };
      }
      default:
        throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
    }
  }
}

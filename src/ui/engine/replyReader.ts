// Reads RESP2/RESP3 replies from the engine's byte stream into values, as redis-cli's hiredis does.
// Every string in a reply is a byte string (one char per byte, 0..255), like the engine's strings:
// what a reply holds is bytes, and the terminal decides how to show them.
import { bytesToBinary } from '../../engine/bytes.ts';

export type Reply =
  /** Simple strings and errors (`+` `-`, and RESP3's blob error `!`), doubles and big numbers as sent. */
  | { kind: 'status'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'double'; text: string }
  | { kind: 'bignum'; text: string }
  | { kind: 'integer'; value: bigint }
  | { kind: 'bulk'; text: string }
  /** `=`: `format` is the three-byte type ("txt", "mkd"), `text` what follows the colon. */
  | { kind: 'verbatim'; format: string; text: string }
  /** RESP2's `$-1` and `*-1`, RESP3's `_`: hiredis makes them all the same nil. */
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'array'; items: Reply[] }
  | { kind: 'set'; items: Reply[] }
  | { kind: 'push'; items: Reply[] }
  | { kind: 'map'; entries: [Reply, Reply][] }
  | { kind: 'attribute'; entries: [Reply, Reply][] };

/** The reply of one kind. */
export type ReplyOf<K extends Reply['kind']> = Extract<Reply, { kind: K }>;

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
      if (this.buf[i] === 13 && this.buf[i + 1] === 10) return { text: bytesToBinary(this.buf, pos, i), next: i + 2 };
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
        const body = bytesToBinary(this.buf, next, next + n);
        const end = next + n + 2;
        if (type === '!') return { reply: { kind: 'error', text: body }, end };
        if (type === '=') return { reply: { kind: 'verbatim', format: body.slice(0, 3), text: body.slice(4) }, end };
        return { reply: { kind: 'bulk', text: body }, end };
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
        return { reply: { kind, items } as Reply, end: p };
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
        return { reply: { kind: type === '%' ? 'map' : 'attribute', entries } as Reply, end: p };
      }
      default:
        throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
    }
  }
}

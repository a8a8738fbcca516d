// The UI's RESP reader: every RESP2/RESP3 type, byte strings, replies split across chunks.
import { describe, expect, it } from 'vitest';
import { ReplyReader, type Reply } from '../../../src/ui/engine/replyReader.ts';

function readAll(...chunks: string[]): Reply[] {
  const reader = new ReplyReader();
  const out: Reply[] = [];
  for (const c of chunks) {
    reader.feed(Uint8Array.from(c, (ch) => ch.charCodeAt(0)));
    for (let r = reader.next(); r; r = reader.next()) out.push(r);
  }
  return out;
}

describe('ReplyReader', () => {
  it('reads the RESP2 types, both nils the same', () => {
    expect(readAll('+OK\r\n-ERR bad\r\n:-12\r\n$3\r\nabc\r\n$-1\r\n*-1\r\n$0\r\n\r\n')).toEqual([
      { kind: 'status', text: 'OK' }, { kind: 'error', text: 'ERR bad' }, { kind: 'integer', value: -12n },
      { kind: 'bulk', text: 'abc' }, { kind: 'null' }, { kind: 'null' }, { kind: 'bulk', text: '' },
    ]);
  });

  it('keeps bulk strings as byte strings, CR LF and zero bytes included', () => {
    expect(readAll('$6\r\n\xff\x00\r\n\xc3\xa9\r\n')).toEqual([{ kind: 'bulk', text: '\xff\x00\r\n\xc3\xa9' }]);
  });

  it('reads the RESP3 types', () => {
    expect(readAll(',3.14\r\n#t\r\n#f\r\n_\r\n(12345678901234567890\r\n=9\r\ntxt:hello\r\n!5\r\nERR x\r\n')).toEqual([
      { kind: 'double', text: '3.14' }, { kind: 'bool', value: true }, { kind: 'bool', value: false }, { kind: 'null' },
      { kind: 'bignum', text: '12345678901234567890' }, { kind: 'verbatim', format: 'txt', text: 'hello' },
      { kind: 'error', text: 'ERR x' },
    ]);
  });

  it('reads nested aggregates: arrays, sets, maps, pushes, attributes', () => {
    expect(readAll('*2\r\n*1\r\n:1\r\n~1\r\n$1\r\na\r\n%1\r\n$1\r\nk\r\n*0\r\n>2\r\n$1\r\np\r\n:2\r\n|1\r\n+a\r\n:1\r\n')).toEqual([
      { kind: 'array', items: [{ kind: 'array', items: [{ kind: 'integer', value: 1n }] }, { kind: 'set', items: [{ kind: 'bulk', text: 'a' }] }] },
      { kind: 'map', entries: [[{ kind: 'bulk', text: 'k' }, { kind: 'array', items: [] }]] },
      { kind: 'push', items: [{ kind: 'bulk', text: 'p' }, { kind: 'integer', value: 2n }] },
      { kind: 'attribute', entries: [[{ kind: 'status', text: 'a' }, { kind: 'integer', value: 1n }]] },
    ]);
  });

  it('waits for the rest of a reply split anywhere', () => {
    const whole = '*3\r\n$5\r\nhello\r\n:42\r\n%1\r\n+k\r\n$2\r\nv\n\r\n';
    for (let cut = 1; cut < whole.length; cut++) {
      expect(readAll(whole.slice(0, cut), whole.slice(cut)), `cut at ${cut}`).toEqual(readAll(whole));
    }
    expect(readAll(whole.slice(0, 10))).toEqual([]);
  });
});

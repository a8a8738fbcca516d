// Reply formatting as redis-cli 7.0.15 prints it (cliFormatReplyTTY / cliFormatReplyRaw). The
// expected texts are what the real redis-cli printed for these replies (redisCliOracle.test.ts
// checks the same formatting against it live).
import { describe, expect, it } from 'vitest';
import type { Reply, ReplyOf } from '../../../src/ui/engine/replyReader.ts';
import {
  formatPush, formatReply, formatReplyRaw, formatReplyTTY, quoteBytes, UnknownReplyTypeError,
} from '../../../src/ui/terminal/formatReply.ts';

const bulk = (text: string): Reply => ({ kind: 'bulk', text });
const int = (n: number): Reply => ({ kind: 'integer', value: BigInt(n) });
const arr = (...items: Reply[]): Reply => ({ kind: 'array', items });
const set = (...items: Reply[]): Reply => ({ kind: 'set', items });
const map = (...entries: [Reply, Reply][]): Reply => ({ kind: 'map', entries });
const nil: Reply = { kind: 'null' };

describe('quoteBytes (sdscatrepr)', () => {
  it('escapes quotes, backslashes and the C escapes, and hex for the rest', () => {
    expect(quoteBytes('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteBytes('\n\r\t\x07\x08')).toBe('"\\n\\r\\t\\a\\b"');
    expect(quoteBytes('\x00\x01\x1b\x7f\x80\xff')).toBe('"\\x00\\x01\\x1b\\x7f\\x80\\xff"');
    // UTF-8 bytes are not printable in the C locale.
    expect(quoteBytes('h\xc3\xa9llo')).toBe('"h\\xc3\\xa9llo"');
    expect(quoteBytes(' ~')).toBe('" ~"');
    expect(quoteBytes('')).toBe('""');
  });
});

describe('formatReplyTTY', () => {
  it('formats the simple types', () => {
    expect(formatReplyTTY({ kind: 'status', text: 'OK' })).toBe('OK\n');
    expect(formatReplyTTY({ kind: 'error', text: 'ERR wrong' })).toBe('(error) ERR wrong\n');
    expect(formatReplyTTY(int(-42))).toBe('(integer) -42\n');
    expect(formatReplyTTY({ kind: 'integer', value: 9223372036854775807n })).toBe('(integer) 9223372036854775807\n');
    expect(formatReplyTTY(bulk('hello world'))).toBe('"hello world"\n');
    expect(formatReplyTTY(nil)).toBe('(nil)\n');
    expect(formatReplyTTY({ kind: 'double', text: '3.141' })).toBe('(double) 3.141\n');
    expect(formatReplyTTY({ kind: 'double', text: 'inf' })).toBe('(double) inf\n');
    expect(formatReplyTTY({ kind: 'bool', value: true })).toBe('(true)\n');
    expect(formatReplyTTY({ kind: 'bool', value: false })).toBe('(false)\n');
    // Verbatim strings are written as they are, without their "txt:" type.
    expect(formatReplyTTY({ kind: 'verbatim', format: 'txt', text: 'This is a verbatim\nstring' }))
      .toBe('This is a verbatim\nstring\n');
  });

  it('stops status, error and double texts at a zero byte, as C strings do', () => {
    expect(formatReplyTTY({ kind: 'status', text: 'a\0b' })).toBe('a\n');
    expect(formatReplyTTY({ kind: 'error', text: 'ERR x\0y' })).toBe('(error) ERR x\n');
    expect(formatReplyTTY(bulk('a\0b'))).toBe('"a\\x00b"\n');
  });

  it('names each empty aggregate', () => {
    expect(formatReplyTTY(arr())).toBe('(empty array)\n');
    expect(formatReplyTTY(set())).toBe('(empty set)\n');
    expect(formatReplyTTY(map())).toBe('(empty hash)\n');
    expect(formatReplyTTY({ kind: 'push', items: [] })).toBe('(empty push)\n');
  });

  it('numbers elements, right-aligned to the widest index, and indents nested ones', () => {
    expect(formatReplyTTY(arr(bulk('a'), int(1), nil))).toBe('1) "a"\n2) (integer) 1\n3) (nil)\n');
    const eleven = arr(...'abcdefghijk'.split('').map(bulk));
    expect(formatReplyTTY(eleven).split('\n').slice(8, 11)).toEqual([' 9) "i"', '10) "j"', '11) "k"']);
    // ZRANGE WITHSCORES in RESP3, SCAN: arrays in arrays.
    expect(formatReplyTTY(arr(arr(bulk('a'), { kind: 'double', text: '1' }), arr(bulk('b'), arr()))))
      .toBe('1) 1) "a"\n   2) (double) 1\n2) 1) "b"\n   2) (empty array)\n');
    // The nested prefix grows by the parent's index width plus two.
    const wide = arr(...Array.from({ length: 10 }, (_, i) => (i === 9 ? arr(bulk('x'), bulk('y')) : int(i))));
    expect(formatReplyTTY(wide).split('\n').slice(9)).toEqual(['10) 1) "x"', '    2) "y"', '']);
  });

  it('shows sets with "~" and maps with "#" and "=>"', () => {
    expect(formatReplyTTY(set(bulk('1'), bulk('2')))).toBe('1~ "1"\n2~ "2"\n');
    expect(formatReplyTTY(map([bulk('f1'), bulk('v1')], [int(0), { kind: 'bool', value: false }])))
      .toBe('1# "f1" => "v1"\n2# (integer) 0 => (false)\n');
  });

  it('puts a map value that takes several lines on its own lines (after "=> ", space kept)', () => {
    // A key spec of COMMAND INFO GET in RESP3, as redis-cli shows it.
    const spec = map(
      [bulk('flags'), set({ kind: 'status', text: 'RO' }, { kind: 'status', text: 'access' })],
      [bulk('begin_search'), map([bulk('type'), bulk('index')], [bulk('spec'), map([bulk('index'), int(1)])])],
    );
    expect(formatReplyTTY(arr(set(spec)))).toBe([
      '1) 1~ 1# "flags" => ',
      '         1~ RO',
      '         2~ access',
      '      2# "begin_search" => ',
      '         1# "type" => "index"',
      '         2# "spec" => 1# "index" => (integer) 1',
      '',
    ].join('\n'));
    // One element holding one element stays on the line.
    expect(formatReplyTTY(map([bulk('k'), arr(arr(bulk('v')))]))).toBe('1# "k" => 1) 1) "v"\n');
  });

  it('formats pushes like arrays', () => {
    expect(formatReplyTTY({ kind: 'push', items: [bulk('message'), bulk('ch'), bulk('hi')] }))
      .toBe('1) "message"\n2) "ch"\n3) "hi"\n');
  });

  it('cannot show big numbers: redis-cli stops with "Unknown reply type: 13"', () => {
    expect(() => formatReplyTTY({ kind: 'bignum', text: '123' })).toThrow(UnknownReplyTypeError);
    expect(() => formatReplyTTY(arr(int(1), { kind: 'bignum', text: '123' }))).toThrow('Unknown reply type: 13');
    expect(() => formatReplyRaw({ kind: 'bignum', text: '1' })).toThrow('Unknown reply type: 13');
  });
});

describe('formatReplyRaw (--raw)', () => {
  it('prints bare values, nothing for nil, one element per line', () => {
    expect(formatReplyRaw(bulk('a b\nc'))).toBe('a b\nc');
    expect(formatReplyRaw({ kind: 'status', text: 'OK' })).toBe('OK');
    expect(formatReplyRaw(int(7))).toBe('7');
    expect(formatReplyRaw(nil)).toBe('');
    expect(formatReplyRaw({ kind: 'double', text: '2.5' })).toBe('2.5');
    expect(formatReplyRaw({ kind: 'bool', value: true })).toBe('(true)');
    expect(formatReplyRaw(arr(bulk('x'), arr(bulk('y'), int(1)), nil))).toBe('x\ny\n1\n');
    expect(formatReplyRaw(map([bulk('f'), bulk('v')], [bulk('g'), int(2)]))).toBe('f v\ng 2');
    expect(formatReplyRaw(arr())).toBe('');
  });

  it('ends errors with a newline of their own', () => {
    expect(formatReplyRaw({ kind: 'error', text: 'ERR x' })).toBe('ERR x\n');
    // Plus the command delimiter: a blank line after an error in --raw.
    expect(formatReply({ kind: 'error', text: 'ERR x' }, 'raw')).toBe('ERR x\n\n');
  });
});

describe('formatReply', () => {
  it('adds the command delimiter in raw mode, nothing for the per-command raw output', () => {
    expect(formatReply(bulk('v'), 'standard')).toBe('"v"\n');
    expect(formatReply(bulk('v'), 'raw')).toBe('v\n');
    expect(formatReply(bulk('# Server\r\nx:1\r\n'), 'standard', true)).toBe('# Server\r\nx:1\r\n');
    expect(formatReply({ kind: 'status', text: 'QUEUED' }, 'standard', true)).toBe('QUEUED');
  });
});

describe('formatPush (cliPushHandler)', () => {
  it('shows client-side caching invalidations on one line', () => {
    const push: ReplyOf<'push'> = { kind: 'push', items: [bulk('invalidate'), arr(bulk('k1'), bulk('k\0cut'))] };
    expect(formatPush(push, 'standard')).toBe("-> invalidate: 'k1', 'k'\n");
    expect(formatPush(push, 'raw')).toBe('invalidate\nk1\nk\0cut\n');
  });

  it('shows other pushes, and a flush-all invalidation (nil keys), as replies', () => {
    expect(formatPush({ kind: 'push', items: [bulk('invalidate'), nil] }, 'standard')).toBe('1) "invalidate"\n2) (nil)\n');
    expect(formatPush({ kind: 'push', items: [bulk('server-cpu-usage'), int(42)] }, 'standard'))
      .toBe('1) "server-cpu-usage"\n2) (integer) 42\n');
  });
});

// List commands against real Redis 7.0.15: scripted cases for every command and its errors, then
// seeded random streams of list commands compared reply by reply. Node layout (not visible to
// these commands) is checked separately by quicklistLayout.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DifferentialPair, checkRandomStream, uniqueKeys, type ClientPair, type Command } from './harness.ts';
import { SeededRandom } from '../../src/engine/sim/random.ts';

let pair: DifferentialPair;
/** Commands of other families this file uses when the engine has them. */
const available = new Set<string>();

beforeAll(async () => {
  pair = await DifferentialPair.start();
  for (const probe of [['FLUSHALL'], ['CONFIG', 'GET', 'list-max-listpack-size'], ['OBJECT', 'ENCODING', 'nokey'],
    ['HELLO', '2'], ['DEL', 'nokey'], ['EXISTS', 'nokey'], ['TYPE', 'nokey']]) {
    const [, e] = await pair.both(...probe);
    if (!e.toString('latin1').startsWith('-ERR unknown command')) available.add(probe[0]);
  }
});
afterAll(async () => { await pair?.stop(); });

const keys = uniqueKeys('t');

const bin = (s: string) => Buffer.from(s, 'latin1');

/** Every value shape that matters to a listpack: integer encodings, string lengths, bytes. */
const INTEGERS = ['0', '1', '-1', '127', '128', '-4096', '-4097', '4095', '4096', '32767', '32768', '-32769',
  '8388607', '8388608', '-8388609', '2147483647', '2147483648', '-2147483649', '9223372036854775807',
  '-9223372036854775808', '9223372036854775808', '-9223372036854775809', '01', '-0', '+1', ' 1', '1 ', '1.5', '0x10'];
const STRINGS = ['', 'a', 'hello', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096),
  'v'.repeat(8200), 'u'.repeat(70000)];
const BINARY = ['\x00', '\r\n', '\x00\xff\x80\x7f', 'caf\xc3\xa9', '\xff'.repeat(300)];

describe('push and length', () => {
  it('LPUSH/RPUSH/LPUSHX/RPUSHX', async () => {
    const [k, m, s] = keys('k', 'missing', 'str');
    await pair.checkAll([
      ['SET', s, 'v'],
      ['LPUSH', k, 'a'], ['LPUSH', k, 'b', 'c'], ['RPUSH', k, 'd', 'e', 'f'], ['LRANGE', k, '0', '-1'],
      ['LPUSHX', m, 'x'], ['RPUSHX', m, 'x', 'y'], ['LLEN', m], ['LRANGE', m, '0', '-1'],
      ['LPUSHX', k, 'x', 'y'], ['RPUSHX', k, 'z'], ['LRANGE', k, '0', '-1'], ['LLEN', k],
      ['LPUSH', s, 'a'], ['RPUSH', s, 'a'], ['LPUSHX', s, 'a'], ['RPUSHX', s, 'a'], ['LLEN', s],
      ['LPUSH', k], ['RPUSH', k], ['LPUSHX', k], ['RPUSHX'], ['LLEN'], ['LLEN', k, k],
      ['lpush', k, 'lower'], ['LpUsH', k, 'mixed'], ['LRANGE', k, '0', '1'],
    ]);
  });

  it('every value shape round-trips', async () => {
    const [k, r] = keys('k', 'r');
    const values = [...INTEGERS, ...STRINGS, ...BINARY];
    await pair.checkAll([
      ['RPUSH', k, ...values.map(bin)], ['LLEN', k], ['LRANGE', k, '0', '-1'],
      ...values.map((_, i) => ['LINDEX', k, String(i)]),
      ...values.map((_, i) => ['LINDEX', k, String(-i - 1)]),
      ['LPUSH', r, ...values.map(bin)], ['LRANGE', r, '0', '-1'],
      ...values.map((v) => ['LPOS', r, bin(v)]),
      ...values.map((v) => ['LPOS', k, bin(v), 'RANK', '-1', 'COUNT', '0']),
    ]);
  });

  it('many elements across many nodes', async () => {
    const [k] = keys('k');
    const cmds: Command[] = [];
    for (let i = 0; i < 40; i++) cmds.push(['RPUSH', k, ...Array.from({ length: 50 }, (_, j) => `e${i * 50 + j}`)]);
    for (let i = 0; i < 10; i++) cmds.push(['LPUSH', k, ...Array.from({ length: 30 }, (_, j) => String(i * 30 + j))]);
    cmds.push(['LLEN', k], ['LRANGE', k, '0', '-1'], ['LRANGE', k, '-1', '0'], ['LRANGE', k, '1234', '1300'],
      ['LINDEX', k, '1000'], ['LINDEX', k, '-1000'], ['LINDEX', k, '2299'], ['LINDEX', k, '2300']);
    await pair.checkAll(cmds);
  });
});

describe('pop', () => {
  it('LPOP/RPOP with and without count', async () => {
    const [k, m, s] = keys('k', 'missing', 'str');
    await pair.checkAll([
      ['SET', s, 'v'],
      ['RPUSH', k, ...'abcdefghij'.split('')],
      ['LPOP', k], ['RPOP', k], ['LPOP', k, '0'], ['RPOP', k, '0'], ['LPOP', k, '1'], ['RPOP', k, '2'],
      ['LPOP', k, '2'], ['LRANGE', k, '0', '-1'], ['RPOP', k, '100'], ['LLEN', k], ['LPOP', k], ['LPOP', k, '1'],
      ['LPOP', m], ['RPOP', m], ['LPOP', m, '0'], ['RPOP', m, '1'], ['LPOP', m, '-1'], ['LPOP', m, 'abc'],
      ['LPOP', s], ['RPOP', s], ['LPOP', s, '0'], ['LPOP', s, '1'], ['LPOP', s, '-1'], ['LPOP', s, 'x'],
      ['LPOP', k, '1', '2'], ['RPOP', m, '1', '2'], ['LPOP'], ['RPOP'],
      ['RPUSH', k, 'x', 'y'], ['LPOP', k, '9223372036854775807'], ['RPUSH', k, 'x'],
      ['RPOP', k, '9223372036854775808'], ['RPOP', k, '-9223372036854775808'], ['RPOP', k, ' 1'], ['RPOP', k, '01'],
      ['RPOP', k, '1.0'], ['RPOP', k, ''], ['RPOP', k], ['RPOP', k],
    ]);
  });

  it('pops across node boundaries', async () => {
    const [k] = keys('k');
    const vals = Array.from({ length: 500 }, (_, i) => (i % 7 ? `v${i}` : 'q'.repeat(i)));
    await pair.checkAll([
      ['RPUSH', k, ...vals], ['LPOP', k, '130'], ['RPOP', k, '77'], ['LLEN', k], ['LPOP', k], ['RPOP', k],
      ['LRANGE', k, '100', '120'], ['RPOP', k, '250'], ['LPOP', k, '50'], ['LLEN', k],
    ]);
  });
});

describe('index, set, range, trim', () => {
  it('LINDEX', async () => {
    const [k, m, s] = keys('k', 'missing', 'str');
    await pair.checkAll([
      ['SET', s, 'v'], ['RPUSH', k, 'a', 'b', 'c', '1', '2', '3'],
      ['LINDEX', k, '0'], ['LINDEX', k, '5'], ['LINDEX', k, '6'], ['LINDEX', k, '-1'], ['LINDEX', k, '-6'],
      ['LINDEX', k, '-7'], ['LINDEX', k, '9223372036854775807'], ['LINDEX', k, '-9223372036854775808'],
      ['LINDEX', k, '9223372036854775808'], ['LINDEX', k, 'abc'], ['LINDEX', k, ''], ['LINDEX', k, '1.0'],
      ['LINDEX', m, '0'], ['LINDEX', m, 'abc'], ['LINDEX', s, '0'], ['LINDEX', s, 'abc'],
      ['LINDEX', k], ['LINDEX', k, '0', '1'],
    ]);
  });

  it('LSET', async () => {
    const [k, m, s] = keys('k', 'missing', 'str');
    await pair.checkAll([
      ['SET', s, 'v'], ['RPUSH', k, 'a', 'b', 'c'],
      ['LSET', k, '0', 'A'], ['LSET', k, '-1', 'C'], ['LSET', k, '1', '12345'], ['LRANGE', k, '0', '-1'],
      ['LSET', k, '3', 'x'], ['LSET', k, '-4', 'x'], ['LSET', k, 'abc', 'x'], ['LSET', k, '9223372036854775808', 'x'],
      ['LSET', k, '-9223372036854775808', 'x'],
      ['LSET', m, '0', 'x'], ['LSET', m, 'abc', 'x'], ['LSET', s, '0', 'x'], ['LSET', s, 'abc', 'x'],
      ['LSET', k, '1', 'big'.repeat(5000)], ['LSET', k, '1', ''], ['LSET', k, '0', 'z'.repeat(70000)],
      ['LRANGE', k, '0', '-1'], ['LSET', k, '0'], ['LSET', k, '0', 'a', 'b'],
      ['RPUSH', k, 'M'.repeat(1_000_000)], ['LINDEX', k, '-1'], ['LSET', k, '-1', 'N'.repeat(1_200_000)], ['LPOS', k, 'N'.repeat(1_200_000)],
      ['LINSERT', k, 'BEFORE', 'N'.repeat(1_200_000), 'O'.repeat(600_000)], ['LRANGE', k, '-2', '-1'], ['RPOP', k, '2'], ['LLEN', k],
    ]);
  });

  it('LRANGE', async () => {
    const [k, m, s] = keys('k', 'missing', 'str');
    const cmds: Command[] = [['SET', s, 'v'], ['RPUSH', k, ...Array.from({ length: 25 }, (_, i) => String(i * 3))]];
    const idx = ['0', '1', '2', '10', '24', '25', '26', '100', '-1', '-2', '-10', '-25', '-26', '-100',
      '9223372036854775807', '-9223372036854775808'];
    for (const a of idx) for (const b of idx) cmds.push(['LRANGE', k, a, b]);
    cmds.push(['LRANGE', m, '0', '-1'], ['LRANGE', m, 'a', '-1'], ['LRANGE', k, 'a', '1'], ['LRANGE', k, '1', 'b'],
      ['LRANGE', s, '0', '-1'], ['LRANGE', s, 'x', '0'], ['LRANGE', k, '0'], ['LRANGE', k, '0', '1', '2'],
      ['LRANGE', k, '9223372036854775808', '1'], ['LRANGE', k, '0', '-9223372036854775809']);
    await pair.checkAll(cmds);
  });

  it('LTRIM', async () => {
    const ranges = [['0', '-1'], ['1', '-2'], ['2', '5'], ['5', '2'], ['-3', '-1'], ['0', '0'], ['-1', '-1'],
      ['100', '200'], ['-100', '100'], ['3', '-100'], ['9223372036854775807', '-9223372036854775808'], ['-1', '0']];
    for (const [a, b] of ranges) {
      const [k] = keys('k');
      await pair.checkAll([['RPUSH', k, ...Array.from({ length: 12 }, (_, i) => `v${i}`)], ['LTRIM', k, a, b],
        ['LRANGE', k, '0', '-1'], ['LLEN', k], ['RPUSH', k, 'again'], ['LRANGE', k, '0', '-1']]);
    }
    const [m, s, k] = keys('missing', 'str', 'k');
    await pair.checkAll([['SET', s, 'v'], ['RPUSH', k, 'a'], ['LTRIM', m, '0', '1'], ['LTRIM', m, 'x', '1'],
      ['LTRIM', s, '0', '1'], ['LTRIM', s, '0', 'y'], ['LTRIM', k, '0'], ['LTRIM', k, '0', '1', '2'],
      ['LTRIM', k, '1.5', '2'], ['LLEN', m]]);
  });
});

describe('remove, insert, search', () => {
  it('LREM', async () => {
    for (const count of ['0', '1', '2', '-1', '-2', '100', '-100', '9223372036854775807', '-9223372036854775808']) {
      const [k] = keys('k');
      await pair.checkAll([['RPUSH', k, 'a', 'b', 'a', 'c', 'a', 'a', 'd', 'a'], ['LREM', k, count, 'a'],
        ['LRANGE', k, '0', '-1'], ['LREM', k, count, 'zz'], ['LREM', k, '0', 'b'], ['LREM', k, '0', 'c'],
        ['LREM', k, '0', 'd'], ['LRANGE', k, '0', '-1'], ['LLEN', k]]);
    }
    const [k, m, s] = keys('k', 'missing', 'str');
    await pair.checkAll([['SET', s, 'v'], ['RPUSH', k, '1', '01', '1'], ['LREM', k, '0', '1'], ['LRANGE', k, '0', '-1'],
      ['LREM', m, '0', 'a'], ['LREM', m, 'x', 'a'], ['LREM', s, '0', 'a'], ['LREM', s, 'x', 'a'],
      ['LREM', k, '1.5', 'a'], ['LREM', k, '9223372036854775808', 'a'], ['LREM', k, '0'], ['LREM', k, '0', 'a', 'b']]);
  });

  it('LREM across many nodes', async () => {
    const [k] = keys('k');
    const vals = Array.from({ length: 1200 }, (_, i) => (i % 3 === 0 ? 'x' : `v${i}`));
    await pair.checkAll([['RPUSH', k, ...vals], ['LREM', k, '150', 'x'], ['LREM', k, '-150', 'x'], ['LLEN', k],
      ['LRANGE', k, '0', '20'], ['LRANGE', k, '-20', '-1'], ['LREM', k, '0', 'x'], ['LLEN', k], ['LRANGE', k, '300', '330']]);
  });

  it('LINSERT', async () => {
    const [k, m, s] = keys('k', 'missing', 'str');
    await pair.checkAll([
      ['SET', s, 'v'], ['RPUSH', k, 'a', 'b', 'c'],
      ['LINSERT', k, 'BEFORE', 'a', 'x'], ['LINSERT', k, 'AFTER', 'c', 'y'], ['LINSERT', k, 'after', 'b', 'z'],
      ['LINSERT', k, 'BeFoRe', 'b', '123'], ['LINSERT', k, 'BEFORE', 'nope', 'w'], ['LRANGE', k, '0', '-1'],
      ['LINSERT', k, 'MIDDLE', 'a', 'w'], ['LINSERT', m, 'BEFORE', 'a', 'w'], ['LINSERT', m, 'MIDDLE', 'a', 'w'],
      ['LINSERT', s, 'BEFORE', 'a', 'w'], ['LINSERT', s, 'MIDDLE', 'a', 'w'], ['LLEN', m],
      ['LINSERT', k, 'BEFORE', '123', 'big'.repeat(3000)], ['LINSERT', k, 'AFTER', 'x', ''],
      ['LINSERT', k, 'AFTER', '', 'after-empty'], ['LRANGE', k, '0', '-1'],
      ['LINSERT', k, 'BEFORE', 'a'], ['LINSERT', k, 'BEFORE', 'a', 'b', 'c'],
    ]);
  });

  it('LINSERT splitting full nodes', async () => {
    const [k] = keys('k');
    const cmds: Command[] = [['RPUSH', k, ...Array.from({ length: 600 }, (_, i) => `p${i}`)]];
    for (let i = 0; i < 200; i++) {
      cmds.push(['LINSERT', k, i % 2 ? 'AFTER' : 'BEFORE', `p${(i * 37) % 600}`, `n${i}`.repeat(1 + (i % 9) * 20)]);
    }
    cmds.push(['LLEN', k], ['LRANGE', k, '0', '-1']);
    await pair.checkAll(cmds);
  });

  it('LPOS', async () => {
    const [k, m, s] = keys('k', 'missing', 'str');
    const cmds: Command[] = [['SET', s, 'v'], ['RPUSH', k, 'a', 'b', 'c', 'a', 'b', 'c', 'a', '1', '2', 'a']];
    for (const rank of [null, '1', '2', '4', '5', '-1', '-2', '-4', '-5', '9223372036854775807', '-9223372036854775807', '-9223372036854775808']) {
      for (const count of [null, '0', '1', '2', '10']) {
        for (const maxlen of [null, '0', '1', '3', '7', '100']) {
          const cmd: Command = ['LPOS', k, 'a'];
          if (rank) cmd.push('RANK', rank);
          if (count) cmd.push('COUNT', count);
          if (maxlen) cmd.push('MAXLEN', maxlen);
          cmds.push(cmd);
        }
      }
    }
    cmds.push(
      ['LPOS', k, 'zz'], ['LPOS', k, 'zz', 'COUNT', '0'], ['LPOS', k, '1'], ['LPOS', k, 'c', 'rank', '-1', 'count', '1'],
      ['LPOS', k, 'a', 'RANK', '0'], ['LPOS', k, 'a', 'RANK', 'x'], ['LPOS', k, 'a', 'COUNT', '-1'],
      ['LPOS', k, 'a', 'COUNT', 'x'], ['LPOS', k, 'a', 'MAXLEN', '-1'], ['LPOS', k, 'a', 'MAXLEN', 'x'],
      ['LPOS', k, 'a', 'RANK'], ['LPOS', k, 'a', 'COUNT'], ['LPOS', k, 'a', 'MAXLEN'], ['LPOS', k, 'a', 'FOO', '1'],
      ['LPOS', k, 'a', 'RANK', '1', 'RANK', '-1'], ['LPOS', k, 'a', 'COUNT', '1', 'COUNT', '0'],
      ['LPOS', k, 'a', 'RANK', '-9223372036854775808', 'RANK', '2'], ['LPOS', k, 'a', 'RANK', '9223372036854775808'],
      ['LPOS', m, 'a'], ['LPOS', m, 'a', 'COUNT', '0'], ['LPOS', m, 'a', 'RANK', '0'], ['LPOS', m, 'a', 'BAD'],
      ['LPOS', s, 'a'], ['LPOS', s, 'a', 'COUNT', '1'], ['LPOS', s, 'a', 'RANK', '0'], ['LPOS', k], ['LPOS'],
    );
    await pair.checkAll(cmds);
  });
});

describe('move', () => {
  it('LMOVE and RPOPLPUSH', async () => {
    const [a, b, m, s] = keys('a', 'b', 'missing', 'str');
    const cmds: Command[] = [['SET', s, 'v'], ['RPUSH', a, '1', '2', '3', '4', '5']];
    for (const from of ['LEFT', 'RIGHT']) {
      for (const to of ['LEFT', 'RIGHT']) {
        cmds.push(['LMOVE', a, b, from, to], ['LMOVE', a, a, from, to], ['LRANGE', a, '0', '-1'], ['LRANGE', b, '0', '-1']);
      }
    }
    cmds.push(['LMOVE', a, b, 'left', 'right'], ['LMOVE', a, b, 'UP', 'LEFT'], ['LMOVE', a, b, 'LEFT', 'DOWN'],
      ['LMOVE', m, b, 'LEFT', 'LEFT'], ['LMOVE', m, s, 'LEFT', 'LEFT'], ['LMOVE', s, b, 'LEFT', 'LEFT'],
      ['LMOVE', a, s, 'LEFT', 'LEFT'], ['LMOVE', m, b, 'UP', 'LEFT'], ['LRANGE', a, '0', '-1'],
      ['RPOPLPUSH', a, b], ['RPOPLPUSH', a, a], ['RPOPLPUSH', m, b], ['RPOPLPUSH', a, s], ['RPOPLPUSH', s, a],
      ['LRANGE', a, '0', '-1'], ['LRANGE', b, '0', '-1'], ['LLEN', m],
      ['LMOVE', a, b], ['LMOVE', a, b, 'LEFT'], ['RPOPLPUSH', a], ['RPOPLPUSH', a, b, 'c']);
    // Drain a into b, then b into a fresh key, one element at a time.
    for (let i = 0; i < 8; i++) cmds.push(['RPOPLPUSH', a, b], ['LLEN', a]);
    const [c] = keys('c');
    for (let i = 0; i < 12; i++) cmds.push(['LMOVE', b, c, i % 2 ? 'LEFT' : 'RIGHT', i % 3 ? 'LEFT' : 'RIGHT']);
    cmds.push(['LRANGE', c, '0', '-1'], ['LLEN', b]);
    await pair.checkAll(cmds);
  });

  it('single-element list moved onto itself stays', async () => {
    const [a] = keys('a');
    await pair.checkAll([['RPUSH', a, 'only'], ['LMOVE', a, a, 'LEFT', 'RIGHT'], ['RPOPLPUSH', a, a], ['LRANGE', a, '0', '-1']]);
  });

  it('LMPOP', async () => {
    const [a, b, m, s] = keys('a', 'b', 'missing', 'str');
    await pair.checkAll([
      ['SET', s, 'v'], ['RPUSH', a, '1', '2', '3'], ['RPUSH', b, 'x', 'y', 'z', 'w'],
      ['LMPOP', '1', a, 'LEFT'], ['LMPOP', '1', a, 'RIGHT', 'COUNT', '1'], ['LMPOP', '2', m, b, 'left', 'count', '2'],
      ['LMPOP', '2', m, a, 'RIGHT', 'COUNT', '10'], ['LMPOP', '2', a, m, 'LEFT'], ['LMPOP', '3', m, a, b, 'RIGHT', 'COUNT', '5'],
      ['LMPOP', '1', b, 'LEFT'], ['LMPOP', '2', s, b, 'LEFT'], ['LMPOP', '2', m, s, 'LEFT'],
      ['LMPOP', '0', a, 'LEFT'], ['LMPOP', '-1', a, 'LEFT'], ['LMPOP', 'x', a, 'LEFT'], ['LMPOP', '2', a, 'LEFT'],
      ['LMPOP', '1', a, 'UP'], ['LMPOP', '1', a, 'LEFT', 'COUNT'], ['LMPOP', '1', a, 'LEFT', 'COUNT', '0'],
      ['LMPOP', '1', a, 'LEFT', 'COUNT', '-1'], ['LMPOP', '1', a, 'LEFT', 'COUNT', 'x'],
      ['LMPOP', '1', a, 'LEFT', 'COUNT', '1', 'COUNT', '1'], ['LMPOP', '1', a, 'LEFT', 'FOO'],
      ['LMPOP', '9223372036854775807', a, 'LEFT'], ['LMPOP', '9223372036854775806', a, 'LEFT'],
      ['LMPOP', '1', a, 'LEFT', 'COUNT', '9223372036854775807'], ['LMPOP', '1', a], ['LMPOP', '1'], ['LMPOP'],
      ['RPUSH', a, 'p', 'q'], ['LMPOP', '1', a, 'LEFT', 'COUNT', '9223372036854775807'], ['LLEN', a],
    ]);
  });
});

describe('other families around lists', () => {
  it('OBJECT ENCODING is quicklist at any size', async (ctx) => {
    if (!available.has('OBJECT')) ctx.skip();
    const [k, big] = keys('k', 'big');
    await pair.checkAll([['RPUSH', k, 'a'], ['OBJECT', 'ENCODING', k], ['RPUSH', big, ...Array(1000).fill('x'.repeat(100))],
      ['OBJECT', 'ENCODING', big], ['RPUSH', k, 'y'.repeat(70000)], ['OBJECT', 'ENCODING', k]]);
  });

  it('TYPE, EXISTS and DEL of lists; an emptied list is gone', async (ctx) => {
    if (!available.has('TYPE') || !available.has('EXISTS') || !available.has('DEL')) ctx.skip();
    const [k] = keys('k');
    await pair.checkAll([['RPUSH', k, 'a', 'b'], ['TYPE', k], ['EXISTS', k], ['LPOP', k, '2'], ['EXISTS', k], ['TYPE', k],
      ['RPUSH', k, 'a'], ['LREM', k, '0', 'a'], ['EXISTS', k], ['RPUSH', k, 'a'], ['LTRIM', k, '1', '0'], ['EXISTS', k],
      ['RPUSH', k, 'a'], ['RPOPLPUSH', k, `${k}:other`], ['EXISTS', k], ['DEL', `${k}:other`], ['LLEN', `${k}:other`]]);
  });

  it('RESP3 null and array shapes', async (ctx) => {
    if (!available.has('HELLO')) ctx.skip();
    const c3: ClientPair = await pair.connect();
    // HELLO's reply carries the connection id, which differs between the servers.
    await c3.both('HELLO', '3');
    const [k, m] = keys('k', 'missing');
    await c3.checkAll([
      ['RPUSH', k, 'a', 'b', 'c'], ['LPOP', m], ['LPOP', m, '1'], ['LPOP', m, '0'], ['RPOP', m, '3'], ['LINDEX', m, '0'],
      ['LINDEX', k, '10'], ['LMOVE', m, k, 'LEFT', 'LEFT'], ['RPOPLPUSH', m, k], ['LMPOP', '1', m, 'LEFT'],
      ['LPOS', m, 'a'], ['LPOS', m, 'a', 'COUNT', '0'], ['LPOS', k, 'z'], ['LPOS', k, 'z', 'COUNT', '0'],
      ['LRANGE', m, '0', '-1'], ['LPOP', k, '2'], ['LMPOP', '1', k, 'RIGHT'], ['LPOP', k, '0'], ['LPOP', k],
    ]);
    c3.close();
  });
});

describe('keyspace notifications and WATCH', () => {
  /** Reads messages until the sentinel message arrives; returns them all as text. */
  async function drain(client: ClientPair['real']): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const m = (await client.next()).toString('latin1');
      if (m.includes('sentinel-end')) return out;
      out.push(m);
    }
  }

  it('list commands fire the same events in the same order', async () => {
    const sub = await pair.connect();
    await pair.checkAll([['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']]);
    await sub.check('PSUBSCRIBE', '__key*__:*');
    await sub.check('SUBSCRIBE', 'sentinel');
    const [a, b, m] = keys('a', 'b', 'missing');
    await pair.checkAll([
      ['RPUSH', a, '1', '2', '3'], ['LPUSH', a, '0'], ['LPUSHX', m, 'x'], ['RPUSHX', a, '4'], ['LPOP', a], ['RPOP', a, '1'],
      ['LPOP', a, '0'], ['LSET', a, '0', 'x'], ['LSET', a, '9', 'x'], ['LINSERT', a, 'AFTER', 'x', 'y'],
      ['LINSERT', a, 'AFTER', 'nope', 'y'], ['LREM', a, '0', 'nope'], ['LREM', a, '1', 'y'], ['LTRIM', a, '0', '-1'],
      ['LMOVE', a, b, 'LEFT', 'RIGHT'], ['RPOPLPUSH', b, b], ['LMPOP', '2', m, a, 'LEFT', 'COUNT', '1'],
      ['LTRIM', a, '5', '1'], ['LRANGE', a, '0', '-1'], ['LPOS', b, 'x'], ['LINDEX', b, '0'], ['RPOP', b, '10'],
      ['PUBLISH', 'sentinel', 'sentinel-end'],
    ]);
    const [real, engine] = await Promise.all([drain(sub.real), drain(sub.engine)]);
    expect(engine).toEqual(real);
    expect(real.length).toBeGreaterThan(20);
    await pair.checkAll([['CONFIG', 'SET', 'notify-keyspace-events', '']]);
    sub.close();
  });

  it('a write to a watched list aborts the transaction; reads and no-ops do not', async () => {
    const other = await pair.connect();
    const [k, m] = keys('k', 'missing');
    await pair.check('RPUSH', k, 'a', 'b');
    const cases: Command[] = [['LPUSH', k, 'x'], ['LRANGE', k, '0', '-1'], ['LPOS', k, 'a'], ['LINSERT', k, 'BEFORE', 'nope', 'x'],
      ['LREM', k, '0', 'nope'], ['LTRIM', k, '0', '-1'], ['LSET', k, '0', 'z'], ['LPOP', k, '0'], ['LPUSHX', m, 'x'],
      ['RPOPLPUSH', m, k], ['LMOVE', k, k, 'LEFT', 'LEFT']];
    for (const cmd of cases) {
      await pair.checkAll([['WATCH', k]]);
      await other.check(...cmd);
      await pair.checkAll([['MULTI'], ['LLEN', k], ['EXEC']]);
    }
    other.close();
  });
});

// --- random streams ---------------------------------------------------------------------------

const VALUE_POOL = ['a', 'b', 'c', 'd', '1', '2', '100', '-5', '', 'hello', '9223372036854775807', 'x'.repeat(70),
  '\x00bin\xff', 'k'.repeat(3000)];

function randomCommand(r: SeededRandom, ks: string[], str: string, growth: boolean): Command {
  const pick = <T,>(xs: readonly T[]): T => xs[r.below(xs.length)];
  const key = () => (r.below(25) === 0 ? str : pick(ks));
  const val = (): string | Buffer => {
    const roll = r.below(60);
    if (roll === 0) return 'L'.repeat(9000 + r.below(3000));
    if (roll === 1) return String(r.below(2 ** 31) - 2 ** 30);
    return bin(pick(VALUE_POOL));
  };
  const vals = (n: number) => Array.from({ length: n }, val);
  const idx = () => {
    const roll = r.below(10);
    if (roll === 0) return pick(['abc', '9223372036854775807', '-9223372036854775808', '1.5']);
    return String(r.below(40) - 20);
  };
  const side = () => pick(['LEFT', 'RIGHT', 'left', 'Right', ...(r.below(30) === 0 ? ['MIDDLE'] : [])]);
  // In growth mode a third of the commands are bulk pushes, so lists span many nodes.
  if (growth && r.below(3) === 0) return [pick(['LPUSH', 'RPUSH']), pick(ks), ...vals(10 + r.below(60))];
  switch (r.below(22)) {
    case 0: return ['LPUSH', key(), ...vals(1 + r.below(5))];
    case 1: return ['RPUSH', key(), ...vals(1 + r.below(5))];
    case 2: return [pick(['LPUSHX', 'RPUSHX']), key(), ...vals(1 + r.below(3))];
    case 3: return [pick(['LPOP', 'RPOP']), key()];
    case 4: return [pick(['LPOP', 'RPOP']), key(), pick(['0', '1', '2', '5', '-1', 'x', String(r.below(30))])];
    case 5: return ['LLEN', key()];
    case 6: return ['LINDEX', key(), idx()];
    case 7: return ['LSET', key(), idx(), val()];
    case 8: return ['LRANGE', key(), idx(), idx()];
    case 9: return r.below(4) === 0 ? ['LTRIM', key(), idx(), idx()] : ['LTRIM', key(), String(r.below(3)), String(-1 - r.below(3))];
    case 10: return ['LREM', key(), pick(['0', '1', '-1', '2', '-2', '5', 'x']), val()];
    case 11: return ['LINSERT', key(), pick(['BEFORE', 'AFTER', 'before', 'after', 'AROUND']), val(), val()];
    case 12: {
      const cmd: Command = ['LPOS', key(), val()];
      if (r.below(2)) cmd.push('RANK', pick(['1', '2', '-1', '-3', '0', 'x']));
      if (r.below(2)) cmd.push('COUNT', pick(['0', '1', '3', '-1']));
      if (r.below(3) === 0) cmd.push('MAXLEN', pick(['0', '2', '10', '-2']));
      if (r.below(30) === 0) cmd.push('BOGUS');
      return cmd;
    }
    case 13: return ['LMOVE', key(), key(), side(), side()];
    case 14: return ['RPOPLPUSH', key(), key()];
    case 15: {
      const n = 1 + r.below(3);
      const cmd: Command = ['LMPOP', r.below(30) === 0 ? pick(['0', 'x', '9']) : String(n),
        ...Array.from({ length: n }, key), side()];
      if (r.below(2)) cmd.push('COUNT', pick(['1', '2', '10', '0', '-1']));
      return cmd;
    }
    case 16: return growth ? ['LRANGE', key(), idx(), String(r.below(300))] : ['LRANGE', key(), '0', '-1'];
    case 17: return ['LINSERT', key(), pick(['BEFORE', 'AFTER']), pick(VALUE_POOL.slice(0, 8)), val()];
    case 18: return ['LREM', key(), '0', pick(VALUE_POOL.slice(0, 8))];
    case 19: return ['RPUSH', key(), ...vals(20 + r.below(40))];
    case 20: return available.has('OBJECT') ? ['OBJECT', 'ENCODING', key()] : ['LLEN', key()];
    default: return [pick(['LLEN', 'LPOP', 'RPOP', 'LINDEX', 'LPUSH', 'LRANGE', 'LMOVE', 'LPOS'])]; // arity errors
  }
}

async function randomStream(seed: number, n: number, growth = false): Promise<void> {
  const r = new SeededRandom(seed);
  const ks = keys('r1', 'r2', 'r3', 'r4');
  const [str] = keys('str');
  await pair.check('SET', str, 'not a list');
  const cmds: Command[] = [];
  for (let i = 0; i < n; i++) cmds.push(randomCommand(r, ks, str, growth));
  // Finish with a full read of every list so any drift in content shows up.
  for (const k of ks) cmds.push(['LRANGE', k, '0', '-1']);
  await checkRandomStream(pair.main, cmds);
}

describe('random streams', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: 3000 commands`, async () => { await randomStream(seed, 3000); });
  }
  for (const seed of [11, 12, 13]) {
    it(`seed ${seed}: 3000 commands on long lists`, async () => { await randomStream(seed, 3000, true); });
  }

  it('under several list-max-listpack-size and list-compress-depth settings', async (ctx) => {
    if (!available.has('CONFIG')) ctx.skip();
    const settings: [string, string][] = [['-1', '0'], ['-5', '0'], ['0', '0'], ['1', '1'], ['2', '2'], ['4', '1'],
      ['128', '3'], ['-2', '1'], ['1000000', '0'], ['-1000000', '2']];
    for (const [i, [fill, depth]] of settings.entries()) {
      await pair.checkAll([['CONFIG', 'SET', 'list-max-listpack-size', fill], ['CONFIG', 'SET', 'list-compress-depth', depth],
        ['CONFIG', 'GET', 'list-max-listpack-size'], ['CONFIG', 'GET', 'list-compress-depth']]);
      await randomStream(100 + i, 1500, i % 2 === 0);
    }
    await pair.checkAll([['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['CONFIG', 'SET', 'list-compress-depth', '0']]);
  });
});

// DEBUG OBJECT shows ql_nodes, ql_uncompressed_size and serializedlength; the last depends on
// which nodes are LZF-compressed and on their exact compressed lengths, so it checks the node
// layout and the compression model through an ordinary reply.
describe('DEBUG OBJECT of lists', () => {
  let dbg: DifferentialPair;
  beforeAll(async () => { dbg = await DifferentialPair.start({ 'enable-debug-command': 'yes' }); });
  afterAll(async () => { await dbg?.stop(); });

  /** The reply without the parts that differ by nature: the address and the LRU clock. */
  const normalize = (_c: Command, reply: Buffer) =>
    reply.toString('latin1').replace(/Value at:0x[0-9a-f]+/, 'Value at:?').replace(/lru:\d+ lru_seconds_idle:\d+/, 'lru:?');

  it('COPY keeps the source layout and options; RENAME and MOVE keep the list', async () => {
    await dbg.checkAll([['FLUSHALL'], ['CONFIG', 'SET', 'list-max-listpack-size', '3'], ['CONFIG', 'SET', 'list-compress-depth', '1']]);
    const vals = Array.from({ length: 40 }, (_, i) => `value-${i}-`.repeat(6));
    const cmds: Command[] = [['RPUSH', 'a', ...vals], ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
      ['CONFIG', 'SET', 'list-compress-depth', '0'], ['COPY', 'a', 'b'], ['DEBUG', 'OBJECT', 'a'], ['DEBUG', 'OBJECT', 'b'],
      ['LPUSH', 'b', 'x', 'y', 'z', 'w'], ['RPUSH', 'a', 'tail'], ['LRANGE', 'a', '0', '-1'], ['LRANGE', 'b', '0', '-1'],
      ['DEBUG', 'OBJECT', 'a'], ['DEBUG', 'OBJECT', 'b'], ['COPY', 'a', 'b'], ['COPY', 'a', 'b', 'REPLACE'],
      ['LRANGE', 'b', '0', '-1'], ['RENAME', 'b', 'c'], ['LLEN', 'b'], ['DEBUG', 'OBJECT', 'c'], ['MOVE', 'c', '1'],
      ['LLEN', 'c'], ['SELECT', '1'], ['LRANGE', 'c', '0', '5'], ['LINSERT', 'c', 'BEFORE', 'value-7-'.repeat(6), 'ins'],
      ['DEBUG', 'OBJECT', 'c'], ['SELECT', '0'], ['OBJECT', 'ENCODING', 'a']];
    await checkRandomStream(dbg.main, cmds, { normalize });
  });

  const settings: [string, string, string][] = [['-2', '0', 'yes'], ['-1', '1', 'yes'], ['4', '1', 'yes'], ['1', '2', 'no'],
    ['16', '3', 'yes'], ['-3', '1', 'no'], ['0', '1', 'yes']];
  for (const [fill, depth, rdbcompression] of settings) {
    it(`fill ${fill}, compress depth ${depth}, rdbcompression ${rdbcompression}`, async () => {
      await dbg.checkAll([['FLUSHALL'], ['CONFIG', 'SET', 'list-max-listpack-size', fill],
        ['CONFIG', 'SET', 'list-compress-depth', depth], ['CONFIG', 'SET', 'rdbcompression', rdbcompression]]);
      const r = new SeededRandom(Number(fill) * 31 + Number(depth));
      const cmds: Command[] = [];
      for (let i = 0; i < 1500; i++) {
        const k = `l${r.below(3)}`;
        const roll = r.below(12);
        const v = (): string => {
          const kind = r.below(5);
          if (kind === 0) return String(r.below(100000));
          if (kind === 1) return `item:${r.below(50)}:`.repeat(1 + r.below(8));
          if (kind === 2) return String.fromCharCode(...Array.from({ length: 1 + r.below(90) }, () => r.below(256)));
          if (kind === 3) return 'abc'.repeat(r.below(400));
          return `v${r.below(1000)}`;
        };
        if (roll < 5) cmds.push([r.below(2) ? 'RPUSH' : 'LPUSH', k, ...Array.from({ length: 1 + r.below(6) }, () => bin(v()))]);
        else if (roll === 5) cmds.push([r.below(2) ? 'LPOP' : 'RPOP', k, String(1 + r.below(3))]);
        else if (roll === 6) cmds.push(['LINSERT', k, r.below(2) ? 'BEFORE' : 'AFTER', `v${r.below(1000)}`, bin(v())]);
        else if (roll === 7) cmds.push(['LSET', k, String(r.below(40) - 20), bin(v())]);
        else if (roll === 8) cmds.push(['LREM', k, String(r.below(3) - 1), `v${r.below(1000)}`]);
        else if (roll === 9) cmds.push(['LRANGE', k, String(r.below(50)), String(r.below(50))]);
        else cmds.push(['DEBUG', 'OBJECT', k]);
      }
      for (const k of ['l0', 'l1', 'l2']) cmds.push(['DEBUG', 'OBJECT', k], ['LRANGE', k, '0', '-1']);
      await checkRandomStream(dbg.main, cmds, { normalize });
    });
  }
});

// HyperLogLog commands against a real redis-server 7.0.15. Estimates are not enough: the raw
// value (GET) must be byte-identical after every step — header, cached cardinality and its invalid
// bit, sparse opcodes, dense registers, the promotion point for several hll-sparse-max-bytes — and
// so must the allocation behind it (DEBUG SDSLEN), the errors for non-HLL and corrupted values,
// PFDEBUG, keyspace events, hits/misses/dirty, WATCH, RESP3, and a seeded random stream.
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { expectSameSideEffects } from './sideEffects.ts';
import { DifferentialPair, checkAllBytes, checkRandomStream, wire, type ClientPair, type Command } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start({ 'enable-debug-command': 'yes' }); });
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => { await pair.reset({ 'hll-sparse-max-bytes': '3000' }); });

/** Pipelined; byte strings go out as latin1 (see wire). */
const all = (cmds: Command[]) => checkAllBytes(pair.main, cmds);

/** Everything visible about a key holding an HLL. */
const inspect = (k: string): Command[] => [
  ['GET', k], ['STRLEN', k], ['OBJECT', 'ENCODING', k], ['DEBUG', 'SDSLEN', k], ['MEMORY', 'USAGE', k],
  ['PFDEBUG', 'ENCODING', k],
];

// --- crafted values --------------------------------------------------------------------------

const HEADER_SPARSE = 'HYLL\x01\0\0\0';
const HEADER_DENSE = 'HYLL\x00\0\0\0';
const VALID_ZERO_CACHE = '\0'.repeat(8);
const INVALID_CACHE = '\0'.repeat(7) + '\x80';

/** A sparse HLL value with the given opcode bytes. */
const sparse = (code: number[], cache = VALID_ZERO_CACHE) => HEADER_SPARSE + cache + String.fromCharCode(...code);

/** A dense HLL value whose register i is regs(i), packed 6 bits each, low bits first. */
function dense(regs: (i: number) => number, cache = INVALID_CACHE): string {
  const bytes = new Uint8Array(12288 + 1);
  for (let i = 0; i < 16384; i++) {
    const v = regs(i);
    const bit = i * 6;
    const byte = bit >> 3;
    const shift = bit & 7;
    bytes[byte] |= (v << shift) & 0xff;
    bytes[byte + 1] |= v >> (8 - shift);
  }
  let s = '';
  for (let i = 0; i < 12288; i++) s += String.fromCharCode(bytes[i]);
  return HEADER_DENSE + cache + s;
}

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

/**
 * Elements whose hash has a run of 32 zero bits above the register index (pattern length 33), so
 * they need a register value above 32 (found by brute force over 8-byte little-endian integers).
 */
const LONG_RUN_ELEMENTS = [
  '\xba\x09\x9d\xba\x00\x00\x00\x00', // 3130853818, register 3655
  '\x0e\x37\x5c\xc2\x01\x00\x00\x00', // 7555790606, register 4539
  '\x73\x8d\xae\x37\x02\x00\x00\x00', // 9524120947, register 13807
];

// ---------------------------------------------------------------------------------------------

describe('PFADD', () => {
  it('creates the key even without elements and reports changes', async () => {
    await all([
      ['PFADD', 'h'], ...inspect('h'), ['PFADD', 'h'], ['GET', 'h'],
      ['PFADD', 'h', 'a'], ['GET', 'h'], ['PFADD', 'h', 'a'], ['PFADD', 'h', 'a', 'b', 'c'], ...inspect('h'),
      ['PFADD', 'h', 'a', 'b', 'c'], ['PFCOUNT', 'h'], ['GET', 'h'], ['PFADD', 'h', 'c'], ['GET', 'h'],
      ['PFADD', 'h', 'd'], ['GET', 'h'], ['PFCOUNT', 'h'], ['TYPE', 'h'], ['PFDEBUG', 'DECODE', 'h'],
      ['PFADD', 'x', 'a', 'a', 'a'], ['GET', 'x'],
    ]);
  });

  it('hashes binary, empty and long elements byte for byte', async () => {
    const elements = ['', '\0', '\0\0', '\xff', '\xff\xfe\x00\x80', 'a\r\nb', '\x01'.repeat(7), '\x02'.repeat(8),
      '\x03'.repeat(9), 'x'.repeat(1000), range(300, (i) => String.fromCharCode(i & 255)).join('')];
    const cmds: Command[] = [];
    for (const e of elements) cmds.push(['PFADD', 'b', e], ['GET', 'b']);
    cmds.push(['PFADD', 'all', ...elements], ['GET', 'all'], ['PFCOUNT', 'all'], ['PFDEBUG', 'DECODE', 'all']);
    cmds.push(['PFADD', '\0\xffkey', 'v'], ['GET', '\0\xffkey']);
    await all(cmds);
  });

  it('keeps the TTL, works on any database, refuses wrong arities', async () => {
    await all([
      ['PFADD', 'h', 'a'], ['EXPIRE', 'h', '100'], ['PFADD', 'h', 'b', 'c'], ['TTL', 'h'], ['PFCOUNT', 'h'], ['TTL', 'h'],
      ['SELECT', '3'], ['PFADD', 'h', 'z'], ['GET', 'h'], ['SELECT', '0'], ['GET', 'h'],
      ['PFADD'], ['PFCOUNT'], ['PFMERGE'], ['PFDEBUG'], ['PFDEBUG', 'ENCODING'], ['PFDEBUG', 'ENCODING', 'h', 'x'],
      ['PFSELFTEST', 'x'],
    ]);
  });

  it('grows the sparse code opcode by opcode and its allocation like Redis', async () => {
    const cmds: Command[] = [];
    for (let i = 0; i < 400; i++) {
      cmds.push(['PFADD', 'h', `e${i}`], ['GET', 'h']);
      if (i % 20 === 0) cmds.push(['DEBUG', 'SDSLEN', 'h'], ['PFDEBUG', 'DECODE', 'h'], ['PFCOUNT', 'h'], ['GET', 'h']);
    }
    await all(cmds);
  });

  it('promotes to dense exactly where Redis does (default 3000 bytes)', async () => {
    const cmds: Command[] = [];
    for (let i = 0; i < 2600; i++) {
      cmds.push(['PFADD', 'h', `member:${i}`], ['STRLEN', 'h'], ['PFDEBUG', 'ENCODING', 'h']);
      if (i % 50 === 0 || (i > 1500 && i % 5 === 0)) cmds.push(['GET', 'h'], ['DEBUG', 'SDSLEN', 'h']);
    }
    cmds.push(...inspect('h'), ['PFCOUNT', 'h'], ['GET', 'h']);
    await all(cmds);
  });

  it('promotes at other hll-sparse-max-bytes values', async () => {
    for (const max of ['0', '1', '18', '20', '21', '25', '100', '1kb', '5000', '12000', '100000']) {
      await all([['CONFIG', 'SET', 'hll-sparse-max-bytes', max], ['CONFIG', 'GET', 'hll-sparse-max-bytes']]);
      const cmds: Command[] = [['DEL', 'h']];
      const n = max === '100000' ? 4000 : 700;
      for (let i = 0; i < n; i++) {
        cmds.push(['PFADD', 'h', `m${max}:${i}`], ['PFDEBUG', 'ENCODING', 'h'], ['STRLEN', 'h']);
        if (i < 10 || i % 97 === 0) cmds.push(['GET', 'h']);
      }
      cmds.push(...inspect('h'), ['PFCOUNT', 'h']);
      await all(cmds);
    }
  });

  it('lowering the limit later promotes only when the code must grow', async () => {
    await all([
      ['PFADD', 'h', ...range(100, (i) => `x${i}`)], ['STRLEN', 'h'], ['PFDEBUG', 'ENCODING', 'h'],
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', '10'],
      ...range(100, (i) => `x${i}`).map((e): Command => ['PFADD', 'h', e]), ['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h'],
      ['PFADD', 'h', ...range(50, (i) => `y${i}`)], ['PFDEBUG', 'ENCODING', 'h'], ...inspect('h'),
    ]);
  });

  it('adds 100k elements in one call and estimates like Redis at many sizes', async () => {
    await all([['PFADD', 'big', ...range(100_000, (i) => `el${i}`)], ...inspect('big'), ['PFCOUNT', 'big'], ['GET', 'big']]);
    const cmds: Command[] = [];
    for (let i = 0; i < 30_000; i++) {
      cmds.push(['PFADD', 'grow', `g${i}`]);
      if (i % 333 === 0) cmds.push(['PFCOUNT', 'grow']);
    }
    cmds.push(['GET', 'grow']);
    await all(cmds);
  });

  it('promotes when a register needs a value above 32', async () => {
    await all([
      ['PFADD', 'h', 'a', 'b'], ['PFADD', 'h', LONG_RUN_ELEMENTS[0]], ...inspect('h'), ['PFCOUNT', 'h'],
      ['PFADD', 'h2', LONG_RUN_ELEMENTS[1], 'c'], ...inspect('h2'),
      ['PFADD', 'h3', LONG_RUN_ELEMENTS[2]], ['PFDEBUG', 'GETREG', 'h3'],
    ]);
  });
});

describe('PFCOUNT', () => {
  it('caches the cardinality of one key in its value', async () => {
    await all([
      ['PFCOUNT', 'none'], ['PFADD', 'h', 'a', 'b', 'c', 'd'], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'],
      ['PFCOUNT', 'h'], ['PFADD', 'h', 'a'], ['GET', 'h'], ['PFADD', 'h', 'zz'], ['GET', 'h'], ['PFCOUNT', 'h'],
      ['GET', 'h'], ['DEBUG', 'SDSLEN', 'h'],
    ]);
  });

  it('trusts a valid cache even when the registers say otherwise', async () => {
    // Cache says 12345 (valid); registers are empty.
    const lying = HEADER_SPARSE + '\x39\x30\0\0\0\0\0\0' + '\x7f\xff';
    await all([
      ['SET', 'h', lying], ['PFCOUNT', 'h'], ['PFCOUNT', 'h', 'none'], ['PFADD', 'h'], ['PFCOUNT', 'h'],
      ['SET', 'h', lying], ['PFADD', 'h', 'q'], ['PFCOUNT', 'h'], ['GET', 'h'],
      ['SET', 'big', HEADER_SPARSE + '\xff\xff\xff\xff\xff\xff\xff\x7f' + '\x7f\xff'], ['PFCOUNT', 'big'],
    ]);
  });

  it('unshares an embstr or shared value before reading it', async () => {
    const small = sparse([0x7f, 0xff]);
    await all([
      ['SET', 'h', small], ['OBJECT', 'ENCODING', 'h'], ['PFCOUNT', 'h'], ['OBJECT', 'ENCODING', 'h'], ['DEBUG', 'SDSLEN', 'h'],
      ['SET', 'h', small], ['PFCOUNT', 'h', 'h'], ['OBJECT', 'ENCODING', 'h'],
      ['SET', 'i', sparse([0x7f, 0xff], INVALID_CACHE)], ['PFCOUNT', 'i'], ['GET', 'i'], ['OBJECT', 'ENCODING', 'i'],
    ]);
  });

  it('counts the union of several keys without storing anything', async () => {
    await all([
      ['PFADD', 's1', ...range(30, (i) => `a${i}`)], ['PFADD', 's2', ...range(50, (i) => `a${i + 20}`)],
      ['PFADD', 'd1', ...range(5000, (i) => `b${i}`)], ['PFADD', 'd2', ...range(3000, (i) => `b${i + 4000}`)],
      ['PFCOUNT', 's1', 's2'], ['GET', 's1'], ['GET', 's2'], ['PFCOUNT', 's1', 'nokey', 's2'], ['PFCOUNT', 'nokey', 'nokey2'],
      ['PFCOUNT', 'd1', 'd2'], ['PFCOUNT', 'd1', 's1', 'd2', 's2'], ['PFCOUNT', 's1', 's1'], ['PFCOUNT', 'd1', 'd1'],
      ['GET', 'd1'], ['PFCOUNT', 's1', 'd1', 'nokey'],
    ]);
  });

  it('estimates crafted registers: values up to 63, the tau term (51) and the overflow', async () => {
    const cmds: Command[] = [];
    const cases: ((i: number) => number)[] = [
      () => 0, () => 1, () => 51, () => 63, () => 50, (i) => (i < 200 ? 51 : 0), (i) => (i % 3 === 0 ? 51 : i % 7),
      (i) => i % 64, (i) => (i === 5 ? 50 : 0), (i) => (i < 16000 ? 60 : 1), (i) => (i % 2 ? 30 : 0),
      (i) => (i < 8000 ? 51 : 52), (i) => (i * 7919) % 52,
      // The tau term is scaled by 2^-50: it only shows when every other register is ~35 or more.
      (i) => (i === 0 ? 36 : 51), (i) => (i < 100 ? 38 : 51), (i) => (i < 10 ? 35 : i < 5000 ? 51 : 60),
      (i) => (i % 2 ? 37 : 51),
    ];
    cases.forEach((f, n) => {
      const v = dense(f);
      cmds.push(['SET', `c${n}`, v], ['PFCOUNT', `c${n}`], ['GETRANGE', `c${n}`, '8', '15'], ['PFCOUNT', `c${n}`],
        ['PFCOUNT', `c${n}`, 'nokey']);
    });
    cmds.push(['PFCOUNT', 'c1', 'c2', 'c5'], ['PFMERGE', 'm', 'c3', 'c4'], ['PFCOUNT', 'm'], ['PFDEBUG', 'GETREG', 'm']);
    await all(cmds);
  });
});

describe('PFMERGE', () => {
  it('creates the destination, also with no or missing sources', async () => {
    await all([
      ['PFMERGE', 'd'], ...inspect('d'), ['PFCOUNT', 'd'], ['PFMERGE', 'd2', 'nokey'], ['GET', 'd2'],
      ['PFMERGE', 'd2'], ['GET', 'd2'], ['EXISTS', 'nokey'],
    ]);
  });

  it('keeps the result sparse when every input is sparse', async () => {
    await all([
      ['PFADD', 'a', ...range(40, (i) => `x${i}`)], ['PFADD', 'b', ...range(40, (i) => `x${i + 30}`)],
      ['PFMERGE', 'd', 'a', 'b'], ...inspect('d'), ['PFCOUNT', 'd'], ['PFDEBUG', 'DECODE', 'd'],
      ['PFMERGE', 'a', 'b'], ...inspect('a'), ['PFMERGE', 'a', 'a'], ['GET', 'a'],
      ['PFADD', 'e'], ['PFMERGE', 'e', 'b'], ...inspect('e'),
    ]);
  });

  it('goes dense when any input is dense, or when the sparse result outgrows the limit', async () => {
    await all([
      ['PFADD', 's', ...range(20, (i) => `x${i}`)], ['PFADD', 'dn', ...range(3000, (i) => `y${i}`)],
      ['PFDEBUG', 'ENCODING', 'dn'], ['PFMERGE', 'd', 's', 'dn'], ...inspect('d'), ['PFCOUNT', 'd'],
      ['PFMERGE', 's', 'dn'], ...inspect('s'), ['PFCOUNT', 's'],
      ['PFADD', 'p', ...range(600, (i) => `p${i}`)], ['PFADD', 'q', ...range(600, (i) => `q${i}`)],
      ['PFDEBUG', 'ENCODING', 'p'], ['PFDEBUG', 'ENCODING', 'q'], ['PFMERGE', 'pq', 'p', 'q'], ...inspect('pq'),
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', '100'], ['PFMERGE', 'small', 'p'], ...inspect('small'),
      ['PFADD', 'dd', ...range(30, (i) => `d${i}`)], ['PFMERGE', 'dd', 'p'], ...inspect('dd'),
      ['PFMERGE', 'dn', 's'], ...inspect('dn'),
    ]);
  });

  it('merges a dense destination with sparse sources and keeps its TTL', async () => {
    await all([
      ['PFADD', 'd', ...range(4000, (i) => `x${i}`)], ['EXPIRE', 'd', '1000'], ['PFADD', 's', 'new1', 'new2'],
      ['PFCOUNT', 'd'], ['PFMERGE', 'd', 's'], ['TTL', 'd'], ...inspect('d'), ['PFCOUNT', 'd'],
    ]);
  });

  it('checks every input, the destination included', async () => {
    await all([
      ['PFADD', 'ok', 'a'], ['SET', 'str', 'not an hll'], ['RPUSH', 'lst', 'x'],
      ['PFMERGE', 'str', 'ok'], ['PFMERGE', 'lst', 'ok'], ['PFMERGE', 'd', 'ok', 'str'], ['EXISTS', 'd'],
      ['PFMERGE', 'd', 'lst', 'ok'], ['PFMERGE', 'd', 'ok', 'nokey', 'lst'], ['EXISTS', 'd'],
      ['PFMERGE', 'ok', 'ok', 'ok'], ['GET', 'ok'],
    ]);
  });
});

describe('values that are not HyperLogLogs', () => {
  it('give the two WRONGTYPE errors', async () => {
    const notHll = [
      'plain', '123', '-5', 'HYLL', 'HYLL\x01\0\0\0\0\0\0\0\0\0\0', 'HYLX\x01' + '\0'.repeat(11) + '\x7f\xff',
      'HYLL\x02' + '\0'.repeat(11) + '\x7f\xff', 'HYLL\xff' + '\0'.repeat(11), HEADER_DENSE + '\0'.repeat(8),
      dense(() => 0).slice(0, -1), dense(() => 0) + '\0', 'hyll\x01' + '\0'.repeat(11) + '\x7f\xff',
    ];
    const cmds: Command[] = [];
    notHll.forEach((v, n) => {
      const k = `v${n}`;
      cmds.push(['SET', k, v], ['PFADD', k, 'a'], ['PFADD', k], ['PFCOUNT', k], ['PFCOUNT', 'nokey', k],
        ['PFMERGE', k, 'nokey'], ['PFMERGE', 'dst', k], ['PFDEBUG', 'ENCODING', k], ['PFDEBUG', 'NOSUCH', k],
        ['GET', k], ['OBJECT', 'ENCODING', k]);
    });
    cmds.push(['RPUSH', 'l', 'x'], ['PFADD', 'l', 'a'], ['PFCOUNT', 'l'], ['PFCOUNT', 'l', 'l'], ['PFDEBUG', 'GETREG', 'l'],
      ['HSET', 'hh', 'f', 'v'], ['PFCOUNT', 'hh'], ['SADD', 'ss', 'm'], ['PFMERGE', 'ss']);
    // Valid despite odd bytes: unused header bytes are not checked, and a 16-byte sparse value passes.
    cmds.push(['SET', 'odd', 'HYLL\x01\x07\x08\x09' + VALID_ZERO_CACHE + '\x7f\xff'], ['PFADD', 'odd', 'a'], ['GET', 'odd'],
      ['SET', 'hdr', HEADER_SPARSE + VALID_ZERO_CACHE], ['PFCOUNT', 'hdr'], ['PFADD', 'hdr'], ['PFCOUNT', 'hdr'],
      ['PFADD', 'hdr', 'x'], ['GET', 'hdr']);
    await all(cmds);
  });
});

describe('corrupted HyperLogLogs', () => {
  it('APPEND after a sparse HLL: found once the cache is invalid', async () => {
    await all([
      ['PFADD', 'h', 'a', 'b', 'c'], ['PFCOUNT', 'h'], ['APPEND', 'h', '\x00'], ['PFCOUNT', 'h'], ['GET', 'h'],
      ['PFCOUNT', 'h', 'nokey'], ['PFADD', 'h', 'x', 'y'], ['GET', 'h'], ['PFCOUNT', 'h'],
      ['PFMERGE', 'd', 'h'], ['EXISTS', 'd'], ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'TODENSE', 'h'],
      ['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h'],
      ['PFADD', 'g', 'a'], ['APPEND', 'g', '\x80'], ['PFCOUNT', 'g'], ['PFDEBUG', 'TODENSE', 'g'], ['PFCOUNT', 'g'], ['GET', 'g'],
      ['PFADD', 'k', 'a'], ['APPEND', 'k', 'junk'], ['PFDEBUG', 'DECODE', 'k'], ['PFCOUNT', 'k'], ['PFADD', 'k', 'b'],
    ]);
  });

  it('short codes: registers they cover still change before the error', async () => {
    // XZERO 16000: registers 16000.. are missing.
    const short = sparse([0x40 | (15999 >> 8), 15999 & 0xff]);
    const elements = range(60, (i) => `e${i}`);
    await all([
      ['SET', 'h', short], ['PFADD', 'h', ...elements], ['GET', 'h'], ['DEBUG', 'SDSLEN', 'h'], ['PFCOUNT', 'h'],
      ['PFDEBUG', 'DECODE', 'h'], ['SET', 'h2', short], ['PFADD', 'h2', 'e0'], ['GET', 'h2'],
      ['SET', 'none', HEADER_SPARSE + VALID_ZERO_CACHE], ['PFADD', 'none', 'a'], ['GET', 'none'], ['PFDEBUG', 'DECODE', 'none'],
      ['SET', 'over', sparse([0x7f, 0xff, 0x80], INVALID_CACHE)], ['PFCOUNT', 'over'], ['PFCOUNT', 'over', 'none'],
      ['PFDEBUG', 'TODENSE', 'over'], ['PFCOUNT', 'over'], ['GET', 'over'],
      ['SET', 'over2', sparse([0x7f, 0xff, 0x00])], ['PFDEBUG', 'TODENSE', 'over2'], ['PFMERGE', 'x', 'over2'],
      ['PFADD', 'over2', LONG_RUN_ELEMENTS[0]], ['GET', 'over2'],
    ]);
  });

  it('odd but valid codes: cut-off XZERO, non-canonical runs, unmerged VALs', async () => {
    const cases = [
      sparse([0x7f, 0xfe, 0x40]), // XZERO 16383 then an XZERO missing its second byte
      sparse([0x7f, 0xfe, 0x00]), // ... then ZERO 1
      sparse([0x40, 0x00, 0x7f, 0xfe]), // XZERO of 1 register
      sparse([0x80, 0x80, 0x80, 0x80, 0x7f, 0xfb]), // four separate VAL 1,1
      sparse([0x3f, 0x3f, 0x7f, 0x7f]), // ZERO 64 twice then XZERO 16256
      sparse([0x83, 0x7f, 0xfb], INVALID_CACHE),
    ];
    const elements = range(40, (i) => `q${i}`);
    const cmds: Command[] = [];
    cases.forEach((v, n) => {
      const k = `o${n}`;
      cmds.push(['SET', k, v], ['PFDEBUG', 'DECODE', k], ['PFCOUNT', k], ['PFCOUNT', k, 'nokey'], ['SET', `${k}b`, v],
        ['PFADD', `${k}b`, ...elements], ['GET', `${k}b`], ['PFDEBUG', 'DECODE', `${k}b`]);
      for (let r = 0; r < 6; r++) cmds.push(['SET', `${k}c`, v], ['PFADD', `${k}c`, `r${r}`], ['GET', `${k}c`]);
      cmds.push(['SET', `${k}d`, v], ['PFMERGE', `${k}d`, 'nokey'], ['GET', `${k}d`], ['SET', `${k}e`, v],
        ['PFDEBUG', 'GETREG', `${k}e`], ['GET', `${k}e`]);
    });
    await all(cmds);
  });

  it('SETRANGE on a dense HLL changes registers behind a still valid cache', async () => {
    await all([
      ['PFADD', 'd', ...range(5000, (i) => `z${i}`)], ['PFCOUNT', 'd'], ['SETRANGE', 'd', '100', '\xff\xff\xff'],
      ['PFCOUNT', 'd'], ['SETRANGE', 'd', '15', '\x80'], ['PFCOUNT', 'd'], ['GET', 'd'],
      ['SETRANGE', 'd', '4', '\x01'], ['PFDEBUG', 'DECODE', 'd'], ['PFCOUNT', 'd'], ['GET', 'd'],
      ['PFADD', 'e', ...range(5000, (i) => `z${i}`)], ['SETRANGE', 'e', '4', '\x02'], ['PFCOUNT', 'e'], ['PFADD', 'e', 'a'],
      ['PFADD', 'f', ...range(5000, (i) => `z${i}`)], ['APPEND', 'f', 'x'], ['PFCOUNT', 'f'], ['PFMERGE', 'f'],
      ['PFADD', 'g', 'a'], ['SETRANGE', 'g', '4', '\x00'], ['PFCOUNT', 'g'], ['SETRANGE', 'g', '12303', '\0'], ['PFCOUNT', 'g'],
      ['PFADD', 'g', 'b'], ['GET', 'g'],
    ]);
  });
});

describe('PFDEBUG', () => {
  it('GETREG converts a sparse HLL to dense for good', async () => {
    await all([
      ['PFADD', 'h', 'a', 'b', 'c'], ['PFCOUNT', 'h'], ['PFDEBUG', 'GETREG', 'h'], ...inspect('h'), ['PFCOUNT', 'h'],
      ['PFDEBUG', 'getreg', 'h'], ['PFADD', 'd', ...range(3000, (i) => `x${i}`)], ['PFDEBUG', 'GETREG', 'd'],
    ]);
  });

  it('DECODE, ENCODING, TODENSE, unknown subcommands and missing keys', async () => {
    await all([
      ['PFDEBUG', 'ENCODING', 'nokey'], ['PFDEBUG', 'NOSUCH', 'nokey'], ['PFADD', 'h', 'a', 'b'],
      ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'decode', 'h'], ['PFDEBUG', 'TODENSE', 'h'], ['PFDEBUG', 'TODENSE', 'h'],
      ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'Encoding', 'h'], ...inspect('h'),
      ['PFDEBUG', 'NOSUCH', 'h'], ['PFDEBUG', 'ENCODING\0junk', 'h'], ['PFDEBUG', 'bad\0junk', 'h'],
      ['PFDEBUG', 'bad\r\nline', 'h'], ['PFDEBUG', '', 'h'], ['PFADD', 'e'], ['PFDEBUG', 'DECODE', 'e'],
      ['SET', 'emb', sparse([0x7f, 0xff])], ['PFDEBUG', 'ENCODING', 'emb'], ['OBJECT', 'ENCODING', 'emb'],
    ]);
  });

  it('PFSELFTEST passes', async () => {
    await pair.check('PFSELFTEST');
  });
});

describe('configuration', () => {
  it('hll-sparse-max-bytes reads and sets like Redis', async () => {
    await all([
      ['CONFIG', 'GET', 'hll-sparse-max-bytes'], ['CONFIG', 'GET', 'hll*'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '1k'],
      ['CONFIG', 'GET', 'hll-sparse-max-bytes'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '2GB'],
      ['CONFIG', 'GET', 'hll-sparse-max-bytes'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '-1'],
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', 'abc'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '9223372036854775807'],
      ['CONFIG', 'GET', 'hll-sparse-max-bytes'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '9223372036854775808'],
      ['CONFIG', 'SET', 'HLL-SPARSE-MAX-BYTES', '0'], ['CONFIG', 'GET', 'hll-sparse-max-bytes'],
      ['PFADD', 'h', 'a'], ['PFDEBUG', 'ENCODING', 'h'],
    ]);
  });
});

describe('side effects', () => {
  it('fire the same keyspace events and count the same hits, misses and dirty keys', async () => {
    const script: Command[] = [
      ['PFADD', 'h'], ['PFADD', 'h'], ['PFADD', 'h', 'a', 'b', 'c'], ['PFADD', 'h', 'a'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h'],
      ['PFCOUNT', 'nokey'], ['PFCOUNT', 'h', 'nokey'], ['PFADD', 'n', ...range(100, (i) => `n${i}`)],
      ['PFMERGE', 'm', 'h', 'n', 'nokey'], ['PFMERGE', 'm'], ['PFCOUNT', 'm'], ['PFDEBUG', 'ENCODING', 'm'],
      ['PFDEBUG', 'GETREG', 'm'], ['PFDEBUG', 'GETREG', 'm'], ['PFDEBUG', 'TODENSE', 'h'], ['PFDEBUG', 'TODENSE', 'h'],
      ['PFDEBUG', 'DECODE', 'n'], ['PFDEBUG', 'ENCODING', 'nokey'], ['SET', 's', 'x'], ['PFADD', 's', 'a'], ['PFCOUNT', 's'],
      ['PFMERGE', 'x', 's'], ['SET', 'c', sparse([0x7f, 0xfe], INVALID_CACHE)], ['PFADD', 'c', 'a', 'b', 'c', 'd', 'e'],
      ['PFCOUNT', 'c'], ['PFSELFTEST'],
    ];
    await expectSameSideEffects(pair, script);
  });

  it('touch WATCHed keys exactly when Redis signals a modification', async (ctx) => {
    if (pair.engine.engine.commands.lookup(['WATCH']) === null) ctx.skip();
    const other: ClientPair = await pair.connect();
    const cases: [Command[], Command][] = [
      [[['PFADD', 'h', 'a']], ['PFADD', 'h', 'a']], // no change: not signalled
      [[['PFADD', 'h', 'a']], ['PFADD', 'h', 'b']],
      [[['PFADD', 'h', 'a']], ['PFCOUNT', 'h']], // cache refreshed: signalled
      [[['PFADD', 'h', 'a'], ['PFCOUNT', 'h']], ['PFCOUNT', 'h']], // cache valid: not signalled
      [[['PFADD', 'h', 'a']], ['PFCOUNT', 'h', 'x']],
      [[['PFADD', 'h', 'a']], ['PFMERGE', 'h']],
      [[['PFADD', 'h', 'a']], ['PFDEBUG', 'TODENSE', 'h']],
      [[['PFADD', 'h', 'a']], ['PFDEBUG', 'GETREG', 'h']],
      [[], ['PFADD', 'h']],
      [[], ['PFMERGE', 'h', 'nokey']],
    ];
    for (const [setup, cmd] of cases) {
      await pair.checkAll([['DEL', 'h'], ...setup]);
      await pair.check('WATCH', 'h');
      await other.checkAll([cmd]);
      await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
    }
  });
});

describe('RESP3', () => {
  it('replies the same way under HELLO 3', async () => {
    const c = await pair.connect();
    await c.both('HELLO', '3');
    await checkAllBytes(c, [
      ['PFADD', 'h', 'a', 'b'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h', 'nokey'], ['PFMERGE', 'm', 'h'], ['PFDEBUG', 'DECODE', 'm'],
      ['PFDEBUG', 'ENCODING', 'm'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'GETREG', 'm'], ['PFDEBUG', 'x', 'm'],
      ['SET', 's', 'x'], ['PFADD', 's', 'a'], ['PFCOUNT', 'nokey'],
    ]);
    c.close();
  });
});

describe('random stream', () => {
  it('agrees on thousands of random HyperLogLog commands', async () => {
    const rnd = new SeededRandom(20240921);
    const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)];
    const keys = ['h0', 'h1', 'h2', 'h3', 'h4'];
    const key = () => (rnd.below(15) === 0 ? pick(['str', 'lst', 'missing']) : pick(keys));
    const element = (): string => {
      switch (rnd.below(6)) {
        case 0: return range(rnd.below(12), () => String.fromCharCode(rnd.below(256))).join('');
        case 1: return `w${rnd.below(100)}`;
        default: return `e${rnd.below(20000)}`;
      }
    };
    const commands: Command[] = [['SET', 'str', 'plain'], ['RPUSH', 'lst', 'x']];
    for (let i = 0; i < 6000; i++) {
      const r = rnd.below(100);
      if (r < 45) commands.push(['PFADD', key(), ...range(rnd.below(4) === 0 ? rnd.below(300) : rnd.below(4), element)]);
      else if (r < 60) commands.push(['PFCOUNT', key()]);
      else if (r < 67) commands.push(['PFCOUNT', ...range(1 + rnd.below(4), key)]);
      else if (r < 73) commands.push(['PFMERGE', key(), ...range(rnd.below(4), key)]);
      else if (r < 83) commands.push(['GET', key()]);
      else if (r < 87) commands.push(['PFDEBUG', pick(['ENCODING', 'DECODE', 'TODENSE']), key()]);
      else if (r < 89) commands.push(['DEL', key()]);
      else if (r < 91) commands.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', pick(['0', '50', '300', '1000', '3000', '6000'])]);
      else if (r < 93) commands.push(['DEBUG', 'SDSLEN', key()]);
      else if (r < 94) commands.push(['APPEND', key(), pick(['\x00', '\x80', 'x'])]);
      else if (r < 95) commands.push(['SETRANGE', key(), String(pick([4, 15, 16, 17, 100])), pick(['\x00', '\x80', '\xff'])]);
      else commands.push(['PFCOUNT', key(), key()], ['STRLEN', key()]);
    }
    await checkRandomStream(pair.main, commands.map(wire));
  });

  it('agrees on random sparse codes, exact or a little off, under small sparse limits', async () => {
    const rnd = new SeededRandom(777);
    const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)];
    /** Opcodes covering 16384 registers plus `off` (which may be negative), sometimes cut short. */
    const randomCode = (off: number): number[] => {
      const code: number[] = [];
      let left = 16384 + off;
      while (left > 0) {
        const kind = rnd.below(10);
        if (kind < 4) {
          const run = Math.min(left, 1 + rnd.below(4));
          code.push(0x80 | ((rnd.below(32)) << 2) | (run - 1));
          left -= run;
        } else if (kind < 7) {
          const run = Math.min(left, 1 + rnd.below(64));
          code.push(run - 1);
          left -= run;
        } else {
          const run = Math.min(left, 1 + rnd.below(rnd.below(2) ? 300 : 16384));
          code.push(0x40 | ((run - 1) >> 8), (run - 1) & 0xff);
          left -= run;
        }
      }
      // Sometimes one more opcode: it may complete a short code, or run past the end.
      if (off < 0 || rnd.below(6) === 0) code.push(pick([0x00, 0x80, 0x7f, 0x40, 0x84]));
      return code;
    };
    const keys = ['f0', 'f1', 'f2', 'f3'];
    const commands: Command[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = pick(keys);
      const r = rnd.below(100);
      if (r < 12) {
        const off = pick([0, 0, 0, 0, 1, -1, 5, -3]);
        commands.push(['SET', k, sparse(randomCode(off), rnd.below(2) ? INVALID_CACHE : VALID_ZERO_CACHE)]);
      } else if (r < 45) {
        commands.push(['PFADD', k, ...range(rnd.below(6), () => `r${rnd.below(3000)}`)]);
      } else if (r < 55) commands.push(['PFCOUNT', k]);
      else if (r < 62) commands.push(['PFCOUNT', k, pick(keys)]);
      else if (r < 70) commands.push(['PFMERGE', k, ...range(rnd.below(3), () => pick(keys))]);
      else if (r < 80) commands.push(['GET', k]);
      else if (r < 88) commands.push(['PFDEBUG', pick(['DECODE', 'ENCODING', 'TODENSE', 'DECODE']), k]);
      else if (r < 92) commands.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', String(pick([0, 20, 40, 100, 200, 3000]))]);
      else if (r < 95) commands.push(['DEBUG', 'SDSLEN', k]);
      else commands.push(['PFADD', k, pick(LONG_RUN_ELEMENTS)]);
    }
    await checkRandomStream(pair.main, commands.map(wire));
  });
});

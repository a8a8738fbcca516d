// Bitmap commands against a real redis-server 7.0.15: scripted cases for every command, option and
// error path (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO), binary values,
// int/embstr/raw values and the encoding and sds allocation they leave, offsets at the 512MB limit,
// keyspace events with hits, misses and dirty counts, RESP3, and a seeded random stream.
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { expectSameSideEffects } from './sideEffects.ts';
import { DifferentialPair, checkAllBytes, checkRandomStream, wire, type Command } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start({ 'enable-debug-command': 'yes' }); });
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => { await pair.reset({ 'proto-max-bulk-len': '536870912' }); });

/** Pipelined, byte strings as latin1 (see wire). */
const all = (cmds: Command[]) => checkAllBytes(pair.main, cmds);

/** What a string key looks like from outside: value, length, encoding and sds allocation. */
const inspect = (k: string): Command[] => [
  ['GET', k], ['STRLEN', k], ['OBJECT', 'ENCODING', k], ['DEBUG', 'SDSLEN', k], ['MEMORY', 'USAGE', k],
];

const BYTES = '\x00\xff\x0f\xf0\x80\x01\xaa\x55';

describe('SETBIT / GETBIT', () => {
  it('sets and reads bits, growing the string with zero bytes', async () => {
    await all([
      ['SETBIT', 'k', '7', '1'], ...inspect('k'), ['GETBIT', 'k', '7'], ['GETBIT', 'k', '6'], ['GETBIT', 'k', '8'],
      ['SETBIT', 'k', '7', '1'], ['SETBIT', 'k', '7', '0'], ['SETBIT', 'k', '7', '0'], ...inspect('k'),
      ['SETBIT', 'k', '0', '1'], ['SETBIT', 'k', '100', '1'], ...inspect('k'), ['GETBIT', 'k', '100'],
      ['SETBIT', 'k', '99', '0'], ['SETBIT', 'k', '1000', '0'], ...inspect('k'), ['SETBIT', 'k', '20000', '1'], ...inspect('k'),
      ['GETBIT', 'k', '1000000'], ['GETBIT', 'missing', '0'], ['GETBIT', 'missing', '4294967295'],
      ['SETBIT', 'z', '0', '0'], ...inspect('z'), ['SETBIT', 'z2', '15', '0'], ...inspect('z2'),
      // a small value that already has room (sds spare space) grows in place
      ['SETBIT', 'g', '8', '1'], ['SETBIT', 'g', '16', '1'], ['SETBIT', 'g', '23', '1'], ['SETBIT', 'g', '60', '1'], ...inspect('g'),
    ]);
  });

  it('works on binary values bit by bit', async () => {
    const cmds: Command[] = [['SET', 'b', BYTES]];
    for (let i = 0; i < BYTES.length * 8 + 3; i++) cmds.push(['GETBIT', 'b', String(i)]);
    for (let i = 0; i < BYTES.length * 8; i += 3) cmds.push(['SETBIT', 'b', String(i), String(i % 2)]);
    cmds.push(...inspect('b'), ['SET', 'nul', '\x00'], ['SETBIT', 'nul', '7', '1'], ['GET', 'nul']);
    await all(cmds);
  });

  it('reads an int-encoded value as its digits and rewrites it as raw', async () => {
    await all([
      ['SET', 'n', '123'], ['OBJECT', 'ENCODING', 'n'], ['OBJECT', 'REFCOUNT', 'n'], ['GETBIT', 'n', '2'], ['GETBIT', 'n', '7'],
      ['GETBIT', 'n', '23'], ['GETBIT', 'n', '24'], ['BITCOUNT', 'n'], ['OBJECT', 'ENCODING', 'n'],
      // an unchanged bit still makes the value private and raw
      ['SETBIT', 'n', '0', '0'], ...inspect('n'), ['OBJECT', 'REFCOUNT', 'n'],
      ['SET', 'm', '-98765432109'], ['SETBIT', 'm', '7', '0'], ...inspect('m'), ['INCR', 'm'],
      ['SET', 'p', '7'], ['SETBIT', 'p', '7', '0'], ['GET', 'p'], ['INCR', 'p'], ['OBJECT', 'ENCODING', 'p'],
      ['SET', 'q', '12'], ['SET', 'r', '12'], ['SETBIT', 'q', '15', '1'], ['GET', 'q'], ['GET', 'r'], ['OBJECT', 'REFCOUNT', 'r'],
      ['SET', 'e', 'abc'], ['OBJECT', 'ENCODING', 'e'], ['SETBIT', 'e', '1', '1'], ...inspect('e'),
      ['SET', 'f', 'x'.repeat(44)], ['SETBIT', 'f', '351', '1'], ...inspect('f'), ['SETBIT', 'f', '352', '1'], ...inspect('f'),
      ['SET', 'big', 'y'.repeat(100)], ['SETBIT', 'big', '0', '1'], ...inspect('big'),
      ['SET', 'empty', ''], ['GETBIT', 'empty', '0'], ['SETBIT', 'empty', '0', '0'], ...inspect('empty'),
    ]);
  });

  it('refuses bad offsets and bad bits, in Redis order', async () => {
    await all([
      ['SETBIT', 'k', '-1', '1'], ['SETBIT', 'k', 'x', '1'], ['SETBIT', 'k', '', '1'], ['SETBIT', 'k', '1.0', '1'],
      ['SETBIT', 'k', '01', '1'], ['SETBIT', 'k', '+1', '1'], ['SETBIT', 'k', ' 1', '1'], ['SETBIT', 'k', '#1', '1'],
      ['SETBIT', 'k', '4294967296', '1'], ['SETBIT', 'k', '9223372036854775807', '1'], ['SETBIT', 'k', '9223372036854775808', '1'],
      ['SETBIT', 'k', '1\x00', '1'],
      ['SETBIT', 'k', '0', '2'], ['SETBIT', 'k', '0', '-1'], ['SETBIT', 'k', '0', 'x'], ['SETBIT', 'k', '0', ''],
      ['SETBIT', 'k', '0', '1.0'], ['SETBIT', 'k', '0', '01'], ['SETBIT', 'k', '0', '9223372036854775808'],
      ['SETBIT', 'k', 'x', 'y'], ['EXISTS', 'k'],
      ['GETBIT', 'k', '-1'], ['GETBIT', 'k', 'x'], ['GETBIT', 'k', '4294967296'], ['GETBIT', 'k', '#0'],
      ['SETBIT', 'k'], ['SETBIT', 'k', '0'], ['SETBIT', 'k', '0', '1', '1'], ['GETBIT', 'k'], ['GETBIT', 'k', '0', '1'],
      ['HSET', 'h', 'f', 'v'], ['SETBIT', 'h', '0', '1'], ['GETBIT', 'h', '0'], ['SETBIT', 'h', 'x', '1'], ['SETBIT', 'h', '0', '5'],
      ['GETBIT', 'h', '-1'], ['TYPE', 'h'],
    ]);
  });
});

describe('BITCOUNT', () => {
  it('counts the whole string and byte ranges', async () => {
    const cmds: Command[] = [['SET', 'b', BYTES], ['SET', 'n', '-1234567'], ['SET', 'e', ''], ['SETBIT', 's', '100', '1']];
    const bounds = ['0', '1', '2', '-1', '-2', '-3', '7', '8', '100', '-100', '5', '-9'];
    for (const k of ['b', 'n', 'e', 's', 'missing']) {
      cmds.push(['BITCOUNT', k]);
      for (const start of bounds) for (const end of bounds) cmds.push(['BITCOUNT', k, start, end]);
    }
    await all(cmds);
  });

  it('counts bit ranges with BIT and byte ranges with BYTE', async () => {
    const cmds: Command[] = [['SET', 'b', BYTES], ['SET', 'n', '987'], ['SET', 'e', '']];
    const bounds = ['0', '1', '3', '7', '8', '9', '15', '16', '30', '63', '64', '100', '-1', '-2', '-8', '-9', '-30', '-64', '-65'];
    for (const k of ['b', 'n', 'e']) {
      for (const start of bounds) for (const end of bounds) cmds.push(['BITCOUNT', k, start, end, 'BIT']);
      cmds.push(['BITCOUNT', k, '0', '-1', 'BYTE'], ['BITCOUNT', k, '1', '2', 'byte'], ['BITCOUNT', k, '1', '2', 'bit']);
    }
    await all(cmds);
  });

  it('handles extreme indexes and refuses bad arguments', async () => {
    await all([
      ['SET', 'b', BYTES],
      ['BITCOUNT', 'b', '-9223372036854775808', '-9223372036854775807'], ['BITCOUNT', 'b', '-9223372036854775807', '-9223372036854775808'],
      ['BITCOUNT', 'b', '-9223372036854775808', '9223372036854775807'], ['BITCOUNT', 'b', '9223372036854775807', '9223372036854775807'],
      ['BITCOUNT', 'b', '-9223372036854775808', '9223372036854775807', 'BIT'], ['BITCOUNT', 'b', '0', '4611686018427387904', 'BIT'],
      ['BITCOUNT', 'b', '-4611686018427387904', '-1', 'BIT'],
      ['BITCOUNT', 'b', '0'], ['BITCOUNT', 'b', '0', '1', 'BITS'], ['BITCOUNT', 'b', '0', '1', 'BIT', 'x'],
      ['BITCOUNT', 'b', '0', '1', ''], ['BITCOUNT', 'b', '0', '1', 'BIT\x00junk'], ['BITCOUNT', 'b', '0', '1', 'byte\x00'],
      ['BITCOUNT', 'b', 'x', '1'], ['BITCOUNT', 'b', '0', 'x'], ['BITCOUNT', 'b', 'x', 'y', 'BAD'], ['BITCOUNT', 'b', '1', 'x', 'BAD'],
      ['BITCOUNT', 'b', '0', '9223372036854775808'],
      // the "start > end, both negative" shortcut comes before the unit is parsed
      ['BITCOUNT', 'b', '-1', '-2', 'BAD'], ['BITCOUNT', 'b', '-2', '-1', 'BAD'],
      // a missing key answers 0 before any argument is looked at
      ['BITCOUNT', 'missing', 'x'], ['BITCOUNT', 'missing', '0', '1', 'BAD'], ['BITCOUNT', 'missing', 'a', 'b', 'c', 'd'],
      ['BITCOUNT'], ['BITCOUNT', 'b', '0', '1', 'BIT', '1'],
      ['LPUSH', 'l', 'x'], ['BITCOUNT', 'l'], ['BITCOUNT', 'l', 'x'], ['BITCOUNT', 'l', '0', '1', 'BAD'],
    ]);
  });
});

describe('BITPOS', () => {
  const VALUES: [string, string][] = [
    ['zeros', '\x00\x00\x00'], ['ones', '\xff\xff\xff'], ['mixed', '\xff\xf0\x00\x0f\x00'], ['one', '\x10'],
    ['lastbit', '\x00\x00\x01'], ['firstzero', '\x7f\xff'], ['long', '\x00'.repeat(20) + '\x02' + '\xff'.repeat(20) + '\xfe'],
    ['intenc', '1234'], ['empty', ''],
  ];

  it('finds bits over whole strings and byte ranges, with and without an end', async () => {
    const cmds: Command[] = VALUES.map(([k, v]) => ['SET', k, v]);
    const bounds = ['0', '1', '2', '3', '-1', '-2', '-3', '10', '-10', '21', '41'];
    for (const [k] of [...VALUES, ['missing']]) {
      for (const bit of ['0', '1']) {
        cmds.push(['BITPOS', k, bit]);
        for (const start of bounds) {
          cmds.push(['BITPOS', k, bit, start]);
          for (const end of bounds) cmds.push(['BITPOS', k, bit, start, end]);
        }
      }
    }
    await all(cmds);
  });

  it('finds bits in bit ranges (BIT) and byte ranges (BYTE)', async () => {
    const cmds: Command[] = VALUES.map(([k, v]) => ['SET', k, v]);
    const bounds = ['0', '1', '3', '4', '7', '8', '9', '12', '15', '16', '17', '23', '24', '39', '40', '160', '167', '168',
      '330', '335', '336', '-1', '-2', '-8', '-9', '-17', '-100', '1000'];
    for (const [k] of VALUES) {
      for (const bit of ['0', '1']) {
        for (const start of bounds) for (const end of bounds) cmds.push(['BITPOS', k, bit, start, end, 'BIT']);
        cmds.push(['BITPOS', k, bit, '0', '-1', 'BYTE'], ['BITPOS', k, bit, '1', '-1', 'byte'], ['BITPOS', k, bit, '1', '2', 'bit']);
      }
    }
    await all(cmds);
  });

  it('refuses bad arguments in Redis order', async () => {
    await all([
      ['SET', 'k', '\xff\x00'],
      ['BITPOS', 'k', '2'], ['BITPOS', 'k', '-1'], ['BITPOS', 'k', 'x'], ['BITPOS', 'k', ''], ['BITPOS', 'missing', '2'],
      ['BITPOS', 'missing', 'x'], ['BITPOS', 'missing', '1', 'x'], ['BITPOS', 'missing', '0', '0', '1', 'BAD'],
      ['BITPOS', 'k', '1', 'x'], ['BITPOS', 'k', '1', '0', 'x'], ['BITPOS', 'k', '1', '0', '1', 'BAD'],
      // the unit is parsed before the end
      ['BITPOS', 'k', '1', '0', 'x', 'BAD'], ['BITPOS', 'k', '1', 'x', 'x', 'BAD'], ['BITPOS', 'k', '1', '0', 'x', 'BIT'],
      ['BITPOS', 'k', '1', '0', '1', 'BIT', 'x'], ['BITPOS', 'k', '0', '0', '1', 'BIT\x00'], ['BITPOS', 'k', '1'],
      ['BITPOS', 'k', '0', '-9223372036854775808', '9223372036854775807'], ['BITPOS', 'k', '0', '9223372036854775807'],
      ['BITPOS', 'k', '0', '-9223372036854775808', '-9223372036854775807', 'BIT'],
      ['BITPOS', 'k', '1', '0', '9223372036854775808'],
      ['BITPOS'], ['BITPOS', 'k'],
      ['SADD', 's', 'x'], ['BITPOS', 's', '1'], ['BITPOS', 's', '2'], ['BITPOS', 's', '1', 'x'],
    ]);
  });
});

describe('BITOP', () => {
  it('combines keys of different lengths with AND, OR, XOR and NOT', async () => {
    const long1 = Array.from({ length: 70 }, (_, i) => String.fromCharCode((i * 37) & 255)).join('');
    const long2 = Array.from({ length: 90 }, (_, i) => String.fromCharCode((i * 91 + 7) & 255)).join('');
    const cmds: Command[] = [['SET', 'a', '\xff\x0f\x00\xaa'], ['SET', 'b', '\x0f\xff'], ['SET', 'c', BYTES],
      ['SET', 'l1', long1], ['SET', 'l2', long2], ['SET', 'n', '42'], ['SET', 'm', '9999999999']];
    for (const op of ['AND', 'OR', 'XOR', 'and', 'Or', 'xOr']) {
      for (const srcs of [['a'], ['a', 'b'], ['b', 'a'], ['a', 'b', 'c'], ['a', 'missing'], ['missing', 'a'], ['l1', 'l2'],
        ['l1', 'l2', 'a', 'c'], ['n', 'm'], ['a', 'a'], ['l2', 'missing', 'l1']]) {
        cmds.push(['BITOP', op, 'dest', ...srcs], ...inspect('dest'));
      }
    }
    for (const src of ['a', 'b', 'c', 'l1', 'n']) cmds.push(['BITOP', 'NOT', 'dest', src], ...inspect('dest'));
    cmds.push(['BITOP', 'not', 'a', 'a'], ['GET', 'a'], ['BITOP', 'XOR', 'b', 'b', 'c'], ['GET', 'b']);
    await all(cmds);
  });

  it('deletes the destination when every source is missing or empty, and replaces any type', async () => {
    await all([
      ['SET', 'd', 'old'], ['BITOP', 'AND', 'd', 'missing'], ['EXISTS', 'd'], ['BITOP', 'OR', 'd', 'missing', 'missing2'],
      ['SET', 'e', ''], ['SET', 'd', 'old'], ['BITOP', 'XOR', 'd', 'e', 'missing'], ['EXISTS', 'd'],
      ['BITOP', 'NOT', 'd', 'e'], ['EXISTS', 'd'], ['BITOP', 'NOT', 'd', 'missing'],
      ['SET', 'src', 'x'], ['SET', 'd', 'v', 'EX', '100'], ['BITOP', 'OR', 'd', 'src'], ['TTL', 'd'], ...inspect('d'),
      ['LPUSH', 'lst', 'x'], ['BITOP', 'OR', 'lst', 'src'], ['TYPE', 'lst'], ['GET', 'lst'],
      ['HSET', 'h', 'f', 'v'], ['BITOP', 'AND', 'h', 'missing'], ['EXISTS', 'h'],
    ]);
  });

  it('refuses bad operations, NOT with several keys, and non-string sources', async () => {
    await all([
      ['SET', 'a', 'x'], ['LPUSH', 'l', 'x'],
      ['BITOP', 'NAND', 'd', 'a'], ['BITOP', 'AN', 'd', 'a'], ['BITOP', '', 'd', 'a'], ['BITOP', 'AND\x00x', 'd', 'a'], ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'a', 'a'], ['BITOP', 'not', 'd', 'l', 'a'], ['BITOP', 'NOT', 'd', 'l'],
      ['BITOP', 'AND', 'd', 'a', 'l'], ['BITOP', 'OR', 'd', 'l', 'missing'], ['BITOP', 'XOR', 'd', 'missing', 'a', 'l'], ['EXISTS', 'd'],
      ['BITOP', 'NAND', 'd', 'l'], ['BITOP', 'AND', 'd'], ['BITOP', 'AND'], ['BITOP', 'NOT', 'd'], ['BITOP'],
    ]);
  });
});

describe('BITFIELD', () => {
  it('gets signed and unsigned fields of every width at unaligned offsets', async () => {
    const cmds: Command[] = [['SET', 'b', BYTES + '\x12\x34\x56\x78\x9a'], ['SET', 'n', '-31415926535']];
    for (const k of ['b', 'n', 'missing']) {
      for (let bits = 1; bits <= 64; bits += bits < 10 ? 1 : 7) {
        for (const off of ['0', '1', '5', '13', '40', '64', '100']) {
          cmds.push(['BITFIELD', k, 'GET', `i${bits}`, off, 'GET', `u${Math.min(bits, 63)}`, off]);
        }
      }
      cmds.push(['BITFIELD', k, 'GET', 'i64', '0', 'GET', 'u63', '0', 'GET', 'i64', '1', 'GET', 'u63', '1']);
      cmds.push(['BITFIELD_RO', k, 'GET', 'i8', '#1', 'GET', 'u4', '#3', 'GET', 'i64', '#1', 'GET', 'u63', '#0']);
    }
    await all(cmds);
  });

  it('sets and increments with WRAP, SAT and FAIL', async () => {
    const cmds: Command[] = [];
    const values = ['0', '1', '-1', '127', '128', '-128', '-129', '255', '256', '1000', '-1000', '4294967295', '4294967296',
      '9223372036854775807', '-9223372036854775808', '-9223372036854775681', '-9223372036854775680', '9223372036854775680'];
    for (const type of ['i1', 'u1', 'i8', 'u8', 'i5', 'u7', 'i32', 'u32', 'i63', 'u63', 'i64']) {
      for (const mode of ['WRAP', 'SAT', 'FAIL']) {
        cmds.push(['DEL', 'f']);
        for (const v of values) {
          cmds.push(['BITFIELD', 'f', 'OVERFLOW', mode, 'SET', type, '3', v, 'GET', type, '3']);
          cmds.push(['BITFIELD', 'f', 'OVERFLOW', mode, 'INCRBY', type, '3', v, 'GET', type, '3']);
        }
        cmds.push(['GET', 'f']);
      }
    }
    await all(cmds);
  });

  it('saturates and wraps at the edges of 64-bit arithmetic', async () => {
    await all([
      ['BITFIELD', 'k', 'SET', 'i64', '0', '9223372036854775807', 'INCRBY', 'i64', '0', '1', 'INCRBY', 'i64', '0', '-1'],
      ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '9223372036854775807', 'INCRBY', 'i64', '0', '-9223372036854775808',
        'INCRBY', 'i64', '0', '-9223372036854775808', 'INCRBY', 'i64', '0', '-1'],
      ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'i64', '0', '-1', 'INCRBY', 'i64', '0', '1', 'GET', 'i64', '0'],
      ['BITFIELD', 'k', 'SET', 'u63', '0', '9223372036854775807', 'INCRBY', 'u63', '0', '1', 'OVERFLOW', 'SAT',
        'INCRBY', 'u63', '0', '-1', 'INCRBY', 'u63', '0', '-9223372036854775808', 'INCRBY', 'u63', '0', '9223372036854775807'],
      ['BITFIELD', 'k', 'OVERFLOW', 'WRAP', 'INCRBY', 'u63', '0', '-9223372036854775808', 'INCRBY', 'u63', '0', '9223372036854775807',
        'INCRBY', 'i63', '1', '9223372036854775807', 'INCRBY', 'i63', '1', '-9223372036854775808'],
      ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'u2', '0', '-9223372036854775808', 'SET', 'i2', '0', '-9223372036854775808',
        'SET', 'i2', '0', '9223372036854775807', 'SET', 'u2', '0', '9223372036854775807', 'GET', 'u2', '0'],
      ['GET', 'k'],
    ]);
  });

  it('runs several operations in order, with OVERFLOW applying to those after it', async () => {
    await all([
      ['BITFIELD', 'k', 'SET', 'u8', '0', '200', 'INCRBY', 'u8', '0', '100', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '0', '100',
        'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1', 'GET', 'u8', '0', 'OVERFLOW', 'wrap', 'INCRBY', 'u8', '0', '1',
        'overflow', 'sat', 'overflow', 'fail', 'set', 'i4', '#1', '8', 'get', 'u16', '0', 'incrby', 'i4', '#3', '-9'],
      ['GET', 'k'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT'], ['BITFIELD', 'k'], ['BITFIELD', 'missing'], ['BITFIELD_RO', 'missing'],
      ['BITFIELD', 'k', 'GET', 'u8', '0', 'SET', 'u8', '0', '7', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '3', 'GET', 'u8', '0'],
      ['BITFIELD', 'k', 'SET', 'u8', '0', '1', 'SET', 'u8', '0', '2', 'SET', 'u8', '0', '3'],
      ['BITFIELD', 'k', 'SET', 'i8', '0', '-1', 'SET', 'i8', '4', '0', 'GET', 'u16', '0'], ['GET', 'k'],
    ]);
  });

  it('grows the string to the farthest write before running any operation', async () => {
    await all([
      ['BITFIELD', 'g', 'GET', 'u8', '100', 'SET', 'u8', '0', '1', 'SET', 'u4', '60', '0', 'GET', 'u8', '56'], ...inspect('g'),
      ['BITFIELD', 'g', 'SET', 'i64', '65', '0'], ...inspect('g'),
      ['BITFIELD', 'g', 'OVERFLOW', 'FAIL', 'SET', 'u8', '2000', '256'], ...inspect('g'),
      ['BITFIELD', 'g2', 'OVERFLOW', 'FAIL', 'INCRBY', 'u1', '7', '2'], ...inspect('g2'),
      ['SET', 'n', '5'], ['BITFIELD', 'n', 'GET', 'u8', '0'], ['OBJECT', 'ENCODING', 'n'], ['BITFIELD', 'n', 'SET', 'u8', '0', '53'],
      ...inspect('n'), ['SET', 'm', '17'], ['BITFIELD', 'm', 'SET', 'u8', '0', '50'], ...inspect('m'),
      ['SET', 'e', 'hey'], ['BITFIELD_RO', 'e', 'GET', 'u8', '0'], ['OBJECT', 'ENCODING', 'e'], ['BITFIELD', 'e', 'INCRBY', 'u8', '0', '0'],
      ...inspect('e'), ['SET', 'bin', BYTES], ['BITFIELD', 'bin', 'INCRBY', 'u16', '4', '4097', 'SET', 'i3', '61', '-2'], ...inspect('bin'),
    ]);
  });

  it('reads #offsets as multiples of the width, wrapping like C', async () => {
    await all([
      ['SET', 's', 'abcdefgh'],
      ['BITFIELD', 's', 'GET', 'u8', '#0', 'GET', 'u8', '#1', 'GET', 'i16', '#2', 'GET', 'u63', '#1', 'GET', 'u8', '#100'],
      ['BITFIELD', 's', 'GET', 'u8', '#2305843009213693953'], ['BITFIELD', 's', 'GET', 'i64', '#288230376151711745'],
      ['BITFIELD', 's', 'GET', 'u8', '#1152921504606846976'], ['BITFIELD', 's', 'GET', 'u8', '#-1'], ['BITFIELD', 's', 'GET', 'u8', '#'],
      ['BITFIELD', 's', 'GET', 'u8', '##1'], ['BITFIELD', 's', 'GET', 'u8', '#01'], ['BITFIELD', 's', 'GET', 'u8', '#67108864'],
      ['BITFIELD', 's', 'GET', 'u8', '#67108863'], ['BITFIELD', 's', 'SET', 'u8', '#2305843009213693953', '65'], ['GET', 's'],
      ['BITFIELD', 's', 'GET', 'i3', '#3', 'GET', 'u5', '#7'],
    ]);
  });

  it('refuses bad subcommands, types, offsets and values', async () => {
    await all([
      ['SET', 's', 'abc'], ['LPUSH', 'l', 'x'],
      ['BITFIELD', 's', 'GET'], ['BITFIELD', 's', 'GET', 'u8'], ['BITFIELD', 's', 'SET', 'u8', '0'], ['BITFIELD', 's', 'INCRBY', 'u8', '0'],
      ['BITFIELD', 's', 'OVERFLOW'], ['BITFIELD', 's', 'OVERFLOW', 'NOPE'], ['BITFIELD', 's', 'OVERFLOW', ''],
      ['BITFIELD', 's', 'OVERFLOW', 'SAT\x00x', 'GET', 'u8', '0'], ['BITFIELD', 's', 'GET\x00x', 'u8', '0'],
      ['BITFIELD', 's', 'FOO', 'u8', '0'], ['BITFIELD', 's', 'GETT', 'u8', '0'], ['BITFIELD', 's', 'GET', 'u8', '0', 'EXTRA'],
      ['BITFIELD', 's', 'GET', 'u64', '0'], ['BITFIELD', 's', 'GET', 'i65', '0'], ['BITFIELD', 's', 'GET', 'i0', '0'],
      ['BITFIELD', 's', 'GET', 'u0', '0'], ['BITFIELD', 's', 'GET', 'U8', '0'], ['BITFIELD', 's', 'GET', 'I8', '0'],
      ['BITFIELD', 's', 'GET', 'x8', '0'], ['BITFIELD', 's', 'GET', 'u', '0'], ['BITFIELD', 's', 'GET', '', '0'],
      ['BITFIELD', 's', 'GET', 'u08', '0'], ['BITFIELD', 's', 'GET', 'u+8', '0'], ['BITFIELD', 's', 'GET', 'u-8', '0'],
      ['BITFIELD', 's', 'GET', 'i8\x00junk', '0'], ['BITFIELD', 's', 'GET', 'u 8', '0'], ['BITFIELD', 's', 'GET', 'u8 ', '0'],
      ['BITFIELD', 's', 'GET', 'u8', '-1'], ['BITFIELD', 's', 'GET', 'u8', 'x'], ['BITFIELD', 's', 'GET', 'u8', '4294967296'],
      ['BITFIELD', 's', 'GET', 'u8', '4294967295'], ['BITFIELD', 's', 'GET', 'i64', '4294967295'],
      ['BITFIELD', 's', 'SET', 'u8', '0', 'x'], ['BITFIELD', 's', 'SET', 'u8', '0', '1.5'], ['BITFIELD', 's', 'SET', 'u8', '0', ''],
      ['BITFIELD', 's', 'INCRBY', 'u8', '0', '9223372036854775808'], ['BITFIELD', 's', 'SET', 'u8', '4294967296', '1'],
      // errors come in argument order, all before the key is looked at
      ['BITFIELD', 's', 'SET', 'u8', '0', '1', 'GET', 'u64', '0'], ['BITFIELD', 's', 'SET', 'u64', 'x', 'y'],
      ['BITFIELD', 's', 'SET', 'u8', 'x', 'y'], ['BITFIELD', 's', 'GET', 'u8', '0', 'OVERFLOW', 'BAD', 'FOO'], ['GET', 's'],
      ['BITFIELD', 'l', 'GET', 'u8', '0'], ['BITFIELD', 'l', 'SET', 'u8', '0', '1'], ['BITFIELD', 'l'], ['BITFIELD', 'l', 'GET', 'u99', '0'],
      ['BITFIELD_RO', 'l', 'GET', 'u8', '0'], ['BITFIELD_RO', 'l', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'l'],
      ['BITFIELD'],
    ]);
  });

  it('BITFIELD_RO only reads', async () => {
    await all([
      ['SET', 's', '\x01\x02\x03'],
      ['BITFIELD_RO', 's', 'GET', 'u8', '8', 'GET', 'i4', '#5', 'GET', 'u16', '#0'],
      ['BITFIELD_RO', 's', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 's', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD_RO', 's', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '1'], ['BITFIELD_RO', 's', 'OVERFLOW', 'SAT', 'GET', 'u8', '0'],
      ['BITFIELD_RO', 's', 'OVERFLOW', 'BAD'], ['BITFIELD_RO', 's', 'SET', 'u64', '0', '1'], ['BITFIELD_RO', 's', 'SET', 'u8', '0', 'x'],
      ['BITFIELD_RO', 's', 'NOPE'], ['BITFIELD_RO', 'missing', 'SET', 'u8', '0', '1'], ['EXISTS', 'missing'], ['GET', 's'],
      ['BITFIELD_RO'],
    ]);
  });
});

describe('offsets at the size limit', () => {
  it('reads anywhere below 2^32 bits and refuses 2^32 with the default 512MB limit', async () => {
    await all([
      ['SET', 'k', 'abc'],
      ['GETBIT', 'k', '4294967295'], ['GETBIT', 'missing', '4294967295'], ['GETBIT', 'k', '4294967296'],
      ['BITFIELD', 'k', 'GET', 'u63', '4294967295', 'GET', 'i64', '4294967295'], ['BITFIELD_RO', 'k', 'GET', 'u8', '#536870911'],
      ['BITFIELD', 'k', 'GET', 'u8', '#536870912'], ['BITFIELD', 'k', 'GET', 'i64', '#67108863'], ['BITFIELD', 'k', 'GET', 'i64', '#67108864'],
      ['SETBIT', 'k', '4294967296', '1'], ['SETBIT', 'k', '18446744073709551615', '1'],
      ['BITFIELD', 'k', 'SET', 'u8', '4294967296', '1'], ['BITFIELD', 'k', 'INCRBY', 'i64', '#67108864', '1'], ['GET', 'k'],
    ]);
  });

  it('follows proto-max-bulk-len for where writes may reach', async () => {
    const limitBits = 1024 * 1024 * 8;
    await all([
      ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'],
      ['SETBIT', 'k', String(limitBits), '1'], ['GETBIT', 'k', String(limitBits)], ['EXISTS', 'k'],
      ['SETBIT', 'k', String(limitBits - 1), '1'], ['STRLEN', 'k'], ['OBJECT', 'ENCODING', 'k'], ['DEBUG', 'SDSLEN', 'k'],
      ['BITCOUNT', 'k'], ['BITCOUNT', 'k', '-1', '-1'], ['BITPOS', 'k', '1'], ['BITPOS', 'k', '0', '-1'], ['BITPOS', 'k', '1', '-8', '-1', 'BIT'],
      ['GETBIT', 'k', String(limitBits - 1)], ['SETBIT', 'k', String(limitBits - 1), '0'], ['BITCOUNT', 'k'],
      // BITFIELD checks the offset only: a field starting just below the limit may end past it
      ['BITFIELD', 'k', 'SET', 'u16', String(limitBits - 8), '65535'], ['STRLEN', 'k'], ['DEBUG', 'SDSLEN', 'k'],
      ['BITFIELD', 'k', 'GET', 'u16', String(limitBits - 8)], ['BITFIELD', 'k', 'GET', 'u8', String(limitBits)],
      ['BITFIELD', 'k2', 'SET', 'i64', '#131071', '-1'], ['STRLEN', 'k2'], ['BITFIELD', 'k2', 'SET', 'i64', '#131072', '-1'],
      ['SET', 'small', 'x'], ['SETBIT', 'small', '100000', '1'], ['DEBUG', 'SDSLEN', 'small'], ['SETBIT', 'small', '200000', '1'],
      ['DEBUG', 'SDSLEN', 'small'], ['BITOP', 'NOT', 'inv', 'k'], ['BITCOUNT', 'inv'], ['DEBUG', 'SDSLEN', 'inv'],
      ['BITOP', 'AND', 'both', 'k', 'inv'], ['BITCOUNT', 'both'], ['BITPOS', 'both', '1'], ['BITPOS', 'inv', '0'],
      ['CONFIG', 'SET', 'proto-max-bulk-len', '4gb'], ['GETBIT', 'k', '34359738367'], ['GETBIT', 'k', '34359738368'],
      ['BITFIELD_RO', 'k', 'GET', 'i64', '34359738360'],
    ]);
  });
});

describe('RESP3', () => {
  it('replies integers, arrays and nulls alike', async () => {
    const c = await pair.connect();
    await c.both('HELLO', '3');
    for (const cmd of [
      ['SETBIT', 'k', '3', '1'], ['GETBIT', 'k', '3'], ['BITCOUNT', 'k'], ['BITPOS', 'k', '1'], ['BITPOS', 'k', '0', '0', '0'],
      ['BITOP', 'NOT', 'd', 'k'], ['BITOP', 'AND', 'd', 'missing'],
      ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '9', 'GET', 'i8', '0', 'SET', 'i64', '0', '-5'],
      ['BITFIELD', 'k'], ['BITFIELD_RO', 'k', 'GET', 'u4', '#1'], ['BITFIELD', 'k', 'GET', 'u64', '0'],
      ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'u1', '0', '2'],
    ] as Command[]) await c.check(...cmd);
    c.close();
  });
});

describe('side effects', () => {
  it('fires the same keyspace events and counts the same hits, misses and changes', async () => {
    const script: Command[] = [
      ['SETBIT', 'b', '5', '1'], ['SETBIT', 'b', '5', '1'], ['SETBIT', 'b', '5', '0'], ['SETBIT', 'b', '5', '0'],
      ['SETBIT', 'b', '30', '0'], ['SETBIT', 'b', '2', '0'], ['SETBIT', 'b', 'x', '1'], ['GETBIT', 'b', '0'], ['GETBIT', 'none', '0'],
      ['SET', 'n', '12'], ['SETBIT', 'n', '0', '0'], ['SETBIT', 'n', '7', '1'],
      ['BITCOUNT', 'b'], ['BITCOUNT', 'none'], ['BITCOUNT', 'b', '0', 'x'], ['BITPOS', 'b', '1'], ['BITPOS', 'none', '1'],
      ['BITPOS', 'b', '3'],
      ['BITOP', 'OR', 'd', 'b', 'none'], ['BITOP', 'OR', 'd', 'b'], ['BITOP', 'AND', 'd', 'none'], ['BITOP', 'AND', 'd', 'none'],
      ['BITOP', 'XOR', 'n', 'n', 'b'], ['BITOP', 'NOT', 'd', 'b', 'b'], ['BITOP', 'BAD', 'd', 'b'],
      ['BITFIELD', 'f', 'GET', 'u8', '0'], ['BITFIELD', 'f', 'SET', 'u8', '0', '0'], ['BITFIELD', 'f', 'SET', 'u8', '0', '0'],
      ['BITFIELD', 'f', 'SET', 'u8', '0', '1', 'INCRBY', 'u8', '0', '1', 'SET', 'u8', '8', '0', 'GET', 'u8', '0'],
      ['BITFIELD', 'f', 'INCRBY', 'u8', '0', '0'], ['BITFIELD', 'f', 'SET', 'u4', '60', '0', 'SET', 'u4', '0', '0'],
      ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1000'], ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '200', '1000'],
      ['BITFIELD_RO', 'f', 'GET', 'u8', '0'], ['BITFIELD_RO', 'none', 'GET', 'u8', '0'], ['BITFIELD', 'none'],
      ['BITFIELD', 'f', 'GET', 'u8', 'x'], ['BITFIELD_RO', 'f', 'SET', 'u8', '0', '1'],
      ['LPUSH', 'l', 'x'], ['SETBIT', 'l', '0', '1'], ['BITFIELD', 'l', 'SET', 'u8', '0', '1'], ['BITFIELD', 'l', 'GET', 'u8', '0'],
      ['BITOP', 'OR', 'l', 'b'], ['BITOP', 'OR', 'd', 'l'], ['BITCOUNT', 'l'], ['GETBIT', 'l', '0'],
      // logically expired destinations: an empty result deletes without expiring first
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'x1', 'v', 'PX', '1'], ['SET', 'x2', 'v', 'PX', '1'], ['DEBUG', 'SLEEP', '0.01'],
      ['BITOP', 'AND', 'x1', 'none'], ['BITOP', 'OR', 'x2', 'b'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ];
    await expectSameSideEffects(pair, script);
  });
});

describe('random stream', () => {
  it('agrees on thousands of random bitmap commands', async () => {
    const rnd = new SeededRandom(20240817);
    const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)];
    const keys = ['b0', 'b1', 'b2', 'b3', 'n', 'lst'];
    const key = () => (rnd.below(12) === 0 ? pick(['lst', 'missing']) : pick(keys.slice(0, 5)));
    const offset = () => String(rnd.below(4) === 0 ? rnd.below(2000) : rnd.below(80));
    const index = () => pick(['0', '1', '2', '-1', '-2', '3', '-5', '10', '-20', '100', String(rnd.below(200) - 100)]);
    const type = () => (rnd.below(2) ? 'i' : 'u') + String(1 + rnd.below(63));
    const fieldOffset = () => (rnd.below(5) === 0 ? '#' + rnd.below(20) : offset());
    const number = () => pick(['0', '1', '-1', '7', '-8', '127', '-128', '255', '1000', '-70000', '9223372036854775807',
      '-9223372036854775808', String(rnd.nextU32()), String(-rnd.nextU32()), String(rnd.below(512) - 256)]);
    const value = (): string => {
      switch (rnd.below(5)) {
        case 0: return String(rnd.below(100000) - 50000);
        case 1: return 'x'.repeat(pick([0, 1, 43, 44, 45, 60]));
        default: return Array.from({ length: rnd.below(20) }, () => String.fromCharCode(pick([0, 255, 0x0f, 0xf0, rnd.below(256)]))).join('');
      }
    };
    const fieldOps = (): string[] => {
      const ops: string[] = [];
      for (let i = 1 + rnd.below(4); i > 0; i--) {
        switch (rnd.below(5)) {
          case 0: ops.push('OVERFLOW', pick(['WRAP', 'SAT', 'FAIL'])); break;
          case 1: case 2: ops.push('GET', type(), fieldOffset()); break;
          case 3: ops.push('SET', type(), fieldOffset(), number()); break;
          default: ops.push('INCRBY', type(), fieldOffset(), number());
        }
      }
      return ops;
    };
    const gen = (): Command => {
      const k = key();
      switch (rnd.below(24)) {
        case 0: case 1: case 2: case 3: return ['SETBIT', k, offset(), String(rnd.below(2))];
        case 4: case 5: return ['GETBIT', k, offset()];
        case 6: return ['BITCOUNT', k];
        case 7: return ['BITCOUNT', k, index(), index()];
        case 8: return ['BITCOUNT', k, index(), index(), pick(['BIT', 'BYTE'])];
        case 9: return ['BITPOS', k, String(rnd.below(2))];
        case 10: return ['BITPOS', k, String(rnd.below(2)), index()];
        case 11: return ['BITPOS', k, String(rnd.below(2)), index(), index()];
        case 12: return ['BITPOS', k, String(rnd.below(2)), index(), index(), pick(['BIT', 'BYTE'])];
        case 13: case 14: return ['BITOP', pick(['AND', 'OR', 'XOR']), key(), ...Array.from({ length: 1 + rnd.below(3) }, key)];
        case 15: return ['BITOP', 'NOT', key(), key()];
        case 16: case 17: case 18: return ['BITFIELD', k, ...fieldOps()];
        case 19: return ['BITFIELD_RO', k, 'GET', type(), fieldOffset()];
        case 20: return ['SET', k === 'lst' ? 'b0' : k, value()];
        case 21: return pick<Command>([['GET', k], ['STRLEN', k], ['OBJECT', 'ENCODING', k]]);
        case 22: return ['DEBUG', 'SDSLEN', k];
        default: return rnd.below(4) === 0 ? ['DEL', k] : ['RPUSH', 'lst', 'x'];
      }
    };
    const commands = Array.from({ length: 5000 }, gen);
    await checkRandomStream(pair.main, commands.map(wire));
  });
});

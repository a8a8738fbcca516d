// Bitmap commands inside the engine: the keyspace events and modified-key signals they fire, the
// dirty counts (as bitops.c does them; the events and counts match real Redis in
// test/differential/bitops.test.ts), the objects they leave behind, and the engine's own limit
// on string length.
import { describe, expect, it } from 'vitest';
// The harness (the server) first: command modules are only safe to import after it.
import { EngineHarness } from '../../support/engineHarness.ts';
import { sdsAvail } from '../../../src/engine/ds/sds.ts';
import { MAX_ENGINE_STRING } from '../../../src/engine/commands/string.ts';
import { objectRefcount, OBJ_SHARED_REFCOUNT, type StringObject } from '../../../src/engine/server/stringObject.ts';

/** Runs one command and returns the events it fired and how much it dirtied the dataset. */
function effects(h: EngineHarness, events: string[], ...argv: string[]): { events: string[]; dirty: number } {
  events.length = 0;
  const before = h.server.dirty;
  h.raw(...argv);
  return { events: [...events], dirty: h.server.dirty - before };
}

const obj = (h: EngineHarness, key: string) => h.object(key) as StringObject;
/** RESP2 bytes of an integer reply, and of an array of integers (null: a null bulk). */
const int = (n: number | bigint | string) => `:${n}\r\n`;
const ints = (...ns: (number | bigint | string | null)[]) => `*${ns.length}\r\n` + ns.map((n) => (n === null ? '$-1\r\n' : int(n))).join('');
const OFFSET_ERR = '-ERR bit offset is not an integer or out of range\r\n';

describe('keyspace events, signals and dirty counts', () => {
  it('SETBIT fires only when the string is created, grown or a bit flips', () => {
    const h = new EngineHarness();
    const ev = h.recordEvents();
    expect(effects(h, ev, 'SETBIT', 'k', '3', '0')).toEqual({ events: ['new:k', 'signal:k', 'setbit:k'], dirty: 1 });
    expect(effects(h, ev, 'SETBIT', 'k', '3', '0')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'SETBIT', 'k', '3', '1')).toEqual({ events: ['signal:k', 'setbit:k'], dirty: 1 });
    expect(effects(h, ev, 'SETBIT', 'k', '3', '1')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'SETBIT', 'k', '20', '0')).toEqual({ events: ['signal:k', 'setbit:k'], dirty: 1 });
    expect(effects(h, ev, 'SETBIT', 'k', 'x', '1')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'GETBIT', 'k', '3')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'GETBIT', 'none', '3')).toEqual({ events: ['keymiss:none'], dirty: 0 });
  });

  it('BITOP fires "set" for a result and "del" for an empty one', () => {
    const h = new EngineHarness();
    h.run('SET', 'a', 'x');
    const ev = h.recordEvents();
    expect(effects(h, ev, 'BITOP', 'OR', 'd', 'a')).toEqual({ events: ['new:d', 'signal:d', 'set:d'], dirty: 1 });
    expect(effects(h, ev, 'BITOP', 'OR', 'd', 'a')).toEqual({ events: ['signal:d', 'set:d'], dirty: 1 });
    expect(effects(h, ev, 'BITOP', 'AND', 'd', 'none')).toEqual({ events: ['keymiss:none', 'signal:d', 'del:d'], dirty: 1 });
    expect(effects(h, ev, 'BITOP', 'AND', 'd', 'none')).toEqual({ events: ['keymiss:none'], dirty: 0 });
  });

  it('BITOP deletes a logically expired destination without an "expired" event, but expires one it overwrites', () => {
    const h = new EngineHarness();
    h.run('SET', 'a', 'x');
    h.run('SET', 'd', 'v', 'PX', '1');
    h.run('SET', 'e', 'v', 'PX', '1');
    h.clock.advance(10);
    const ev = h.recordEvents();
    expect(effects(h, ev, 'BITOP', 'AND', 'd', 'none')).toEqual({ events: ['keymiss:none', 'signal:d', 'del:d'], dirty: 1 });
    expect(effects(h, ev, 'BITOP', 'OR', 'e', 'a')).toEqual({
      events: ['expired:e', 'signal:e', 'new:e', 'signal:e', 'set:e'], dirty: 1,
    });
  });

  it('BITFIELD counts each changing write and fires one "setbit"', () => {
    const h = new EngineHarness();
    const ev = h.recordEvents();
    expect(effects(h, ev, 'BITFIELD', 'f', 'GET', 'u8', '0')).toEqual({ events: ['keymiss:f'], dirty: 0 });
    // A created string makes every write a change, even one storing zeros.
    expect(effects(h, ev, 'BITFIELD', 'f', 'SET', 'u8', '0', '0', 'SET', 'u8', '8', '0')).toEqual({
      events: ['new:f', 'signal:f', 'setbit:f'], dirty: 2,
    });
    expect(effects(h, ev, 'BITFIELD', 'f', 'SET', 'u8', '0', '0', 'INCRBY', 'u8', '0', '0')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'BITFIELD', 'f', 'SET', 'u8', '0', '1', 'INCRBY', 'u8', '0', '1', 'SET', 'u8', '8', '0')).toEqual({
      events: ['signal:f', 'setbit:f'], dirty: 2,
    });
    // FAIL writes nothing; growing the string alone is no change either.
    expect(effects(h, ev, 'BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '100', '9')).toEqual({ events: [], dirty: 0 });
    expect(h.raw('STRLEN', 'f')).toBe(int(13));
    expect(effects(h, ev, 'BITFIELD_RO', 'f', 'SET', 'u8', '0', '1')).toEqual({ events: [], dirty: 0 });
  });
});

describe('string objects', () => {
  it('SETBIT on a missing key makes an exact-size raw string', () => {
    const h = new EngineHarness();
    h.run('SETBIT', 'k', '17', '1');
    const o = obj(h, 'k');
    expect(o.encoding).toBe('raw');
    expect(o.value).toBe('\x00\x00\x40');
    expect(o.sds && sdsAvail(o.sds)).toBe(0);
    // Growing it is greedy: room for twice the new length.
    h.run('SETBIT', 'k', '40', '1');
    expect(obj(h, 'k').value).toBe('\x00\x00\x40\x00\x00\x80');
    expect(obj(h, 'k').sds?.alloc).toBeGreaterThanOrEqual(12);
  });

  it('writing into a shared integer gives the key a private raw copy', () => {
    const h = new EngineHarness();
    h.run('SET', 'a', '42');
    h.run('SET', 'b', '42');
    const shared = obj(h, 'a');
    expect(objectRefcount(shared)).toBe(OBJ_SHARED_REFCOUNT);
    expect(h.raw('SETBIT', 'a', '0', '0')).toBe(int(0));
    expect(obj(h, 'a')).not.toBe(shared);
    expect(obj(h, 'a').encoding).toBe('raw');
    expect(obj(h, 'b')).toBe(shared);
    expect(shared.value).toBe('42');
    h.run('BITFIELD', 'b', 'SET', 'u8', '0', '53');
    expect(obj(h, 'b').value).toBe('52');
    expect(shared.value).toBe('42');
  });

  it('BITFIELD with only GETs leaves an embstr value alone', () => {
    const h = new EngineHarness();
    h.run('SET', 'e', 'hi');
    const before = obj(h, 'e');
    expect(h.raw('BITFIELD', 'e', 'GET', 'u8', '0', 'GET', 'u16', '0')).toBe(ints(104, 26729));
    expect(obj(h, 'e')).toBe(before);
    expect(before.encoding).toBe('embstr');
  });
});

describe('BITFIELD arithmetic', () => {
  it('keeps the C overflow checks, quirks included', () => {
    const h = new EngineHarness();
    // Within 127 of INT64_MIN, Redis's wrapped subtraction reports an overflow: SAT stores the maximum.
    expect(h.raw('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775808', 'GET', 'i8', '0')).toBe(ints(0, 127));
    expect(h.raw('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775680', 'GET', 'i8', '0')).toBe(ints(127, -128));
    expect(h.raw('BITFIELD', 'k', 'SET', 'i8', '0', '-200', 'GET', 'i8', '0')).toBe(ints(-128, 56));
    expect(h.raw('BITFIELD', 'k', 'SET', 'u8', '0', '-1', 'GET', 'u8', '0')).toBe(ints(56, 255));
    const max = '9223372036854775807';
    expect(h.raw('BITFIELD', 'w', 'INCRBY', 'i64', '0', max, 'INCRBY', 'i64', '0', max)).toBe(ints(max, -2));
    expect(h.raw('BITFIELD', 'w', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', max, 'INCRBY', 'i64', '0', max,
      'INCRBY', 'u63', '1', '-9223372036854775808', 'INCRBY', 'u63', '1', '1')).toBe(ints('9223372036854775805', max, 0, 1));
  });

  it('"#n" offsets multiply in 64 bits and may wrap onto a small offset', () => {
    const h = new EngineHarness();
    h.run('SET', 's', 'ab');
    expect(h.raw('BITFIELD', 's', 'GET', 'u8', '#2305843009213693953', 'GET', 'u8', '#1')).toBe(ints(98, 98));
  });

  it('replies a RESP3 null when FAIL refuses a write', () => {
    const h = new EngineHarness();
    h.setProtocol(3);
    expect(h.raw('BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '4', 'GET', 'u2', '0')).toBe('*2\r\n_\r\n:0\r\n');
  });
});

describe('large bitmaps', () => {
  it('counts and searches a megabyte bitmap', () => {
    const h = new EngineHarness();
    const last = 8 * 1024 * 1024 - 1;
    h.run('SETBIT', 'big', String(last), '1');
    h.run('SETBIT', 'big', '12345', '1');
    expect(h.raw('STRLEN', 'big')).toBe(int(1024 * 1024));
    expect(h.raw('BITCOUNT', 'big')).toBe(int(2));
    expect(h.raw('BITPOS', 'big', '1', '2000')).toBe(int(last));
    expect(h.raw('BITPOS', 'big', '1', '12346', '-1', 'BIT')).toBe(int(last));
    expect(h.raw('BITPOS', 'big', '0', '-1')).toBe(int(last - 7));
    expect(h.raw('BITOP', 'NOT', 'inv', 'big')).toBe(int(1024 * 1024));
    expect(h.raw('BITCOUNT', 'inv')).toBe(int(last + 1 - 2));
  });

  it('refuses writes past the longest string a JS engine can hold (Redis would allocate them)', () => {
    const h = new EngineHarness();
    const firstBad = MAX_ENGINE_STRING * 8;
    expect(h.raw('SETBIT', 'k', String(firstBad), '1')).toBe(OFFSET_ERR);
    expect(h.raw('BITFIELD', 'k', 'SET', 'u8', String(firstBad - 7), '1')).toBe(OFFSET_ERR);
    expect(h.raw('EXISTS', 'k')).toBe(int(0));
    // Reads that far are fine.
    expect(h.raw('GETBIT', 'k', '4294967295')).toBe(int(0));
  });
});

import { describe, expect, it } from 'vitest';
// The harness (the server) first: command modules are only safe to import after it.
import { EngineHarness } from '../../support/engineHarness.ts';
import { sdsAvail } from '../../../src/engine/ds/sds.ts';
import {
  OBJ_SHARED_REFCOUNT,
  objectRefcount,
  stringObjectMemory,
  stringObjectSds,
  type StringObject,
} from '../../../src/engine/server/stringObject.ts';

/** Runs one command and returns the events it fired and how much it dirtied the dataset. */
function effects(h: EngineHarness, events: string[], ...argv: string[]): { events: string[]; dirty: number } {
  events.length = 0;
  const before = h.server.dirty;
  h.raw(...argv);
  return { events: [...events], dirty: h.server.dirty - before };
}

describe('keyspace events, signals and dirty counts', () => {
  it('fires what Redis fires, in the same order', () => {
    const h = new EngineHarness();
    const ev = h.recordEvents();
    expect(effects(h, ev, 'SET', 'k', 'v')).toEqual({ events: ['new:k', 'signal:k', 'set:k'], dirty: 1 });
    expect(effects(h, ev, 'SET', 'k', 'v', 'EX', '10')).toEqual({ events: ['signal:k', 'set:k', 'expire:k'], dirty: 1 });
    expect(effects(h, ev, 'SET', 'k', 'v', 'NX')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'SETNX', 'k', 'v')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'GETEX', 'k', 'PERSIST')).toEqual({ events: ['signal:k', 'persist:k'], dirty: 1 });
    expect(effects(h, ev, 'GETEX', 'k', 'PERSIST')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'GETEX', 'k', 'EX', '5')).toEqual({ events: ['signal:k', 'expire:k'], dirty: 1 });
    expect(effects(h, ev, 'GETEX', 'k', 'EXAT', '1')).toEqual({ events: ['signal:k', 'del:k'], dirty: 1 });
    expect(effects(h, ev, 'MSET', 'a', '1', 'b', '2')).toEqual({ events: ['new:a', 'signal:a', 'set:a', 'new:b', 'signal:b', 'set:b'], dirty: 2 });
    expect(effects(h, ev, 'MSETNX', 'a', '1', 'c', '2')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'GETSET', 'a', '5')).toEqual({ events: ['signal:a', 'set:a'], dirty: 1 });
    expect(effects(h, ev, 'GETDEL', 'a')).toEqual({ events: ['signal:a', 'del:a'], dirty: 1 });
    expect(effects(h, ev, 'GETDEL', 'a')).toEqual({ events: ['keymiss:a'], dirty: 0 });
    expect(effects(h, ev, 'APPEND', 'a', 'x')).toEqual({ events: ['new:a', 'signal:a', 'append:a'], dirty: 1 });
    expect(effects(h, ev, 'SETRANGE', 'a', '3', '')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'SETRANGE', 'a', '3', 'y')).toEqual({ events: ['signal:a', 'setrange:a'], dirty: 1 });
    expect(effects(h, ev, 'INCR', 'n')).toEqual({ events: ['new:n', 'signal:n', 'incrby:n'], dirty: 1 });
    expect(effects(h, ev, 'DECRBY', 'n', '5')).toEqual({ events: ['signal:n', 'incrby:n'], dirty: 1 });
    expect(effects(h, ev, 'INCRBYFLOAT', 'n', '1.5')).toEqual({ events: ['signal:n', 'incrbyfloat:n'], dirty: 1 });
    expect(effects(h, ev, 'INCR', 'a')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'GET', 'n')).toEqual({ events: [], dirty: 0 });
    expect(effects(h, ev, 'LCS', 'n', 'a')).toEqual({ events: [], dirty: 0 });
  });
});

describe('string objects', () => {
  const obj = (h: EngineHarness, key: string) => h.object(key) as StringObject;

  it('shares the integers 0..9999 between keys', () => {
    const h = new EngineHarness();
    h.run('SET', 'a', '42');
    h.run('MSET', 'b', '42', 'c', '10000');
    expect(obj(h, 'a')).toBe(obj(h, 'b'));
    expect(objectRefcount(obj(h, 'a'))).toBe(OBJ_SHARED_REFCOUNT);
    expect(objectRefcount(obj(h, 'c'))).toBe(1);
    // Changing one key never changes the shared object.
    h.run('INCR', 'a');
    h.run('APPEND', 'b', '0');
    expect(h.run('MGET', 'a', 'b')).toEqual({ t: 'array', v: [{ t: 'bulk', v: '43' }, { t: 'bulk', v: '420' }] });
    h.run('SET', 'd', '42');
    expect(obj(h, 'd').value).toBe('42');
    expect(obj(h, 'd').shared).toBe(true);
  });

  it('keeps the access time on the shared object, as Redis does', () => {
    const h = new EngineHarness();
    const clock = h.clock;
    clock.advance(100_000);
    h.run('SET', 'a', '7');
    // Created at server start and not touched by SET: idle since then.
    expect(h.server.objectIdleMs(obj(h, 'a'))).toBe(100_000);
    clock.advance(5_000);
    h.run('GET', 'a');
    h.run('SET', 'b', '7');
    expect(h.server.objectIdleMs(obj(h, 'b'))).toBe(0);
  });

  it('updates a private int in place and shares small results', () => {
    const h = new EngineHarness();
    h.run('SET', 'n', '20000');
    const before = obj(h, 'n');
    h.run('INCR', 'n');
    expect(obj(h, 'n')).toBe(before);
    expect(before.value).toBe('20001');
    h.run('DECRBY', 'n', '20000');
    expect(obj(h, 'n')).not.toBe(before);
    expect(obj(h, 'n').shared).toBe(true);
  });

  it('models the sds of values changed in place', () => {
    const h = new EngineHarness();
    h.run('SET', 'k', 'x'.repeat(50));
    const sds = () => {
      const s = stringObjectSds(obj(h, 'k'))!;
      return { len: s.len, avail: sdsAvail(s), zmalloc: s.zmalloc };
    };
    expect(sds()).toEqual({ len: 50, avail: 0, zmalloc: 64 });
    h.run('APPEND', 'k', 'y');
    expect(sds()).toEqual({ len: 51, avail: 57, zmalloc: 112 });
    h.run('SETRANGE', 'k', '100', 'z');
    expect(sds()).toEqual({ len: 101, avail: 7, zmalloc: 112 }); // fits in the spare room
    h.run('SETRANGE', 'k', '200', 'z');
    expect(sds()).toEqual({ len: 201, avail: 241, zmalloc: 448 }); // doubles, with a wider sds16 header
    expect(stringObjectMemory(obj(h, 'k'))).toBe(16 + 448);
    h.run('SET', 'k', '123');
    expect(stringObjectSds(obj(h, 'k'))).toBeNull();
  });

  it('stores INCRBYFLOAT results as strings, never int', () => {
    const h = new EngineHarness();
    h.run('INCRBYFLOAT', 'f', '3');
    expect(h.encoding('f')).toBe('embstr');
    h.run('INCRBYFLOAT', 'f', '1e60');
    expect(h.encoding('f')).toBe('raw');
  });

  it('keeps big expire times exact enough to compare', () => {
    const h = new EngineHarness();
    expect(h.run('SET', 'k', 'v', 'PXAT', '9223372036854775807')).toEqual({ t: 'status', v: 'OK' });
    expect(h.server.dbs[0].getExpire('k')).toBeGreaterThan(9.2e18);
    expect(h.run('SET', 'k', 'v', 'PX', '9223372036854775807')).toEqual({
      t: 'error', v: "ERR invalid expire time in 'set' command" });
  });
});

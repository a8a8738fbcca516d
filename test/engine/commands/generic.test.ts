// Generic commands inside the engine: the keyspace events they fire (names, order, databases —
// recorded from real Redis 7.0.15 with notify-keyspace-events EAnm), server.dirty, and effects
// that replies alone do not show (access times, WATCH invalidation hooks, stats).
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import type { Db } from '../../../src/engine/server/db.ts';

function withEvents(h: EngineHarness): string[] {
  const events: string[] = [];
  h.server.notifyKeyspaceEvent = (_type, event, key, dbid) => { events.push(`${dbid}:${event}=${key}`); };
  return events;
}

describe('keyspace events', () => {
  it('fires what Redis fires, in order', () => {
    const h = new EngineHarness();
    const events = withEvents(h);
    const clock = h.clock;
    for (const cmd of [
      ['SET', 'a', '1'], ['RENAME', 'a', 'b'], ['SET', 'c', '1'], ['RENAMENX', 'b', 'c'], ['MOVE', 'b', '1'],
      ['COPY', 'c', 'd'], ['COPY', 'c', 'd', 'REPLACE'], ['EXPIRE', 'd', '100'], ['PERSIST', 'd'], ['EXPIRE', 'd', '0'],
      ['GET', 'nokey'], ['DEL', 'c', 'nokey'], ['SET', 'e', '1', 'PX', '1'],
    ]) h.run(...cmd);
    clock.advance(50);
    for (const cmd of [
      ['EXISTS', 'e'], ['SET', 'f', '1'], ['SWAPDB', '0', '1'], ['FLUSHALL'], ['OBJECT', 'ENCODING', 'nokey'],
      ['TYPE', 'nokey'], ['TTL', 'nokey'], ['EXISTS', 'nokey'], ['TOUCH', 'nokey'], ['SET', 'g', '1'], ['RENAME', 'g', 'g'],
    ]) h.run(...cmd);
    expect(events.join(' ')).toBe([
      '0:new=a', '0:set=a', '0:new=b', '0:rename_from=a', '0:rename_to=b', '0:new=c', '0:set=c', '1:new=b',
      '0:move_from=b', '1:move_to=b', '0:new=d', '0:copy_to=d', '0:new=d', '0:copy_to=d', '0:expire=d',
      '0:persist=d', '0:del=d', '0:keymiss=nokey', '0:del=c', '0:new=e', '0:set=e', '0:expire=e', '0:expired=e',
      '0:keymiss=e', '0:new=f', '0:set=f', '0:keymiss=nokey', '0:keymiss=nokey', '0:keymiss=nokey',
      '0:keymiss=nokey', '0:new=g', '0:set=g',
    ].join(' '));
  });

  it('active expiry fires "expired" for each key it deletes', () => {
    const h = new EngineHarness();
    const events = withEvents(h);
    h.run('SELECT', '2');
    for (let i = 0; i < 5; i++) h.run('SET', `k${i}`, 'v', 'PX', '10');
    events.length = 0;
    h.clock.advance(100);
    h.server.cron();
    expect(events.sort()).toEqual(['2:expired=k0', '2:expired=k1', '2:expired=k2', '2:expired=k3', '2:expired=k4']);
  });
});

describe('server.dirty and signals', () => {
  it('counts changes as Redis does', () => {
    const h = new EngineHarness();
    const dirty = (...cmd: string[]) => { const before = h.server.dirty; h.run(...cmd); return h.server.dirty - before; };
    h.run('SET', 'a', '1');
    h.run('SET', 'b', '1');
    expect(dirty('DEL', 'a', 'b', 'zz')).toBe(2);
    h.run('SET', 'a', '1');
    expect(dirty('RENAME', 'a', 'b')).toBe(1);
    expect(dirty('RENAME', 'b', 'b')).toBe(0);
    expect(dirty('EXPIRE', 'b', '100')).toBe(1);
    expect(dirty('EXPIRE', 'b', '100', 'NX')).toBe(0);
    expect(dirty('PERSIST', 'b')).toBe(1);
    expect(dirty('PERSIST', 'b')).toBe(0);
    expect(dirty('COPY', 'b', 'c')).toBe(1);
    expect(dirty('MOVE', 'c', '3')).toBe(1);
    expect(dirty('SWAPDB', '0', '0')).toBe(1);
    expect(dirty('EXPIRE', 'b', '-1')).toBe(1);
    h.run('SET', 'x', '1');
    h.run('SET', 'y', '1');
    expect(dirty('FLUSHDB')).toBe(2);
    expect(dirty('FLUSHALL')).toBe(1); // c in db 3
    expect(dirty('FLUSHALL', 'x')).toBe(0);
  });

  it('signals modified keys and flushed databases', () => {
    const h = new EngineHarness();
    const modified: string[] = [];
    const touched: string[] = [];
    h.server.signalModifiedKey = (_c, db: Db, key: string) => { modified.push(`${db.id}:${key}`); };
    h.server.touchAllWatchedKeysInDb = (emptied: Db, other: Db | null) => { touched.push(`${emptied.id}/${other?.id ?? '-'}`); };
    h.run('SET', 'a', '1');
    modified.length = 0;
    h.run('RENAME', 'a', 'b');
    h.run('MOVE', 'b', '1');
    h.run('DEL', 'nokey');
    expect(modified).toEqual(['0:a', '0:b', '0:b', '1:b']);
    h.run('SWAPDB', '0', '1');
    h.run('FLUSHDB');
    expect(touched.slice(0, 3)).toEqual(['0/1', '1/0', '0/-']);
    touched.length = 0;
    h.run('FLUSHALL');
    expect(touched.length).toBe(16);
  });
});

describe('access times and stats', () => {
  it('lookups that touch, and lookups that do not', () => {
    const h = new EngineHarness();
    const clock = h.clock;
    h.run('SET', 'a', 'hello');
    clock.advance(10_000);
    expect(h.raw('OBJECT', 'IDLETIME', 'a')).toBe(':10\r\n');
    h.run('TYPE', 'a');
    h.run('EXISTS', 'a');
    h.run('TTL', 'a');
    h.run('OBJECT', 'ENCODING', 'a');
    expect(h.raw('OBJECT', 'IDLETIME', 'a')).toBe(':10\r\n');
    h.run('RENAME', 'a', 'b'); // the write lookup touches the source
    expect(h.raw('OBJECT', 'IDLETIME', 'b')).toBe(':0\r\n');
    clock.advance(3_000);
    h.run('COPY', 'b', 'c'); // COPY reads (and touches) b; c is new
    clock.advance(2_000);
    expect(h.raw('OBJECT', 'IDLETIME', 'b')).toBe(':2\r\n');
    expect(h.raw('OBJECT', 'IDLETIME', 'c')).toBe(':2\r\n');
    h.run('TOUCH', 'b');
    expect(h.raw('OBJECT', 'IDLETIME', 'b')).toBe(':0\r\n');
  });

  it('under LFU, RENAME and MOVE keep the counter, COPY starts a new one, SET inherits it', () => {
    const h = new EngineHarness({ config: { 'maxmemory-policy': 'allkeys-lfu' } });
    const freq = (k: string) => Number(/^:(\d+)/.exec(h.raw('OBJECT', 'FREQ', k))![1]);
    h.run('SET', 'a', 'hello');
    expect(freq('a')).toBe(5);
    for (let i = 0; i < 300; i++) h.run('GET', 'a');
    const hot = freq('a');
    expect(hot).toBeGreaterThan(6);
    h.run('RENAME', 'a', 'b');
    expect(freq('b')).toBeGreaterThanOrEqual(hot);
    h.run('MOVE', 'b', '1');
    h.run('SELECT', '1');
    expect(freq('b')).toBeGreaterThanOrEqual(hot);
    h.run('COPY', 'b', 'c');
    expect(freq('c')).toBe(5);
    h.run('SET', 'b', 'replaced');
    expect(freq('b')).toBeGreaterThanOrEqual(hot);
  });

  it('counts keyspace hits and misses like Redis', () => {
    const h = new EngineHarness();
    const stats = h.server.stats;
    h.run('SET', 'a', '1');
    const hits = stats.keyspaceHits, misses = stats.keyspaceMisses;
    h.run('EXISTS', 'a', 'nokey'); // read lookups: 1 hit, 1 miss
    h.run('TYPE', 'nokey'); // miss
    h.run('OBJECT', 'ENCODING', 'a'); // hit (OBJECT counts, only skips touch and keymiss)
    h.run('DEL', 'nokey'); // no lookup
    h.run('RENAME', 'a', 'b'); // write lookups: not counted
    h.run('EXPIRE', 'b', '100'); // write lookup
    h.run('TTL', 'b'); // hit
    expect(stats.keyspaceHits - hits).toBe(3);
    expect(stats.keyspaceMisses - misses).toBe(2);
  });

  it('lazy expiry counts expired keys; KEYS leaves expired keys in place', () => {
    const h = new EngineHarness();
    const clock = h.clock;
    h.server.activeExpireEnabled = false;
    h.run('SET', 'a', '1', 'PX', '100');
    h.run('SET', 'b', '1', 'PX', '100');
    h.run('SET', 'c', '1');
    clock.advance(200);
    expect(h.raw('KEYS', '*')).toBe('*1\r\n$1\r\nc\r\n');
    expect(h.server.dbs[0].size).toBe(3);
    expect(h.server.stats.expiredKeys).toBe(0);
    expect(h.raw('DEL', 'a')).toBe(':0\r\n');
    expect(h.server.stats.expiredKeys).toBe(1);
    h.run('SCAN', '0');
    expect(h.server.dbs[0].size).toBe(1);
    expect(h.server.stats.expiredKeys).toBe(2);
  });

  it('PEXPIREAT beyond 2^53 stays exact', () => {
    const h = new EngineHarness();
    h.run('SET', 'k', 'v');
    h.run('PEXPIREAT', 'k', '9007199254740993');
    expect(h.raw('PEXPIRETIME', 'k')).toBe(':9007199254740993\r\n');
    h.run('RENAME', 'k', 'j');
    expect(h.raw('PEXPIRETIME', 'j')).toBe(':9007199254740993\r\n');
    expect(h.raw('PEXPIREAT', 'j', '9007199254740992', 'LT')).toBe(':1\r\n');
    expect(h.raw('PEXPIREAT', 'j', '9007199254740993', 'LT')).toBe(':0\r\n');
    expect(h.raw('PEXPIRETIME', 'j')).toBe(':9007199254740992\r\n');
  });
});

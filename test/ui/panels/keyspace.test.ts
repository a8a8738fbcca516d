// The keyspace overview's logic without a page: the filter box as a glob, key quoting, TTL text,
// and the watcher that keeps a snapshot fresh from the engine's events: coalesced while a query
// runs, paced by how long queries take, flashing changed keys, re-reading while TTLs are shown.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import { globMatch } from '../../../src/engine/server/glob.ts';
import { keyspaceSnapshot, type KeyspaceQuery, type KeyspaceSnapshot } from '../../../src/engine/trace/keyspace.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import type { EventBatch } from '../../../src/ui/engine/engineConnection.ts';
import type { WatcherClock } from '../../../src/ui/engine/queryPacer.ts';
import {
  displayKey, filterToPattern, FLASH_MS, formatTtl, KeyspaceWatcher, ttlAt, TTL_REFRESH_MS, virtualNow,
  type KeyspaceEngine,
} from '../../../src/ui/state/keyspace.ts';

describe('the filter box', () => {
  it('text is a substring, with glob specials escaped; * ? [ make it a glob', () => {
    expect(filterToPattern('')).toBeNull();
    expect(filterToPattern('user')).toBe('*user*');
    expect(filterToPattern('user:*')).toBe('user:*');
    expect(filterToPattern('a]b\\c')).toBe('*a\\]b\\\\c*');
    expect(filterToPattern('中')).toBe('*\xe4\xb8\xad*');
    const keys = ['user:1', 'a]b\\c', 'xa]b\\cx', 'ab', '\xe4\xb8\xad\xe6\x96\x87', 'user'];
    const matching = (text: string) => keys.filter((k) => globMatch(filterToPattern(text)!, k));
    expect(matching('user')).toEqual(['user:1', 'user']);
    expect(matching('user:?')).toEqual(['user:1']);
    expect(matching('a]b\\c')).toEqual(['a]b\\c', 'xa]b\\cx']);
    expect(matching('中')).toEqual(['\xe4\xb8\xad\xe6\x96\x87']);
  });
});

describe('formatting', () => {
  it('keys: plain printable ASCII as is, anything else quoted as redis-cli quotes it', () => {
    expect(displayKey('user:1')).toBe('user:1');
    expect(displayKey('a b')).toBe('"a b"');
    expect(displayKey('say"hi"')).toBe('"say\\"hi\\""');
    expect(displayKey('\xe4\xb8\xad')).toBe('"\\xe4\\xb8\\xad"');
    expect(displayKey('\x00\r\n')).toBe('"\\x00\\r\\n"');
    expect(displayKey('')).toBe('""');
  });

  it('TTLs: tenths of a second under a minute, then the two largest units', () => {
    const u = { d: 'd', h: 'h', m: 'm', s: 's' };
    expect(formatTtl(9_549, u)).toBe('9.5s');
    expect(formatTtl(100_000 - 1, u)).toBe('1m 39s');
    expect(formatTtl(59_999, u)).toBe('59.9s');
    expect(formatTtl(3_600_000 + 125_000, u)).toBe('1h 02m');
    expect(formatTtl(3 * 86_400_000 + 4 * 3_600_000 + 5, u)).toBe('3d 04h');
    expect(formatTtl(61_000, { d: '天', h: '小时', m: '分', s: '秒' })).toBe('1分 01秒');
  });

  it('the countdown runs on the snapshot\'s virtual time plus the wall time since it came', () => {
    const snap = { now: 1_000_000 } as KeyspaceSnapshot;
    expect(virtualNow(snap, 500, 500)).toBe(1_000_000);
    expect(virtualNow(snap, 500, 2_000)).toBe(1_001_500);
    expect(virtualNow(snap, 500, 100)).toBe(1_000_000); // a clock reading from before it came
    expect(ttlAt(5_000, snap, 1_001_500)).toBe(3_500);
    expect(ttlAt(1_000, snap, 1_001_500)).toBe(-500);
    expect(ttlAt(null, snap, 1_001_500)).toBeNull();
  });
});

/** Timers on a clock the test moves. */
class FakeClock implements WatcherClock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number { return this.t; }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(id: unknown): void { this.timers = this.timers.filter((x) => x.id !== id); }
  get pending(): number { return this.timers.length; }
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = until;
  }
}

/**
 * An engine for the watcher: queries are answered from a real server when the test says so
 * (answer()), and what the server's commands do is delivered as event batches (deliver()).
 */
function setup() {
  const h = new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
  const sink = new TraceRecorder();
  h.server.trace = sink;
  const clock = new FakeClock();
  const asked: KeyspaceQuery[] = [];
  const waiting: (() => void)[] = [];
  let listener: ((b: EventBatch) => void) | null = null;
  const engine: KeyspaceEngine = {
    query: (q) => {
      asked.push(q);
      return new Promise((resolve, reject) => {
        waiting.push(() => { try { resolve(keyspaceSnapshot(h.server, q)); } catch (e) { reject(e); } });
      });
    },
    onEvents: (fn) => {
      listener = fn;
      return () => { listener = null; };
    },
  };
  const watcher = new KeyspaceWatcher(engine, clock, 50);
  const settle = async () => { for (let i = 0; i < 3; i++) await Promise.resolve(); };
  /** Answers the oldest waiting query after `ms` of wall time. */
  const answer = async (ms = 0) => {
    clock.advance(ms);
    waiting.shift()!();
    await settle();
  };
  /** Runs commands, then hands what they did to the watcher as one frame's batch. */
  const run = (...argvs: string[][]) => {
    for (const argv of argvs) h.raw(...argv);
    const { events, dropped } = sink.take();
    listener?.({ events, dropped, resync: false });
  };
  return { h, clock, asked, waiting, watcher, answer, run, settle, deliver: (b: EventBatch) => listener?.(b), listening: () => listener !== null };
}

describe('KeyspaceWatcher', () => {
  it('reads the db at start, and again after commands change keys', async () => {
    const { watcher, asked, answer, run } = setup();
    run(['SET', 'a', '1']);
    watcher.start();
    expect(asked).toEqual([{ kind: 'keyspace', db: 0, limit: 50, pattern: null }]);
    await answer();
    expect(watcher.view.snapshot!.keys.map((k) => k.key)).toEqual(['a']);
    run(['RPUSH', 'b', 'x']);
    expect(asked).toHaveLength(2);
    await answer();
    expect(watcher.view.snapshot!.keys.map((k) => [k.key, k.type])).toEqual([['a', 'string'], ['b', 'list']]);
  });

  it('events while a query runs make one more query, not one each', async () => {
    const { watcher, asked, answer, run } = setup();
    watcher.start();
    for (let i = 0; i < 10; i++) run(['SET', `k${i}`, 'v']);
    expect(asked).toHaveLength(1);
    await answer();
    expect(asked).toHaveLength(2);
    await answer();
    expect(watcher.view.snapshot!.total).toBe(10);
    expect(asked).toHaveLength(2);
  });

  it('a slow query spaces out the next ones (twice its duration, at most a second)', async () => {
    const { watcher, asked, answer, run, clock } = setup();
    watcher.start();
    run(['SET', 'a', '1']);
    await answer(100); // took 100 ms: the next may start 200 ms after it ended
    expect(asked).toHaveLength(1);
    clock.advance(199);
    expect(asked).toHaveLength(1);
    clock.advance(1);
    expect(asked).toHaveLength(2);
    run(['SET', 'b', '1']);
    await answer(5000); // waited behind a long command: the gap is capped
    clock.advance(999);
    expect(asked).toHaveLength(2);
    clock.advance(1);
    expect(asked).toHaveLength(3);
  });

  it('reads again for what changes keys: events in any db, bursts, resync, FLUSHALL; not for misses', async () => {
    const { watcher, asked, answer, run, deliver } = setup();
    watcher.start();
    await answer();
    run(['GET', 'nope'], ['EXISTS', 'nope']); // keymiss only
    expect(asked).toHaveLength(1);
    run(['SELECT', '3'], ['SET', 'x', '1'], ['SELECT', '0']); // the db selector's counts change
    expect(asked).toHaveLength(2);
    await answer();
    run(['FLUSHALL']); // no keyspace events at all
    expect(asked).toHaveLength(3);
    await answer();
    deliver({ events: [], dropped: { keyspace: 5 }, resync: false });
    expect(asked).toHaveLength(4);
    await answer();
    deliver({ events: [], dropped: {}, resync: true });
    expect(asked).toHaveLength(5);
    await answer();
    expect(watcher.view.snapshot!.dbs[3].keys).toBe(0);
    // DEBUG RELOAD re-encodes keys without keyspace events: its encoding events (and the command) make a read.
    run(['HSET', 'h', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, 'v']).flat()], ['HDEL', 'h', ...Array.from({ length: 598 }, (_, i) => `f${i}`)]);
    expect(asked).toHaveLength(6);
    await answer();
    expect(watcher.view.snapshot!.keys.find((k) => k.key === 'h')?.encoding).toBe('hashtable');
    run(['DEBUG', 'RELOAD']);
    expect(asked).toHaveLength(7);
    await answer();
    expect(watcher.view.snapshot!.keys.find((k) => k.key === 'h')?.encoding).toBe('listpack');
  });

  it('changed keys of the shown db flash, with a new number per change, for FLASH_MS', async () => {
    const { watcher, answer, run, clock } = setup();
    watcher.start();
    await answer();
    run(['SET', 'a', '1'], ['SELECT', '1'], ['SET', 'other-db', '1'], ['SELECT', '0']);
    expect([...watcher.view.flashes.keys()]).toEqual(['a']);
    const first = watcher.view.flashes.get('a')!;
    await answer();
    clock.advance(FLASH_MS / 2);
    run(['SET', 'a', '2'], ['SET', 'b', '1']);
    expect(watcher.view.flashes.get('a')).toBeGreaterThan(first);
    expect(watcher.view.flashes.has('b')).toBe(true);
    clock.advance(FLASH_MS - 1);
    expect(watcher.view.flashes.size).toBe(2);
    clock.advance(1);
    expect(watcher.view.flashes.size).toBe(0);
  });

  it('while a TTL is shown it reads again every TTL_REFRESH_MS (and sees the active expire cycle\'s work)', async () => {
    const { h, watcher, asked, answer, run, clock } = setup();
    run(['SET', 'plain', '1']);
    watcher.start();
    await answer();
    clock.advance(TTL_REFRESH_MS * 3);
    expect(asked).toHaveLength(1); // no TTL shown: no timer
    run(['SET', 'temp', '1', 'PX', '3000']);
    await answer();
    expect(watcher.view.snapshot!.keys.find((k) => k.key === 'temp')!.ttl).toBe(3000);
    h.clock.advance(TTL_REFRESH_MS);
    clock.advance(TTL_REFRESH_MS);
    expect(asked).toHaveLength(3);
    await answer();
    expect(watcher.view.snapshot!.keys.find((k) => k.key === 'temp')!.ttl).toBe(3000 - TTL_REFRESH_MS);
  });

  it('another db or filter: the old answer is dropped and the new choice read', async () => {
    const { watcher, asked, answer, run } = setup();
    run(['SET', 'user:1', 'a'], ['SET', 'user:2', 'b'], ['SET', 'other', 'c'], ['SELECT', '2'], ['SET', 'in2', 'x']);
    watcher.start();
    watcher.show(2, null);
    expect(watcher.view.snapshot).toBeNull();
    await answer(); // the db 0 answer: of no use any more
    expect(watcher.view.snapshot).toBeNull();
    expect(asked.at(-1)).toEqual({ kind: 'keyspace', db: 2, limit: 50, pattern: null });
    await answer();
    expect(watcher.view.snapshot!.keys.map((k) => k.key)).toEqual(['in2']);
    watcher.show(0, filterToPattern('user'));
    await answer();
    expect(watcher.view.snapshot!.keys.map((k) => k.key)).toEqual(['user:1', 'user:2']);
    expect([watcher.view.snapshot!.matched, watcher.view.snapshot!.total]).toEqual([2, 3]);
  });

  it('a failed query is shown as an error, and read again on the next change', async () => {
    const { watcher, asked, answer, run } = setup();
    watcher.start();
    watcher.show(99, null);
    await answer();
    await answer();
    expect(watcher.view.error).toBe('DB index is out of range');
    expect(watcher.view.snapshot).toBeNull();
    run(['SET', 'k', 'v']);
    expect(asked).toHaveLength(3);
    watcher.show(0, null);
    await answer();
    await answer();
    expect(watcher.view.error).toBeNull();
    expect(watcher.view.snapshot!.keys.map((k) => k.key)).toEqual(['k']);
  });

  it('stop: no more listening, no more queries, no timers left', async () => {
    const { watcher, asked, answer, run, clock, listening } = setup();
    run(['SET', 'k', 'v', 'EX', '100']);
    watcher.start();
    await answer();
    expect(listening()).toBe(true);
    watcher.stop();
    expect(listening()).toBe(false);
    expect(clock.pending).toBe(0);
    run(['SET', 'x', '1']);
    clock.advance(TTL_REFRESH_MS * 2);
    expect(asked).toHaveLength(1);
  });
});

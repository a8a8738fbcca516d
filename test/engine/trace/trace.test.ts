// The trace sink sees what the engine's real code paths do: every keyspace event exactly as
// notifyKeyspaceEvent gets it (the same list a subscriber to __keyevent@*__:* receives, which the
// differential notification suite proves equal to real Redis's), whatever notify-keyspace-events
// says; and every command call() runs, with its client, db, keys and modelled duration.
import { describe, expect, it } from 'vitest';
import { commandFrame, EngineHarness } from '../../support/engineHarness.ts';
import { items } from '../../support/respValue.ts';
import { TraceRecorder, droppedCount } from '../../../src/engine/trace/recorder.ts';
import type { CommandTraceEvent, KeyspaceTraceEvent, TraceEvent } from '../../../src/engine/trace/events.ts';
import { NOTIFY_GENERIC, NOTIFY_LIST, NOTIFY_STRING } from '../../../src/engine/server/notify.ts';

/** Splits a stream of RESP2 arrays of bulk strings (pub/sub frames) into their parts. */
function frames(stream: string): string[][] {
  const out: string[][] = [];
  let i = 0;
  const line = () => {
    const end = stream.indexOf('\r\n', i);
    const s = stream.slice(i, end);
    i = end + 2;
    return s;
  };
  while (i < stream.length) {
    const head = line();
    expect(head[0]).toBe('*');
    const parts: string[] = [];
    for (let n = Number(head.slice(1)); n > 0; n--) {
      const h = line();
      if (h[0] === ':') { parts.push(h.slice(1)); continue; }
      const len = Number(h.slice(1));
      parts.push(stream.slice(i, i + len));
      i += len + 2;
    }
    out.push(parts);
  }
  return out;
}

/** A script touching every family, both dbs, lazy and active expiry, a transaction, misses. */
function script(h: EngineHarness): void {
  const run = (...argv: string[]) => h.raw(...argv);
  run('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  run('SET', 's', '1'); run('INCR', 's'); run('APPEND', 's', 'x'); run('GET', 'missing');
  run('RPUSH', 'l', 'a', 'b', 'c'); run('LPOP', 'l'); run('LINSERT', 'l', 'BEFORE', 'b', 'z'); run('LTRIM', 'l', '5', '9');
  run('HSET', 'h', 'f', '1', 'g', '2'); run('HINCRBY', 'h', 'f', '3'); run('HDEL', 'h', 'f', 'g');
  run('SADD', 'set', '1', '2', 'x'); run('SREM', 'set', '1'); run('SPOP', 'set', '0');
  run('ZADD', 'z', '1', 'a', '2', 'b'); run('ZINCRBY', 'z', '5', 'a'); run('ZREM', 'z', 'a'); run('ZPOPMIN', 'z');
  run('SET', 'k', 'v'); run('EXPIRE', 'k', '100'); run('PERSIST', 'k'); run('RENAME', 'k', 'k2'); run('COPY', 'k2', 'k3');
  run('PEXPIRE', 'k3', '50'); run('SELECT', '3'); run('SET', 'other', 'x'); run('MOVE', 'other', '0'); run('SELECT', '0');
  run('MULTI'); run('SET', 'tx', '1'); run('DEL', 'tx', 'nope'); run('EXEC');
  run('SET', 'lazy', 'x', 'PX', '10'); run('SET', 'active', 'x', 'PX', '10');
  h.clock.advance(100);
  run('GET', 'lazy'); // expired on access
  run('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  for (let i = 0; i < 3; i++) { h.clock.advance(h.server.cronIntervalMs); h.server.cron(); }
  run('UNLINK', 's', 'l');
}

/** "db event key" for each keyspace event the sink got. */
function keyspaceOf(events: TraceEvent[]): string[] {
  return events.filter((e): e is KeyspaceTraceEvent => e.kind === 'keyspace').map((e) => `${e.db} ${e.event} ${e.key}`);
}

describe('trace sink', () => {
  it('sees every keyspace event a __keyevent@*__:* subscriber gets, in the same order', () => {
    const h = new EngineHarness({ config: { 'notify-keyspace-events': 'EAmn' } });
    let got = '';
    const sub = h.server.connect({ write: (d) => { got += d; }, close: () => {} });
    sub.feed(commandFrame(['PSUBSCRIBE', '__keyevent@*__:*']));
    got = '';
    const sink = new TraceRecorder(100_000);
    h.server.trace = sink;
    script(h);
    const published = frames(got).map(([kind, , channel, payload]) => {
      expect(kind).toBe('pmessage');
      const m = /^__keyevent@(\d+)__:(.*)$/s.exec(channel)!;
      return `${m[1]} ${m[2]} ${payload}`;
    });
    const traced = keyspaceOf(sink.take().events);
    expect(published.length).toBeGreaterThan(40);
    expect(traced).toEqual(published);
    // Lazy expiry on access, the active cycle, and "new" for keys made by a transaction are there.
    expect(traced).toContain('0 expired lazy');
    expect(traced).toContain('0 expired active');
    expect(traced).toContain('0 keymiss missing');
    expect(traced).toContain('3 new other');
  });

  it('sees the same events whatever notify-keyspace-events says (and the subscriber gets none)', () => {
    const withNotify = new EngineHarness({ config: { 'notify-keyspace-events': 'EAmn' } });
    const without = new EngineHarness();
    const lists: string[][] = [];
    for (const h of [withNotify, without]) {
      const sink = new TraceRecorder(100_000);
      h.server.trace = sink;
      script(h);
      lists.push(keyspaceOf(sink.take().events));
    }
    expect(lists[1]).toEqual(lists[0]);
    expect(without.server.config.get('notify-keyspace-events')).toBe('');
  });

  it('keyspace events carry their class and the virtual time', () => {
    const h = new EngineHarness();
    const sink = new TraceRecorder();
    h.server.trace = sink;
    const t0 = h.clock.now();
    h.raw('SET', 'a', '1');
    h.clock.advance(250);
    h.raw('RPUSH', 'l', 'x');
    h.raw('DEL', 'a');
    const ks = sink.take().events.filter((e) => e.kind === 'keyspace');
    expect(ks).toEqual([
      { kind: 'keyspace', at: t0, type: expect.any(Number), event: 'new', key: 'a', db: 0 },
      { kind: 'keyspace', at: t0, type: NOTIFY_STRING, event: 'set', key: 'a', db: 0 },
      { kind: 'keyspace', at: t0 + 250, type: expect.any(Number), event: 'new', key: 'l', db: 0 },
      { kind: 'keyspace', at: t0 + 250, type: NOTIFY_LIST, event: 'rpush', key: 'l', db: 0 },
      { kind: 'keyspace', at: t0 + 250, type: NOTIFY_GENERIC, event: 'del', key: 'a', db: 0 },
    ]);
  });

  it('sees every command call() runs: client, db before it ran, keys, duration as SLOWLOG has it, failures, EXEC nesting', () => {
    const h = new EngineHarness({ config: { 'slowlog-log-slower-than': '0' } });
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('MSET', 'a', '1', 'b', '2');
    h.raw('SELECT', '2');
    h.raw('INCR', 'nope-string');
    h.raw('SET', 'x', 'v');
    h.raw('INCR', 'x');
    h.raw('MULTI');
    h.raw('GET', 'x');
    h.raw('EXEC');
    h.raw('NOSUCHCOMMAND');
    const commands = sink.take().events.filter((e): e is CommandTraceEvent => e.kind === 'command');
    const id = h.client.id;
    expect(commands.map((e) => [e.name, e.client, e.db, e.keys, e.failed, e.nested])).toEqual([
      ['mset', id, 0, ['a', 'b'], false, false],
      ['select', id, 0, [], false, false],
      ['incr', id, 2, ['nope-string'], false, false],
      ['set', id, 2, ['x'], false, false],
      ['incr', id, 2, ['x'], true, false],
      // MULTI runs; the queued GET does not (QUEUED is not a call), EXEC runs it nested.
      ['multi', id, 2, [], false, false],
      ['get', id, 2, ['x'], false, true],
      ['exec', id, 2, [], false, false],
      // An unknown command never reaches call().
    ]);
    // Durations are the ones SLOWLOG recorded (it lists the newest first).
    const logged = items(h.run('SLOWLOG', 'GET', '100')).map((entry) => {
      const duration = items(entry)[2];
      return duration.t === 'int' ? Number(duration.v) : NaN;
    }).reverse();
    // (EXEC is skip_slowlog: its commands are logged instead.)
    expect(logged).toEqual(commands.filter((e) => e.name !== 'exec').map((e) => e.durationUs));
    // EXEC's modelled cost includes the commands it ran (cost.ts).
    expect(commands.at(-1)!.durationUs).toBeGreaterThan(commands.at(-2)!.durationUs);
  });

  it('a command event names at most 16 keys and counts them all', () => {
    const h = new EngineHarness();
    const sink = new TraceRecorder();
    h.server.trace = sink;
    const args = Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v']).flat();
    h.raw('MSET', ...args);
    const cmd = sink.take().events.find((e): e is CommandTraceEvent => e.kind === 'command')!;
    expect(cmd.keys).toEqual(Array.from({ length: 16 }, (_, i) => `k${i}`));
    expect(cmd.keyCount).toBe(40);
  });

  it('a blocked command is reported as blocked', () => {
    const h = new EngineHarness();
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('BLPOP', 'q', '0');
    const cmd = sink.take().events.find((e): e is CommandTraceEvent => e.kind === 'command')!;
    expect([cmd.name, cmd.blocked]).toEqual(['blpop', true]);
  });

  it('the recorder keeps a budget per kind and counts the rest (DEBUG POPULATE)', () => {
    const h = new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
    const sink = new TraceRecorder(100);
    h.server.trace = sink;
    h.raw('DEBUG', 'POPULATE', '5000');
    const batch = sink.take();
    const kinds = batch.events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'keyspace')).toHaveLength(100);
    // The command that caused the burst is not crowded out.
    expect(kinds.at(-1)).toBe('command');
    expect(batch.dropped.keyspace).toBe(4900);
    expect(droppedCount(batch.dropped)).toBe(4900);
    expect(sink.isEmpty).toBe(true);
    expect(sink.take()).toEqual({ events: [], dropped: {} });
  });

  it('tracing does not change the run: same replies and state with and without a sink', () => {
    const a = new EngineHarness({ seed: 7 });
    const b = new EngineHarness({ seed: 7 });
    b.server.trace = new TraceRecorder();
    const replies: string[][] = [[], []];
    [a, b].forEach((h, i) => {
      for (const argv of [['SADD', 's', 'a', 'b', 'c', 'd'], ['SPOP', 's'], ['SET', 'k', 'v', 'PX', '5'], ['RANDOMKEY'], ['INFO', 'stats']]) {
        replies[i].push(h.raw(...argv));
      }
    });
    expect(replies[1]).toEqual(replies[0]);
  });
});

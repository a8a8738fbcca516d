// One encoding event per conversion: a ZADD that outgrows its listpack is reported once (the kind
// both the encoding and the skiplist panels read), at the moment it happens; a conversion in place
// comes before the command's keyspace event. DEBUG RELOAD, which names no key, reports exactly the
// keys whose OBJECT ENCODING the load changed, with the key, from and to; a traced reload is the
// same reload.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import type { Listpack } from '../../../src/engine/ds/listpack.ts';
import type { Intset } from '../../../src/engine/ds/intset.ts';
import { TRACE_KINDS, type EncodingTraceEvent, type TraceEvent } from '../../../src/engine/trace/events.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';

function traced(config: Record<string, string> = {}) {
  const h = new EngineHarness({ config: { 'enable-debug-command': 'yes', ...config } });
  const sink = new TraceRecorder();
  h.server.trace = sink;
  const run = (...argv: string[]): TraceEvent[] => {
    sink.take();
    h.raw(...argv);
    return sink.take().events;
  };
  return { h, sink, run };
}

/** The kinds in order, keyspace events with their name; the dict's own events left out. */
const kindsOf = (events: readonly TraceEvent[]) => events.filter((e) => !e.kind.startsWith('dict-'))
  .map((e) => (e.kind === 'keyspace' ? `keyspace:${e.event}` : e.kind));

const encodingEvents = (events: readonly TraceEvent[]) => events.filter((e): e is EncodingTraceEvent => e.kind === 'encoding');

describe('one event per conversion', () => {
  it('there is no separate zsetConvert kind: ZADD past the listpack reports one encoding event, before its zslInsert', () => {
    expect(TRACE_KINDS).not.toContain('zsetConvert');
    const { h, run } = traced({ 'zset-max-listpack-entries': '3' });
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    const lp = h.object('z')!.value as Listpack;
    const bytes = lp.bytes;
    const events = run('ZADD', 'z', '4', 'd');
    expect(kindsOf(events)).toEqual(['encoding', 'zslInsert', 'keyspace:zadd', 'command']);
    expect(events[0]).toEqual({
      kind: 'encoding', at: h.clock.now(), db: 0, key: 'z', type: 'zset', fn: 'zsetConvert', from: 'listpack', to: 'skiplist',
      reason: 'entries', config: 'zset-max-listpack-entries', limit: 3, actual: 3, element: 'd', elements: 3, bytes,
    });
  });

  it('conversions in place come at once (before the keyspace event); a value built for a key is named when the command ends', () => {
    const { h, run } = traced({ 'set-max-intset-entries': '2' });
    run('SADD', 's', '1', '2');
    const is = h.object('s')!.value as Intset;
    let events = run('SADD', 's', '3');
    expect(kindsOf(events)).toEqual(['encoding', 'keyspace:sadd', 'command']);
    expect(events[0]).toMatchObject({ key: 's', fn: 'setTypeConvert', from: 'intset', to: 'hashtable', elements: 3, bytes: is.blobBytes });
    // SUNIONSTORE builds the destination before storing it: its conversion is named at the end of the command.
    run('SADD', 't', '7', '8');
    events = run('SUNIONSTORE', 'dst', 't', 's');
    const kinds = kindsOf(events);
    expect(kinds.indexOf('encoding')).toBeGreaterThan(kinds.indexOf('keyspace:sunionstore'));
    expect(encodingEvents(events)).toMatchObject([{ key: 'dst', from: 'intset', to: 'hashtable' }]);
  });
});

describe('DEBUG RELOAD', () => {
  /** Values whose encoding a reload changes, and some it does not. */
  function setup(h: EngineHarness): void {
    const commands: string[][] = [
      ['HSET', 'h:shrunk', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`]).flat()],
      ['HDEL', 'h:shrunk', ...Array.from({ length: 598 }, (_, i) => `f${i + 2}`)],
      ['HSET', 'h:small', 'a', '1'],
      ['HSET', 'h:long', 'f', 'x'.repeat(100)],
      ['SADD', 's:ints', ...Array.from({ length: 600 }, (_, i) => String(i))],
      ['SREM', 's:ints', ...Array.from({ length: 597 }, (_, i) => String(i + 3))],
      ['SADD', 's:mixed', '1', 'abc'], ['SREM', 's:mixed', 'abc'],
      ['ZADD', 'z:shrunk', ...Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat()],
      ['ZREMRANGEBYRANK', 'z:shrunk', '2', '-1'],
      ['SET', 'str:raw', 'ab'], ['APPEND', 'str:raw', 'c'],
      ['SET', 'str:num', '123'], ['APPEND', 'str:num', '45'],
      ['SET', 'str:emb', 'hello'],
      ['RPUSH', 'list', 'a'],
      ['SELECT', '3'], ['HSET', 'h:db3', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, 'v']).flat()],
      ['HDEL', 'h:db3', ...Array.from({ length: 599 }, (_, i) => `f${i}`)], ['SELECT', '0'],
    ];
    for (const argv of commands) expect(h.raw(...argv).startsWith('-'), argv.join(' ')).toBe(false);
  }

  /** Every key of every db with its encoding (read without touching anything). */
  function encodings(h: EngineHarness): Map<string, string> {
    const m = new Map<string, string>();
    for (const db of h.server.dbs) for (const e of db.dict.entries()) m.set(`${db.id}:${e.key}`, e.value.encoding);
    return m;
  }

  it('reports the keys the load re-encoded, with db, key, from and to, and only those', () => {
    const { h, run } = traced();
    setup(h);
    const before = encodings(h);
    const hShrunk = h.object('h:shrunk')!;
    expect(hShrunk.encoding).toBe('hashtable');
    const events = run('DEBUG', 'RELOAD');
    const after = encodings(h);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changed = [...after].filter(([k, enc]) => before.get(k) !== enc).map(([k, enc]) => `${k} ${before.get(k)} -> ${enc}`).sort();
    const reported = encodingEvents(events).map((e) => `${e.db}:${e.key} ${e.from} -> ${e.to}`).sort();
    expect(reported).toEqual(changed);
    expect(changed).toEqual([
      '0:h:shrunk hashtable -> listpack', '0:s:ints hashtable -> intset', '0:s:mixed hashtable -> intset',
      '0:str:num raw -> int', '0:str:raw raw -> embstr', '0:z:shrunk skiplist -> listpack', '3:h:db3 hashtable -> listpack',
    ]);
    for (const e of encodingEvents(events)) {
      expect(e).toMatchObject({ fn: 'rdbLoadObject', reason: 'load', at: h.clock.now(), element: null });
    }
    expect(encodingEvents(events).find((e) => e.key === 'h:shrunk')).toMatchObject({
      type: 'hash', config: 'hash-max-listpack-entries', limit: 512, actual: 2, elements: 2, bytes: null,
    });
    // The command names no key; its events do.
    expect(events.find((e) => e.kind === 'command')).toMatchObject({ name: 'debug', keys: [] });
  });

  it('a lowered limit converts compact values on the way in; MERGE and NOSAVE report against what was there', () => {
    const { h, run } = traced();
    h.raw('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    h.raw('SADD', 's', '1', '2', '3');
    const lp = h.object('h')!.value as Listpack;
    h.raw('CONFIG', 'SET', 'hash-max-listpack-entries', '2');
    h.raw('CONFIG', 'SET', 'set-max-intset-entries', '2');
    const reloaded = encodingEvents(run('DEBUG', 'RELOAD')).sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(reloaded).toMatchObject([
      { key: 'h', type: 'hash', from: 'listpack', to: 'hashtable', elements: 3, bytes: lp.bytes, config: 'hash-max-listpack-entries', limit: 2, actual: 3 },
      { key: 's', type: 'set', from: 'intset', to: 'hashtable', elements: 3, bytes: 8 + 3 * 2, config: 'set-max-intset-entries', limit: 2, actual: 3 },
    ]);
    // The file now holds the hashtables; a key changed since is replaced by the file's one (MERGE).
    h.raw('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
    h.raw('DEL', 'h');
    h.raw('HSET', 'h', 'z', '1');
    expect(h.encoding('h')).toBe('listpack');
    const merged = encodingEvents(run('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'));
    expect(merged.map((e) => [e.key, e.from, e.to])).toEqual([]); // the file's h (3 fields, limit 512 again) is a listpack too
    expect(h.raw('HLEN', 'h')).toBe(':3\r\n');
    // An error (no change of encodings reported): a bad option.
    expect(encodingEvents(run('DEBUG', 'RELOAD', 'BAD'))).toEqual([]);
  });

  it('a traced reload is the same reload', () => {
    const run = (trace: boolean) => {
      const h = new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
      if (trace) h.server.trace = new TraceRecorder();
      setup(h);
      h.raw('DEBUG', 'RELOAD');
      return { encodings: encodings(h), dump: h.raw('HGETALL', 'h:shrunk') + h.raw('SMEMBERS', 's:ints') + h.raw('ZRANGE', 'z:shrunk', '0', '-1', 'WITHSCORES') };
    };
    const plain = run(false);
    const withTrace = run(true);
    expect(withTrace).toEqual(plain);
  });
});

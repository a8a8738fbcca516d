// The keyspace snapshot says what the engine's own commands say about each key (TYPE, OBJECT
// ENCODING, PTTL, MEMORY USAGE, STRLEN/LLEN/HLEN/SCARD/ZCARD), and reading it changes nothing:
// no LRU/LFU touch, no lazy expiry, no keyspace stats, no rehash step, no events.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import { text, type RespValue } from '../../support/respValue.ts';
import { keyspaceSnapshot, type KeyspaceSnapshot } from '../../../src/engine/trace/keyspace.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';

const int = (v: RespValue): number => {
  if (v.t !== 'int') throw new Error(`not an integer: ${JSON.stringify(v)}`);
  return Number(v.v);
};

const LENGTH_COMMAND: Record<string, string> = { string: 'STRLEN', list: 'LLEN', hash: 'HLEN', set: 'SCARD', zset: 'ZCARD' };

/** A dataset with every type and encoding, TTLs, binary keys and another db. */
function dataset(h: EngineHarness): void {
  const run = (...argv: string[]) => h.raw(...argv);
  run('SET', 'str:int', '12345');
  run('SET', 'str:shared', '7');
  run('SET', 'str:embstr', 'hello');
  run('SET', 'str:raw', 'x'.repeat(100));
  run('APPEND', 'str:appended', 'abc');
  run('SET', 'bin:\x00\xff\r\n"', 'binary key');
  run('SET', 'utf8:\xe4\xb8\xad', 'a key in UTF-8');
  run('RPUSH', 'list:small', 'a', 'b', 'c');
  run('RPUSH', 'list:big', ...Array.from({ length: 300 }, (_, i) => `element-${i}`));
  run('HSET', 'hash:lp', 'f1', 'v1', 'f2', 'v2');
  run('HSET', 'hash:ht', ...Array.from({ length: 600 }, (_, i) => [`field${i}`, `value${i}`]).flat());
  run('SADD', 'set:int', '1', '2', '3');
  run('SADD', 'set:ht', 'a', 'b', 'c');
  run('ZADD', 'zset:lp', '1', 'a', '2', 'b');
  run('ZADD', 'zset:sl', ...Array.from({ length: 200 }, (_, i) => [String(i), `member${i}`]).flat());
  run('EXPIRE', 'str:embstr', '100');
  run('PEXPIRE', 'list:small', '123456');
  run('PEXPIREAT', 'hash:lp', '99999999999999');
  run('SELECT', '5');
  run('SET', 'elsewhere', '1');
  run('SELECT', '0');
}

describe('keyspace snapshot', () => {
  it('agrees with TYPE, OBJECT ENCODING, PTTL, MEMORY USAGE and the length commands for every key', () => {
    const h = new EngineHarness();
    dataset(h);
    h.clock.advance(1500);
    const snap = keyspaceSnapshot(h.server, { kind: 'keyspace', db: 0, limit: 100 });
    expect(snap.now).toBe(h.clock.now());
    expect(snap.total).toBe(15);
    expect(snap.matched).toBe(15);
    expect(snap.keys).toHaveLength(15);
    const encodings = new Set<string>();
    for (const k of snap.keys) {
      expect(k.type, k.key).toBe(text(h.run('TYPE', k.key)));
      expect(k.encoding, k.key).toBe(text(h.run('OBJECT', 'ENCODING', k.key)));
      const pttl = int(h.run('PTTL', k.key));
      expect(k.ttl, k.key).toBe(pttl === -1 ? null : pttl);
      expect(k.size, k.key).toBe(int(h.run('MEMORY', 'USAGE', k.key)));
      expect(k.length, k.key).toBe(int(h.run(LENGTH_COMMAND[k.type], k.key)));
      encodings.add(`${k.type}/${k.encoding}`);
    }
    expect([...encodings].sort()).toEqual([
      'hash/hashtable', 'hash/listpack', 'list/quicklist', 'set/hashtable', 'set/intset',
      'string/embstr', 'string/int', 'string/raw', 'zset/listpack', 'zset/skiplist',
    ]);
    expect(snap.keys.find((k) => k.key === 'list:small')!.ttl).toBe(123456 - 1500);
    expect(snap.dbs).toHaveLength(16);
    expect(snap.dbs[0]).toEqual({ db: 0, keys: 15, volatile: 3 });
    expect(snap.dbs[5]).toEqual({ db: 5, keys: 1, volatile: 0 });
    expect(snap.dbs[1]).toEqual({ db: 1, keys: 0, volatile: 0 });
  });

  it('sorts keys by their bytes, keeps the first `limit`, and counts the rest', () => {
    const h = new EngineHarness();
    for (const k of ['b', 'a', '\xff', '\x00z', 'A', 'ab', 'user:2', 'user:10', 'user:1']) h.raw('SET', k, 'v');
    const all = keyspaceSnapshot(h.server, { kind: 'keyspace', db: 0, limit: 100 });
    expect(all.keys.map((k) => k.key)).toEqual(['\x00z', 'A', 'a', 'ab', 'b', 'user:1', 'user:10', 'user:2', '\xff']);
    const first3 = keyspaceSnapshot(h.server, { kind: 'keyspace', db: 0, limit: 3 });
    expect(first3.keys.map((k) => k.key)).toEqual(['\x00z', 'A', 'a']);
    expect([first3.total, first3.matched]).toEqual([9, 9]);
    const users = keyspaceSnapshot(h.server, { kind: 'keyspace', db: 0, limit: 2, pattern: 'user:*' });
    expect(users.keys.map((k) => k.key)).toEqual(['user:1', 'user:10']);
    expect([users.total, users.matched]).toEqual([9, 3]);
    // KEYS's glob rules: classes, ?, escapes.
    const glob = keyspaceSnapshot(h.server, { kind: 'keyspace', db: 0, limit: 10, pattern: '[ab]?' });
    expect(glob.keys.map((k) => k.key)).toEqual(['ab']);
  });

  it('finds the first keys of a big keyspace in order (DEBUG POPULATE 20000)', () => {
    const h = new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
    h.raw('DEBUG', 'POPULATE', '20000');
    const snap = keyspaceSnapshot(h.server, { kind: 'keyspace', db: 0, limit: 50 });
    const expected = Array.from({ length: 20000 }, (_, i) => `key:${i}`).sort().slice(0, 50);
    expect(snap.keys.map((k) => k.key)).toEqual(expected);
    expect(snap.total).toBe(20000);
  });

  it('changes nothing: LRU/LFU, lazy expiry, stats, rehashing, events', () => {
    const h = new EngineHarness({ config: { 'maxmemory-policy': 'allkeys-lfu' } });
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    const db = h.server.dbs[0];
    // Stop right after an add that started a rehash of the keyspace dict (40 keys in at least).
    for (let i = 0; ; i++) {
      const wasRehashing = db.dict.isRehashing;
      h.raw('SET', `key${i}`, 'v');
      if (i >= 40 && !wasRehashing && db.dict.isRehashing) break;
    }
    h.raw('SET', 'gone', 'v', 'PX', '10');
    h.raw('SET', 'soon', 'v', 'PX', '100000');
    h.clock.advance(60_000); // LFU decay and LRU idle time both move on
    const rehashIndex = db.dict.rehashIndex;
    expect(rehashIndex).toBeGreaterThanOrEqual(0);
    const lru = new Map([...db.dict.entries()].map((e) => [e.key, e.value.lru]));
    const stats = { ...h.server.stats, commandCalls: undefined, errorReplies: undefined };
    const sink = new TraceRecorder();
    h.server.trace = sink;

    const snap = keyspaceSnapshot(h.server, { kind: 'keyspace', db: 0, limit: 1000 });

    expect(sink.isEmpty).toBe(true);
    expect(db.dict.rehashIndex).toBe(rehashIndex);
    expect({ ...h.server.stats, commandCalls: undefined, errorReplies: undefined }).toEqual(stats);
    expect(new Map([...db.dict.entries()].map((e) => [e.key, e.value.lru]))).toEqual(lru);
    // The expired key is still there, shown as such: lazy expiry made visible.
    expect(db.dict.peek('gone')).toBeDefined();
    expect(snap.keys.find((k) => k.key === 'gone')!.ttl).toBe(10 - 60_000);
    expect(snap.keys.find((k) => k.key === 'soon')!.ttl).toBe(100_000 - 60_000);

    // The same reads through commands do change all of that: the checks above can fail.
    h.raw('GET', 'key1');
    expect(db.dict.rehashIndex).not.toBe(rehashIndex);
    expect(db.dict.peek('key1')!.lru).not.toBe(lru.get('key1'));
    h.raw('EXISTS', 'gone');
    expect(db.dict.peek('gone')).toBeUndefined();
    expect(sink.isEmpty).toBe(false);
  });

  it('a bad query is an error result, not an exception', () => {
    const h = new EngineHarness();
    expect(runSnapshotQuery(h.server, { kind: 'keyspace', db: 16, limit: 10 })).toEqual({ kind: 'error', message: 'DB index is out of range' });
    expect(runSnapshotQuery(h.server, { kind: 'nope' } as never)).toEqual({ kind: 'error', message: "unknown query kind 'nope'" });
    const ok = runSnapshotQuery(h.server, { kind: 'keyspace', db: 15, limit: 0 }) as KeyspaceSnapshot;
    expect([ok.kind, ok.db, ok.keys]).toEqual(['keyspace', 15, []]);
  });
});

// The lesson-facts snapshot says what real commands say (TYPE, OBJECT ENCODING, PTTL, the length
// commands, the values, ZRANK/ZSCORE, DBSIZE, CONFIG GET, and what MULTI/SUBSCRIBE/WATCH did to a
// client), and reading it changes nothing: the world's digest is the same before and after, even
// with dicts in the middle of a rehash, a logically expired key not yet deleted, and LRU clocks
// that a touch would move.
import { describe, expect, test } from 'vitest';
import type { Client } from '../../src/engine/server/client.ts';
import { lessonFacts, type KeyFacts, type LessonFacts, type LessonFactsQuery } from '../../src/engine/trace/lessonFacts.ts';
import { runSnapshotQuery } from '../../src/engine/trace/snapshots.ts';
import { skiplistQuery } from '../../src/engine/trace/skiplist.ts';
import { commandFrame, EngineHarness } from '../support/engineHarness.ts';
import type { RespValue } from '../support/respValue.ts';
import { serverDigest } from '../support/worldDigest.ts';
import { EngineHost } from '../../src/worker/engineHost.ts';
import { versioned, type FromWorker, type ToWorkerBody } from '../../src/worker/protocol.ts';

type Present = Extract<KeyFacts, { exists: true }>;

function present(f: KeyFacts | undefined): Present {
  if (!f || !f.exists) throw new Error(`expected the key to exist: ${JSON.stringify(f)}`);
  return f;
}

function str(v: RespValue): string {
  if (v.t === 'bulk' || v.t === 'status') return v.v;
  throw new Error(`not a string reply: ${JSON.stringify(v)}`);
}

function int(v: RespValue): number {
  if (v.t === 'int') return Number(v.v);
  throw new Error(`not an integer reply: ${JSON.stringify(v)}`);
}

function strings(v: RespValue): string[] {
  if (v.t !== 'array' && v.t !== 'set') throw new Error(`not an array reply: ${JSON.stringify(v)}`);
  return v.v.map(str);
}

/** Reads facts, checking that the read changed nothing (the digest, taken twice before to be sure it is stable). */
function readFacts(h: EngineHarness, query: Omit<LessonFactsQuery, 'kind'>): LessonFacts {
  serverDigest(h.server);
  const before = serverDigest(h.server);
  const result = runSnapshotQuery(h.server, { kind: 'lesson-facts', ...query });
  expect(serverDigest(h.server)).toEqual(before);
  if (result.kind !== 'lesson-facts') throw new Error(JSON.stringify(result));
  return result;
}

/** Another client of the harness's server, with an address, fed whole commands. */
function connect(h: EngineHarness, addr: string): { client: Client; run: (...argv: string[]) => string } {
  let out = '';
  const client = h.server.connect({ peer: addr, write: (d) => { out += d; }, close: () => {} });
  return {
    client,
    run: (...argv) => {
      out = '';
      client.feed(commandFrame(argv));
      h.waitWhileBusy();
      return out;
    },
  };
}

describe('keys: facts equal what the commands report', () => {
  test('every type: TYPE, OBJECT ENCODING, length, value, PTTL', () => {
    const h = new EngineHarness();
    h.run('SET', 'n', '12345');
    h.run('SET', 's', 'hello');
    h.run('SET', 'big', 'x'.repeat(100));
    h.run('RPUSH', 'l', 'a', 'b', 'c');
    h.run('SADD', 'ints', '3', '1', '2');
    h.run('SADD', 'words', 'x', 'y');
    h.run('ZADD', 'z', '2', 'b', '1', 'a', '3', 'c');
    h.run('HSET', 'h', 'f1', 'v1', 'f2', 'v2');
    h.run('PEXPIRE', 's', '60000');
    const keys = ['n', 's', 'big', 'l', 'ints', 'words', 'z', 'h', 'missing'];
    const facts = readFacts(h, { keys: keys.map((key) => ({ db: 0, key })) });
    for (const [i, key] of keys.entries()) {
      const f = facts.keys[i];
      expect(f.key).toBe(key);
      const type = str(h.run('TYPE', key));
      if (type === 'none') {
        expect(f.exists).toBe(false);
        continue;
      }
      const p = present(f);
      expect(p.type).toBe(type);
      expect(p.encoding).toBe(str(h.run('OBJECT', 'ENCODING', key)));
      const pttl = int(h.run('PTTL', key));
      expect(p.pttl).toBe(pttl === -1 ? null : pttl);
      const lengthCommand = { string: 'STRLEN', list: 'LLEN', set: 'SCARD', zset: 'ZCARD', hash: 'HLEN' }[p.type];
      expect(p.length).toBe(int(h.run(lengthCommand, key)));
      expect(p.truncated).toBe(false);
      switch (p.value.type) {
        case 'string': expect(p.value.value).toBe(str(h.run('GET', key))); break;
        case 'list': expect(p.value.items).toEqual(strings(h.run('LRANGE', key, '0', '-1'))); break;
        case 'set': expect([...p.value.members].sort()).toEqual(strings(h.run('SMEMBERS', key)).sort()); break;
        case 'zset': {
          const flat = strings(h.run('ZRANGE', key, '0', '-1', 'WITHSCORES'));
          expect(p.value.entries.flatMap(([m, s]) => [m, String(s)])).toEqual(flat);
          break;
        }
        case 'hash': {
          const flat = strings(h.run('HGETALL', key));
          expect(p.value.fields.flat()).toEqual(flat);
          break;
        }
      }
    }
    expect(present(facts.keys[0]).encoding).toBe('int');
    expect(present(facts.keys[1]).encoding).toBe('embstr');
    expect(present(facts.keys[1]).pttl).toBeGreaterThan(59_000);
    expect(present(facts.keys[4]).encoding).toBe('intset');
  });

  test('big values are capped at the limit and say so', () => {
    const h = new EngineHarness();
    const members = Array.from({ length: 300 }, (_, i) => `m${i}`);
    h.run('RPUSH', 'l', ...members);
    h.run('SADD', 's', ...members);
    const facts = readFacts(h, { keys: [{ db: 0, key: 'l' }, { db: 0, key: 's', members: ['m299', 'nope'] }], valueLimit: 100 });
    const l = present(facts.keys[0]);
    expect(l.value.type === 'list' && l.value.items).toEqual(members.slice(0, 100));
    expect(l.truncated).toBe(true);
    expect(l.length).toBe(300);
    const s = present(facts.keys[1]);
    expect(s.encoding).toBe('hashtable');
    expect(s.truncated).toBe(true);
    expect(s.members).toEqual([{ member: 'm299', present: true }, { member: 'nope', present: false }]);
  });

  test('zset members: score = ZSCORE, rank = ZRANK, level = the skiplist node height; listpack: no level', () => {
    const h = new EngineHarness();
    h.run('ZADD', 'small', '1', 'a', '2', 'b');
    for (let i = 0; i < 200; i++) h.run('ZADD', 'big', String(i % 37), `m${i}`);
    const asked = ['m0', 'm5', 'm36', 'm199', 'absent'];
    const facts = readFacts(h, { keys: [{ db: 0, key: 'big', members: asked }, { db: 0, key: 'small', members: ['b'] }] });
    const big = present(facts.keys[0]);
    expect(big.encoding).toBe('skiplist');
    for (const m of big.members) {
      if (!m.present) {
        expect(h.run('ZRANK', 'big', m.member)).toEqual({ t: 'null', wire: '$' });
        continue;
      }
      expect(m.rank).toBe(int(h.run('ZRANK', 'big', m.member)));
      expect(String(m.score)).toBe(str(h.run('ZSCORE', 'big', m.member)));
      const snap = skiplistQuery(h.server, { kind: 'skiplist', db: 0, key: 'big', focusMember: m.member, limit: 1 });
      if (snap.encoding !== 'skiplist') throw new Error('expected a skiplist');
      expect(snap.nodes[0].member).toBe(m.member);
      expect(m.level).toBe(snap.nodes[0].level);
    }
    expect(big.members.map((m) => m.present)).toEqual([true, true, true, true, false]);
    // Levels are rolled: over 200 nodes some are taller than 1.
    expect(Math.max(...big.members.filter((m) => m.present).map((m) => m.level ?? 0))).toBeGreaterThanOrEqual(1);
    const small = present(facts.keys[1]);
    expect(small.encoding).toBe('listpack');
    expect(small.members).toEqual([{ member: 'b', present: true, score: 2, rank: 1, level: null }]);
  });

  test('hash fields and keys in other databases', () => {
    const h = new EngineHarness();
    h.run('SELECT', '3');
    h.run('HSET', 'h', 'name', 'ada', 'city', 'paris');
    h.run('SELECT', '0');
    const facts = readFacts(h, { keys: [{ db: 3, key: 'h', members: ['city', 'zip'] }, { db: 0, key: 'h' }], dbs: [0, 3] });
    expect(present(facts.keys[0]).members).toEqual([{ member: 'city', present: true, value: 'paris' }, { member: 'zip', present: false }]);
    expect(facts.keys[1].exists).toBe(false);
    expect(facts.dbs).toEqual([{ db: 0, size: 0, rehashing: false }, { db: 3, size: 1, rehashing: false }]);
  });
});

describe('reading changes nothing', () => {
  test('a logically expired key is absent (as GET says) but not deleted; LRU, stats, rehashing untouched', () => {
    const h = new EngineHarness();
    h.run('SET', 'gone', 'v', 'PX', '100');
    h.run('SET', 'kept', 'v');
    // A hash in hashtable encoding, stopped in the middle of a rehash.
    h.run('HSET', 'h', ...Array.from({ length: 130 }, (_, i) => [`f${i}`, 'v']).flat());
    const hashDict = () => (h.server.dbs[0].dict.peek('h')!.value as { isRehashing: boolean });
    for (let i = 130; !hashDict().isRehashing; i++) {
      if (i > 5000) throw new Error('the hash never started rehashing');
      h.run('HSET', 'h', `f${i}`, 'v');
    }
    // Then keys until the keyspace dict is in the middle of a rehash too.
    for (let i = 0; !h.server.dbs[0].dict.isRehashing; i++) {
      if (i > 1000) throw new Error('the keyspace never started rehashing');
      h.run('SET', `k${i}`, 'v');
    }
    h.clock.set(h.clock.now() + 5_000); // the LRU clock moves: a touch would show; 'gone' expires
    const facts = readFacts(h, { keys: [{ db: 0, key: 'gone' }, { db: 0, key: 'kept' }, { db: 0, key: 'h', members: ['f1'] }], dbs: [0] });
    expect(facts.keys[0].exists).toBe(false);
    expect(h.server.dbs[0].dict.peek('gone')).toBeDefined(); // still there: nothing deleted it
    expect(present(facts.keys[1]).value).toEqual({ type: 'string', value: 'v' });
    expect(present(facts.keys[2]).rehashing).toBe(true);
    expect(facts.dbs[0].rehashing).toBe(true);
    expect(facts.dbs[0].size).toBe(int(h.run('DBSIZE'))); // DBSIZE counts the expired key too
    expect(h.run('GET', 'gone')).toEqual({ t: 'null', wire: '$' });
  });
});

describe('config and clients', () => {
  test('config values are what CONFIG GET says; unknown names are null', () => {
    const h = new EngineHarness();
    h.run('CONFIG', 'SET', 'maxmemory', '10mb');
    h.run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    const facts = readFacts(h, { config: ['maxmemory', 'maxmemory-policy', 'no-such-thing'] });
    expect(facts.config).toEqual([
      { name: 'maxmemory', value: strings(h.run('CONFIG', 'GET', 'maxmemory'))[1] },
      { name: 'maxmemory-policy', value: 'allkeys-lru' },
      { name: 'no-such-thing', value: null },
    ]);
    expect(facts.config[0].value).toBe('10485760');
  });

  test('clients by address: MULTI, subscriptions, WATCH', () => {
    const h = new EngineHarness();
    const one = connect(h, '127.0.0.1:52001');
    const two = connect(h, '127.0.0.1:52002');
    const clients = [{ n: 1, addr: '127.0.0.1:52001' }, { n: 2, addr: '127.0.0.1:52002' }, { n: 3, addr: '127.0.0.1:52003' }];
    let facts = readFacts(h, { clients });
    expect(facts.clients).toEqual([
      { n: 1, connected: true, inMulti: false, subscriptions: 0, watching: false, id: one.client.id },
      { n: 2, connected: true, inMulti: false, subscriptions: 0, watching: false, id: two.client.id },
      { n: 3, connected: false, inMulti: false, subscriptions: 0, watching: false, id: null },
    ]);
    one.run('WATCH', 'k');
    one.run('MULTI');
    two.run('SUBSCRIBE', 'a', 'b');
    two.run('PSUBSCRIBE', 'news.*');
    facts = readFacts(h, { clients });
    expect(facts.clients[0]).toMatchObject({ inMulti: true, watching: true, subscriptions: 0 });
    expect(facts.clients[1]).toMatchObject({ inMulti: false, watching: false, subscriptions: 3 });
    one.run('EXEC');
    facts = readFacts(h, { clients });
    expect(facts.clients[0]).toMatchObject({ inMulti: false, watching: false });
  });
});

test('a bad db is an error result, not a throw', () => {
  const h = new EngineHarness();
  expect(runSnapshotQuery(h.server, { kind: 'lesson-facts', dbs: [99] })).toEqual({ kind: 'error', message: 'DB index 99 is out of range' });
  expect(lessonFacts(h.server, { kind: 'lesson-facts' })).toMatchObject({ keys: [], dbs: [], config: [], clients: [] });
});

test('through the worker host: lesson clients named by connection id', () => {
  const out: FromWorker[] = [];
  const host = new EngineHost((m) => out.push(m), { seed: 1, startTime: 1_700_000_000_000, defer: (fn) => fn() });
  const send = (body: ToWorkerBody) => host.handle(versioned(body));
  send({ type: 'connect', clientId: 'term-a' });
  send({ type: 'connect', clientId: 'term-b' });
  send({ type: 'send', clientId: 'term-b', bytes: commandFrame(['MULTI']) });
  send({ type: 'send', clientId: 'term-a', bytes: commandFrame(['SET', 'k', 'v']) });
  send({
    type: 'query', id: 7,
    query: { kind: 'lesson-facts', keys: [{ db: 0, key: 'k' }], clients: [{ n: 1, connection: 'term-a' }, { n: 2, connection: 'term-b' }, { n: 3, connection: 'nobody' }] },
  });
  const answer = out.find((m) => m.type === 'snapshot' && m.id === 7);
  if (answer?.type !== 'snapshot' || answer.result.kind !== 'lesson-facts') throw new Error(JSON.stringify(answer));
  expect(answer.result.keys[0]).toMatchObject({ exists: true, value: { type: 'string', value: 'v' } });
  expect(answer.result.clients.map((c) => [c.n, c.connected, c.inMulti])).toEqual([[1, true, false], [2, true, true], [3, false, false]]);
});

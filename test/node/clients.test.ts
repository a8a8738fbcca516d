// Real client libraries against server mode: ioredis and node-redis (RESP2 and RESP3) run the same
// realistic session against the engine and against a real redis-server, and every result (values,
// library errors, pipeline results) must be the same.
import Redis from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRespServer, type RunningServer } from '../../src/node/respServer.ts';
import { startRealRedis, type RealRedis } from '../support/realRedis.ts';

let engine: RunningServer;
let real: RealRedis;

beforeAll(async () => {
  [engine, real] = await Promise.all([startRespServer({ port: 0, seed: 7 }), startRealRedis()]);
});
afterAll(async () => {
  await Promise.all([engine?.close(), real?.stop()]);
});

/** One step of a session: a label and what the library returned (or the error it raised). */
type Outcome = [label: string, result: unknown];

/** Runs steps in order, recording each result or library error as data. */
async function record(steps: [string, () => Promise<unknown>][]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const [label, step] of steps) {
    try {
      out.push([label, await step()]);
    } catch (e) {
      const err = e as Error;
      out.push([label, { error: err.constructor.name, message: err.message }]);
    }
  }
  return out;
}

function expectSameOutcomes(engineRun: Outcome[], realRun: Outcome[]): void {
  expect(engineRun.map(([label]) => label)).toEqual(realRun.map(([label]) => label));
  for (let i = 0; i < realRun.length; i++) {
    expect(engineRun[i][1], `step ${realRun[i][0]}`).toEqual(realRun[i][1]);
  }
}

/** Every byte value, and the CR/LF pairs that would break a careless protocol implementation. */
const BINARY = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n$5\r\n*1\r\n')]);
const sorted = (xs: string[]) => [...xs].sort();

// --- ioredis ---------------------------------------------------------------------------------

function ioredisSession(r: Redis): [string, () => Promise<unknown>][] {
  return [
    ['flushall', () => r.flushall()],
    // strings
    ['set', () => r.set('s:name', 'rediscope')],
    ['get', () => r.get('s:name')],
    ['get missing', () => r.get('s:nope')],
    ['set nx on existing', () => r.set('s:name', 'other', 'NX')],
    ['set get', () => r.set('s:name', 'next', 'GET')],
    ['set ex', () => r.set('s:ttl', 'v', 'EX', 100)],
    ['ttl', () => r.ttl('s:ttl')],
    ['persist', () => r.persist('s:ttl')],
    ['incr', () => r.incr('s:counter')],
    ['incrby', () => r.incrby('s:counter', 41)],
    ['decrby', () => r.decrby('s:counter', 2)],
    ['incrbyfloat', () => r.incrbyfloat('s:float', '10.5')],
    ['incrbyfloat again', () => r.incrbyfloat('s:float', '0.1')],
    ['append', () => r.append('s:name', '-suffix')],
    ['strlen', () => r.strlen('s:name')],
    ['getrange', () => r.getrange('s:name', 0, 3)],
    ['setrange', () => r.setrange('s:name', 2, 'XY')],
    ['mset', () => r.mset({ 's:a': '1', 's:b': '2', 's:c': '3' })],
    ['mget', () => r.mget('s:a', 's:b', 's:missing', 's:c')],
    ['msetnx', () => r.msetnx('s:a', 'x', 's:new', 'y')],
    ['getdel', () => r.getdel('s:c')],
    ['exists', () => r.exists('s:a', 's:b', 's:c')],
    ['object encoding int', () => r.object('ENCODING', 's:counter')],
    ['object encoding embstr', () => r.object('ENCODING', 's:name')],
    ['object encoding raw', async () => { await r.set('s:raw', 'x'.repeat(45)); return r.object('ENCODING', 's:raw'); }],
    ['type', () => r.type('s:a')],
    // binary values
    ['set binary', () => r.set(Buffer.from('s:bin'), BINARY)],
    ['get binary', () => r.getBuffer('s:bin')],
    ['strlen binary', () => r.strlen('s:bin')],
    ['binary key', () => r.set(Buffer.from([0, 255, 13, 10]), 'binary key')],
    ['get binary key', () => r.get(Buffer.from([0, 255, 13, 10]))],
    // hashes
    ['hset object', () => r.hset('h:user', { name: 'Ada', lang: 'en', visits: '1' })],
    ['hget', () => r.hget('h:user', 'name')],
    ['hgetall', () => r.hgetall('h:user')],
    ['hincrby', () => r.hincrby('h:user', 'visits', 5)],
    ['hincrbyfloat', () => r.hincrbyfloat('h:user', 'score', '1.25')],
    ['hmget', () => r.hmget('h:user', 'name', 'nope', 'lang')],
    ['hexists', () => r.hexists('h:user', 'lang')],
    ['hdel', () => r.hdel('h:user', 'lang', 'nope')],
    ['hlen', () => r.hlen('h:user')],
    ['hkeys', () => r.hkeys('h:user')],
    ['hvals', () => r.hvals('h:user')],
    ['hsetnx', () => r.hsetnx('h:user', 'name', 'Grace')],
    ['hstrlen', () => r.hstrlen('h:user', 'name')],
    ['hash encoding', () => r.object('ENCODING', 'h:user')],
    // lists
    ['rpush', () => r.rpush('l:queue', 'a', 'b', 'c', 'd')],
    ['lpush', () => r.lpush('l:queue', 'z')],
    ['lrange', () => r.lrange('l:queue', 0, -1)],
    ['lindex', () => r.lindex('l:queue', -1)],
    ['lset', () => r.lset('l:queue', 1, 'A')],
    ['linsert', () => r.linsert('l:queue', 'BEFORE', 'c', 'b2')],
    ['lrem', () => r.lrem('l:queue', 0, 'b')],
    ['lpop', () => r.lpop('l:queue')],
    ['rpop count', () => r.rpop('l:queue', 2)],
    ['llen', () => r.llen('l:queue')],
    ['ltrim', () => r.ltrim('l:queue', 0, 0)],
    ['lrange after trim', () => r.lrange('l:queue', 0, -1)],
    ['lpos', () => r.lpos('l:queue', 'A')],
    ['list encoding', () => r.object('ENCODING', 'l:queue')],
    // sets
    ['sadd ints', () => r.sadd('set:ints', 3, 1, 2)],
    ['smembers intset', () => r.smembers('set:ints')],
    ['sadd strings', () => r.sadd('set:words', 'apple', 'banana', 'cherry')],
    ['sismember', () => r.sismember('set:words', 'banana')],
    ['smismember', () => r.smismember('set:words', 'apple', 'kiwi')],
    ['scard', () => r.scard('set:words')],
    ['srem', () => r.srem('set:words', 'banana', 'kiwi')],
    ['sunion', async () => sorted(await r.sunion('set:ints', 'set:words'))],
    ['sinter', () => r.sinter('set:ints', 'set:words')],
    ['sdiff', async () => sorted(await r.sdiff('set:words', 'set:ints'))],
    ['set encodings', async () => [await r.object('ENCODING', 'set:ints'), await r.object('ENCODING', 'set:words')]],
    // sorted sets
    ['zadd', () => r.zadd('z:board', 10, 'alice', 20, 'bob', 15, 'carol')],
    ['zadd incr', () => r.zadd('z:board', 'INCR', 5, 'alice')],
    ['zrange withscores', () => r.zrange('z:board', 0, -1, 'WITHSCORES')],
    ['zrevrange', () => r.zrevrange('z:board', 0, 1)],
    ['zscore', () => r.zscore('z:board', 'carol')],
    ['zincrby', () => r.zincrby('z:board', 2.5, 'bob')],
    ['zrank', () => r.zrank('z:board', 'bob')],
    ['zrangebyscore', () => r.zrangebyscore('z:board', 14, '(22.5', 'WITHSCORES')],
    ['zcount', () => r.zcount('z:board', '-inf', '+inf')],
    ['zrem', () => r.zrem('z:board', 'carol', 'nobody')],
    ['zcard', () => r.zcard('z:board')],
    ['zset encoding', () => r.object('ENCODING', 'z:board')],
    // keys
    ['expire', () => r.expire('s:a', 100)],
    ['pttl rounded', async () => Math.round((await r.pttl('s:a')) / 1000)],
    ['rename', () => r.rename('s:b', 's:b2')],
    ['keys', async () => sorted(await r.keys('s:*'))],
    ['scan all', async () => {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await r.scan(cursor, 'MATCH', '*', 'COUNT', 5);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      return sorted([...new Set(keys)]);
    }],
    ['dbsize', () => r.dbsize()],
    ['select', () => r.select(1)],
    ['dbsize db1', () => r.dbsize()],
    ['select back', () => r.select(0)],
    // errors surface as library errors
    ['incr not a number', () => r.incr('s:name')],
    ['wrongtype', () => r.lpush('s:name', 'x')],
    ['unknown command', () => r.call('NOSUCHCOMMAND', 'arg')],
    ['wrong arity', () => r.call('GET')],
    ['syntax error', () => r.call('SET', 'k', 'v', 'BOGUS')],
    // a batch without MULTI, errors inside
    ['pipeline', () => r.pipeline()
      .set('p:1', 'one').get('p:1').incr('p:1').rpush('p:list', 'x', 'y').lrange('p:list', 0, -1)
      .hset('p:h', 'f', 'v').hgetall('p:h').zadd('p:z', 1, 'm').zrange('p:z', 0, -1, 'WITHSCORES')
      .exec()
      .then((results) => results!.map(([err, value]) => (err ? { error: err.message } : value)))],
    ['big pipeline', async () => {
      const p = r.pipeline();
      for (let i = 0; i < 2000; i++) p.incr('p:counter');
      const results = await p.exec();
      return results!.at(-1);
    }],
    ['ping', () => r.ping()],
    ['echo', () => r.echo('hello')],
  ];
}

describe('ioredis', () => {
  it('runs the same session against the engine and real Redis', async () => {
    const runs: Outcome[][] = [];
    for (const port of [engine.port, real.port]) {
      const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      await r.connect();
      try {
        runs.push(await record(ioredisSession(r)));
      } finally {
        r.disconnect();
      }
    }
    expectSameOutcomes(runs[0], runs[1]);
  });
});

// --- node-redis ------------------------------------------------------------------------------

type NodeRedis = ReturnType<typeof createClient>;

function nodeRedisSession(r: NodeRedis): [string, () => Promise<unknown>][] {
  return [
    ['flushAll', () => r.flushAll()],
    ['set', () => r.set('n:key', 'value', { EX: 100 })],
    ['get', () => r.get('n:key')],
    ['ttl', () => r.ttl('n:key')],
    ['set binary', () => r.set('n:bin', BINARY)],
    ['incr', () => r.incr('n:count')],
    ['incrByFloat', () => r.incrByFloat('n:float', 2.5)],
    ['mGet', () => r.mGet(['n:key', 'n:missing', 'n:count'])],
    ['hSet', () => r.hSet('n:hash', { a: '1', b: '2', c: '3' })],
    ['hGetAll', () => r.hGetAll('n:hash')],
    ['hIncrBy', () => r.hIncrBy('n:hash', 'a', 10)],
    ['hKeys', () => r.hKeys('n:hash')],
    ['rPush', () => r.rPush('n:list', ['x', 'y', 'z'])],
    ['lRange', () => r.lRange('n:list', 0, -1)],
    ['lPop', () => r.lPop('n:list')],
    ['sAdd', () => r.sAdd('n:set', ['1', '2', '3', '2'])],
    ['sMembers', () => r.sMembers('n:set')],
    ['sIsMember', () => r.sIsMember('n:set', '2')],
    ['zAdd', () => r.zAdd('n:z', [{ score: 1.5, value: 'a' }, { score: -2, value: 'b' }, { score: 1e20, value: 'c' }])],
    ['zRange', () => r.zRange('n:z', 0, -1)],
    ['zRangeWithScores', () => r.zRangeWithScores('n:z', 0, -1)],
    ['zScore', () => r.zScore('n:z', 'a')],
    ['zIncrBy', () => r.zIncrBy('n:z', 0.25, 'a')],
    ['type', () => r.type('n:z')],
    ['exists', () => r.exists(['n:key', 'n:z', 'n:none'])],
    ['del', () => r.del(['n:count', 'n:none'])],
    ['dbSize', () => r.dbSize()],
    ['batch without MULTI', () => r.multi()
      .set('n:p', '1').incr('n:p').get('n:p').hSet('n:ph', 'f', 'v').hGetAll('n:ph').rPush('n:pl', ['a', 'b']).lRange('n:pl', 0, -1)
      .execAsPipeline()
      .then((results) => results.map((v) => (v instanceof Error ? { error: v.message } : v)))],
    ['incr not a number', () => r.incr('n:key')],
    ['wrongtype', () => r.lPush('n:hash', 'x')],
    ['unknown command', () => r.sendCommand(['NOSUCHCOMMAND', 'x'])],
    ['get binary as buffer', async () => {
      const reply = await r.sendCommand(['GET', 'n:bin'], { typeMapping: { 36: Buffer } } as never);
      return Buffer.isBuffer(reply) ? reply.equals(BINARY) : reply;
    }],
    ['ping', () => r.ping()],
  ];
}

for (const resp of [2, 3] as const) {
  describe(`node-redis, RESP${resp}`, () => {
    it('runs the same session against the engine and real Redis', async () => {
      const runs: Outcome[][] = [];
      for (const port of [engine.port, real.port]) {
        const r = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false }, RESP: resp });
        r.on('error', () => {});
        await r.connect();
        try {
          runs.push(await record(nodeRedisSession(r as NodeRedis)));
          if (resp === 3) runs.at(-1)!.push(['HELLO reply', await r.sendCommand(['HELLO', '3']).then((h) => summarizeHello(h))]);
        } finally {
          r.destroy();
        }
      }
      expectSameOutcomes(runs[0], runs[1]);
    });
  });
}

/** HELLO's map, without the fields that differ between two servers by nature. */
function summarizeHello(h: unknown): unknown {
  const entries = h instanceof Map ? [...h.entries()] : Object.entries(h as Record<string, unknown>);
  return entries.filter(([k]) => !['id', 'version'].includes(String(k))).map(([k, v]) => [String(k), v]);
}

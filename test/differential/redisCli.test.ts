// The real redis-cli, run against real Redis and against server mode with the same session, must
// print the same text: what a learner sees in a terminal is identical.
import { afterAll, beforeAll, it } from 'vitest';
import { expectSameSession as expectSameCliSession } from './cliSession.ts';
import { DifferentialPair } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start({ 'enable-debug-command': 'yes' }); });
afterAll(async () => { await pair?.stop(); });

function expectSameSession(lines: string[]): Promise<void> {
  return expectSameCliSession(pair, lines);
}

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

it('strings: values, counters and their encodings', async () => {
  await expectSameSession([
    'SET greeting "hello world"', 'GET greeting', 'OBJECT ENCODING greeting', 'SET n 42', 'OBJECT ENCODING n',
    'INCR n', 'INCRBY n -50', 'INCRBYFLOAT n 0.5', 'APPEND greeting "!"', 'OBJECT ENCODING greeting',
    `SET long ${'x'.repeat(44)}`, 'OBJECT ENCODING long', `SET longer ${'x'.repeat(45)}`, 'OBJECT ENCODING longer',
    'MSET a 1 b 2 c 3', 'MGET a b nosuch c', 'GETRANGE greeting 0 4', 'SETRANGE greeting 6 W', 'GET greeting',
    'STRLEN greeting', 'GET nosuch', 'INCR greeting', 'SET "bin\\x00ary" "\\xff\\x01"', 'GET "bin\\x00ary"',
  ]);
});

it('lists: pushes, ranges and encoding', async () => {
  await expectSameSession([
    'RPUSH l a b c d e', 'LRANGE l 0 -1', 'LPOP l', 'RPOP l 2', 'LLEN l', 'OBJECT ENCODING l', 'LINDEX l 0',
    'LINSERT l BEFORE b x', 'LRANGE l 0 -1', 'LPOS l c', 'LMOVE l l2 LEFT RIGHT', 'LRANGE l2 0 -1',
    `RPUSH big ${range(200, (i) => `e${i}`).join(' ')}`, 'OBJECT ENCODING big', 'LRANGE big 100 103', 'LRANGE empty 0 -1',
  ]);
});

it('hashes: fields and listpack to hashtable', async () => {
  await expectSameSession([
    'HSET h f1 v1 f2 v2', 'HGET h f1', 'HGETALL h', 'HINCRBY h n 5', 'HKEYS h', 'OBJECT ENCODING h',
    `HSET h big ${'v'.repeat(65)}`, 'OBJECT ENCODING h', 'HLEN h', 'HDEL h f1 nosuch', 'HEXISTS h f1',
    'CONFIG SET hash-max-listpack-entries 3', `HSET h2 ${range(4, (i) => `f${i} ${i}`).join(' ')}`, 'OBJECT ENCODING h2',
    'CONFIG SET hash-max-listpack-entries 512',
  ]);
});

it('sets: intset upgrades and conversion', async () => {
  await expectSameSession([
    'SADD s 3 1 2', 'SMEMBERS s', 'OBJECT ENCODING s', 'SADD s 100000', 'SADD s 10000000000', 'SMEMBERS s',
    'SISMEMBER s 2', 'SADD s notanumber', 'OBJECT ENCODING s', 'SCARD s', 'SADD t 1 2 9', 'SINTER s t',
    'SINTERSTORE u s t', 'OBJECT ENCODING u', 'SREM s 1 7', 'SMISMEMBER s 1 2 3',
    'CONFIG SET set-max-intset-entries 4', 'SADD few 1 2 3 4', 'OBJECT ENCODING few', 'SADD few 5',
    'OBJECT ENCODING few', 'CONFIG SET set-max-intset-entries 512',
  ]);
});

it('sorted sets: scores, ranks and listpack to skiplist', async () => {
  await expectSameSession([
    'ZADD z 1 a 2 b 3 c', 'ZRANGE z 0 -1 WITHSCORES', 'ZRANK z c', 'ZSCORE z b', 'ZINCRBY z 0.1 a',
    'ZRANGE z 0 -1 WITHSCORES', 'OBJECT ENCODING z', 'CONFIG SET zset-max-listpack-entries 3', 'ZADD z 4 d',
    'OBJECT ENCODING z', 'ZRANGEBYSCORE z (1 +inf', 'ZREVRANGE z 0 1 WITHSCORES', 'ZPOPMIN z', 'ZCARD z',
    'ZADD z nan x', 'ZADD z 1 a', 'CONFIG SET zset-max-listpack-entries 128',
    `ZADD short 1 ${'m'.repeat(64)}`, 'OBJECT ENCODING short', `ZADD long 1 ${'m'.repeat(65)}`, 'OBJECT ENCODING long',
  ]);
});

it('keys and expiry', async () => {
  await expectSameSession([
    'SET k v EX 100', 'TTL k', 'EXPIRE k 50 GT', 'TTL k', 'PERSIST k', 'TTL k', 'SET gone v PX 50',
    'DEBUG SLEEP 0.2', 'EXISTS gone', 'GET gone', 'TYPE k', 'TYPE nosuch', 'RENAME k k2', 'EXISTS k k2',
    'DEL k2 nosuch', 'DBSIZE', 'SELECT 3', 'SET other 1', 'DBSIZE', 'SELECT 0', 'DBSIZE', 'KEYS *',
    'EXPIRE nosuch 10', 'TTL nosuch',
  ]);
});

it('errors a learner will meet', async () => {
  await expectSameSession([
    'SET s v', 'LPUSH s x', 'GET', 'NOSUCHCMD arg', 'INCR s', 'SET s v EX 0', 'SET s v NX XX', 'ZADD z x a',
    'HSET h f', 'EXPIRE s abc', 'SELECT 99', 'OBJECT ENCODING nosuch',
  ]);
});

it('bitmaps: bits, counts, positions and bitfields', async () => {
  await expectSameSession([
    'SETBIT bits 7 1', 'SETBIT bits 100 1', 'GETBIT bits 7', 'GETBIT bits 8', 'STRLEN bits', 'OBJECT ENCODING bits',
    'BITCOUNT bits', 'BITCOUNT bits 0 0', 'BITCOUNT bits 0 7 BIT', 'BITPOS bits 1', 'BITPOS bits 0', 'BITPOS bits 1 2 -1',
    'SET n 123', 'OBJECT ENCODING n', 'SETBIT n 0 0', 'OBJECT ENCODING n', 'SET a "\\xff\\x0f"', 'SET b "\\x0f\\xf0"',
    'BITOP AND dest a b', 'GET dest', 'BITOP XOR dest a b', 'GET dest', 'BITOP NOT dest a', 'GET dest',
    'BITOP OR dest nosuch', 'EXISTS dest', 'BITOP NOT dest a b',
    'BITFIELD f SET u8 0 200 INCRBY u8 0 100 GET u8 0', 'BITFIELD f OVERFLOW SAT INCRBY u8 0 1000 OVERFLOW FAIL INCRBY u8 0 1',
    'BITFIELD f GET i4 #1 GET u64 0', 'BITFIELD_RO f SET u8 0 1', 'SETBIT bits 4294967296 1', 'SETBIT bits 0 2',
  ]);
});

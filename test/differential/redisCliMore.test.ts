// redis-cli sessions for HyperLogLog, SORT and memory/eviction: the same text against server mode as
// against Redis.
import { afterAll, beforeAll, it } from 'vitest';
import { expectSameSession } from './cliSession.ts';
import { DifferentialPair } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

it('HyperLogLog: counts, merges and the raw value', async () => {
  await expectSameSession(pair, [
    'PFADD visitors alice bob carol', 'PFADD visitors alice', 'PFCOUNT visitors', 'GET visitors',
    'PFADD others dave erin alice', 'PFCOUNT visitors others', 'PFMERGE all visitors others', 'PFCOUNT all',
    'PFDEBUG ENCODING all', 'SET plain text', 'PFADD plain x', 'PFCOUNT nosuch',
  ]);
});

it('SORT: numbers, ALPHA, LIMIT, BY, GET and STORE', async () => {
  await expectSameSession(pair, [
    'RPUSH ids 3 1 2 10', 'SORT ids', 'SORT ids DESC LIMIT 0 2', 'RPUSH names bob alice carol', 'SORT names',
    'SORT names ALPHA', 'MSET weight_1 30 weight_2 10 weight_3 20 weight_10 5', 'SORT ids BY weight_*',
    'HSET user:1 name Ann', 'HSET user:2 name Ben', 'SORT ids GET # GET user:*->name', 'SORT ids STORE sorted',
    'LRANGE sorted 0 -1', 'SORT_RO ids STORE x',
  ]);
});

it('memory and eviction: MEMORY USAGE, OOM under noeviction, UNLINK and async flush', async () => {
  await expectSameSession(pair, [
    'SET small 42', 'SET text hello', `SET longer ${'x'.repeat(100)}`, 'MEMORY USAGE small', 'MEMORY USAGE text',
    'MEMORY USAGE longer', 'RPUSH l a b c', 'MEMORY USAGE l', 'HSET h f v', 'MEMORY USAGE h', 'MEMORY USAGE nosuch',
    'CONFIG SET maxmemory 1', 'SET k v', 'GET small', 'DEL small', 'CONFIG SET maxmemory 0', 'SET k v',
    'CONFIG GET maxmemory-policy', 'UNLINK text longer', 'FLUSHALL ASYNC', 'DBSIZE',
  ]);
});

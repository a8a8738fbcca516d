// A redis-cli session of transactions prints the same text against server mode as against Redis.
import { afterAll, beforeAll, it } from 'vitest';
import { expectSameSession } from './cliSession.ts';
import { DifferentialPair } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

it('transactions: queued replies, EXEC arrays, EXECABORT, WATCH', async () => {
  await expectSameSession(pair, [
    'MULTI', 'SET balance 100', 'INCRBY balance -30', 'LPUSH log "paid 30"', 'GET balance', 'EXEC',
    'MULTI', 'SET k v', 'INCR k', 'EXEC', 'GET k',
    'MULTI', 'SET x 1', 'NOSUCHCMD', 'EXEC', 'EXISTS x',
    'MULTI', 'MULTI', 'DISCARD', 'DISCARD', 'EXEC',
    'WATCH balance', 'SET balance 0', 'MULTI', 'INCR balance', 'EXEC', 'GET balance',
    'WATCH balance', 'UNWATCH', 'SET balance 5', 'MULTI', 'INCR balance', 'EXEC',
  ]);
});

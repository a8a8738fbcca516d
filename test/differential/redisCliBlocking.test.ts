// A redis-cli session of blocking commands prints the same text against server mode as against
// Redis: replies when there is data, the timeout's nil, errors, and the same inside MULTI and in
// RESP3.
import { afterAll, beforeAll, it } from 'vitest';
import { expectSameSession } from './cliSession.ts';
import { DifferentialPair } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start({ hz: '100' }); });
afterAll(async () => { await pair?.stop(); });

const session = [
  'RPUSH tasks a b c d e', 'BLPOP tasks 0', 'BRPOP empty tasks 1', 'BLMPOP 1 2 empty tasks RIGHT COUNT 2',
  'BLMOVE tasks done LEFT RIGHT 0', 'BRPOPLPUSH tasks done 0.5', 'LRANGE done 0 -1', 'EXISTS tasks',
  'BLPOP tasks 0.02', 'BRPOPLPUSH tasks done 0.01', 'BLMPOP 0.01 1 tasks LEFT',
  'ZADD board 1.5 ann 3 bob -2 cid 10 dee', 'BZPOPMIN board 0', 'BZPOPMAX nothing board 0',
  'BZMPOP 0 1 board MIN COUNT 5', 'BZPOPMIN board 0.01', 'BZMPOP 0.01 1 board MAX',
  'SET str x', 'BLPOP str 0', 'BZPOPMIN str 0', 'BLPOP tasks -1', 'BLPOP tasks abc', 'BLMPOP 0 0 tasks LEFT',
  'BZMPOP 0 1 board SIDEWAYS', 'BLMOVE tasks done UP LEFT 0',
  'MULTI', 'BLPOP tasks 0', 'BLMOVE tasks done LEFT LEFT 0', 'BZMPOP 0 1 board MIN', 'EXEC',
];

it('blocking commands with data, timeouts and errors', async () => {
  await expectSameSession(pair, session);
});

it('the same in RESP3', async () => {
  await expectSameSession(pair, session, ['-3']);
});

// redis-cli sessions on introspection and connection commands: what a learner sees in a terminal
// for CLIENT, SLOWLOG, LATENCY and AUTH must be the same line by line as with real Redis 7.0.15.
// (Nothing whose output carries client ids, ports or times.)
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectSameSession } from './cliSession.ts';
import { DifferentialPair } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

describe('redis-cli sessions', () => {
  it('CLIENT subcommands', async () => {
    await expectSameSession(pair, [
      'CLIENT HELP', 'CLIENT GETNAME', 'CLIENT SETNAME learner', 'CLIENT GETNAME', 'CLIENT SETNAME "two words"',
      'CLIENT GETREDIR', 'CLIENT TRACKINGINFO', 'CLIENT TRACKING on BCAST PREFIX user: PREFIX obj:',
      'CLIENT TRACKINGINFO', 'CLIENT GETREDIR', 'CLIENT TRACKING off', 'CLIENT TRACKING on OPTIN',
      'CLIENT CACHING yes', 'CLIENT TRACKINGINFO', 'CLIENT CACHING no', 'CLIENT TRACKING on PREFIX x',
      'CLIENT NO-EVICT on', 'CLIENT NO-EVICT maybe', 'CLIENT REPLY ON', 'CLIENT KILL 1.2.3.4:5',
      'CLIENT KILL TYPE master', 'CLIENT KILL MAXAGE 5', 'CLIENT LIST TYPE bogus', 'CLIENT LIST ID 999999',
      'CLIENT UNBLOCK 999999', 'CLIENT NOSUCH', 'CLIENT',
    ]);
  });

  it('SLOWLOG and LATENCY', async () => {
    await expectSameSession(pair, [
      'SLOWLOG HELP', 'SLOWLOG RESET', 'SLOWLOG GET 0', 'SLOWLOG GET -5', 'SLOWLOG LEN x',
      'CONFIG SET slowlog-log-slower-than 0', 'SLOWLOG RESET', 'SET a 1', 'SLOWLOG LEN',
      'CONFIG SET slowlog-max-len 2', 'SLOWLOG LEN', 'CONFIG SET slowlog-log-slower-than 10000',
      'CONFIG SET slowlog-max-len 128', 'CONFIG GET slowlog-max-len',
      'LATENCY HELP', 'LATENCY DOCTOR', 'LATENCY LATEST', 'LATENCY HISTORY command', 'LATENCY GRAPH command',
      'LATENCY RESET', 'LATENCY RESET command fast-command', 'CONFIG GET latency-monitor-threshold',
      'CONFIG SET latency-monitor-threshold 100', 'LATENCY DOCTOR', 'CONFIG SET latency-monitor-threshold 0',
      'LATENCY NOSUCH',
    ]);
  });

  it('AUTH and a password', async () => {
    await expectSameSession(pair, [
      'AUTH nopassword', 'AUTH default anything', 'AUTH someone pw', 'AUTH a b c',
      'CONFIG SET requirepass s3cret', 'PING', 'AUTH wrong', 'AUTH s3cret', 'RESET', 'GET k', 'HELLO 3',
      'AUTH default s3cret', 'SET k v', 'GET k', 'CONFIG SET requirepass ""', 'RESET', 'GET k',
    ]);
  });
});

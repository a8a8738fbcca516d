// Transactions inside the engine: the queue, the CAS flags and the watched-key bookkeeping that the
// differential suite cannot see (it only sees replies).
import { describe, expect, it } from 'vitest';
import { commandFrame, EngineHarness } from '../../support/engineHarness.ts';
import { parseResp, type RespValue } from '../../support/respValue.ts';
import type { Client } from '../../../src/engine/server/client.ts';

/** A second connection to the harness's server. */
function connect(h: EngineHarness): { client: Client; run: (...argv: string[]) => RespValue } {
  let out = '';
  const client = h.server.connect({ write: (d) => { out += d; }, close: () => {} });
  return {
    client,
    run: (...argv) => {
      out = '';
      client.feed(commandFrame(argv));
      return parseResp(out);
    },
  };
}

describe('transaction state', () => {
  it('queues argv and command while in MULTI; EXEC empties the state', () => {
    const h = new EngineHarness();
    h.run('MULTI');
    h.run('SET', 'k', 'v');
    h.run('INCR', 'n');
    expect(h.client.tx.multi!.commands.map((q) => q.argv)).toEqual([['SET', 'k', 'v'], ['INCR', 'n']]);
    expect(h.client.tx.multi!.flags.has('write')).toBe(true);
    expect(h.raw('EXEC')).toBe('*2\r\n+OK\r\n:1\r\n');
    expect(h.client.tx.multi).toBeNull();
  });

  it('stops queueing once the transaction is doomed', () => {
    const h = new EngineHarness();
    h.run('MULTI');
    h.run('NOSUCH');
    expect(h.client.tx.dirtyExec).toBe(true);
    h.run('SET', 'k', 'v');
    expect(h.client.tx.multi!.commands).toHaveLength(0);
  });

  it('keeps watched keys on both the client and the database, and forgets them', () => {
    const h = new EngineHarness();
    const b = connect(h);
    h.run('WATCH', 'a', 'b', 'a');
    b.run('WATCH', 'a');
    const db = h.server.dbs[0];
    expect([...db.watchedKeys.keys()].sort()).toEqual(['a', 'b']);
    expect(db.watchedKeys.get('a')!.map((wk) => wk.client.id)).toEqual([h.client.id, b.client.id]);
    h.run('UNWATCH');
    expect([...db.watchedKeys.keys()]).toEqual(['a']);
    h.server.disconnect(b.client);
    expect(db.watchedKeys.size).toBe(0);
  });

  it('a touched watcher is unwatched at once (its EXEC fails anyway)', () => {
    const h = new EngineHarness();
    const b = connect(h);
    h.run('WATCH', 'k', 'other');
    b.run('SET', 'k', '1');
    expect(h.client.tx.dirtyCas).toBe(true);
    expect(h.client.tx.watched).toHaveLength(0);
    expect(h.server.dbs[0].watchedKeys.size).toBe(0);
    h.run('MULTI');
    expect(h.raw('EXEC')).toBe('*-1\r\n');
    expect(h.client.tx.dirtyCas).toBe(false);
  });

  it('a key expiring on the virtual clock fails EXEC', () => {
    const h = new EngineHarness();
    h.run('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    h.run('SET', 'k', 'v', 'PX', '100');
    h.run('WATCH', 'k');
    h.clock.advance(50);
    h.run('MULTI');
    expect(h.raw('EXEC')).toBe('*0\r\n');
    h.run('WATCH', 'k');
    h.clock.advance(100);
    h.run('MULTI');
    expect(h.raw('EXEC')).toBe('*-1\r\n');
  });
});

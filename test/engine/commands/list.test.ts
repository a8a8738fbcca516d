import { describe, expect, it } from 'vitest';
// The harness (the server) first: command modules are only safe to import after it.
import { EngineHarness } from '../../support/engineHarness.ts';
import { Quicklist } from '../../../src/engine/ds/quicklist.ts';
import { setServerPackedThreshold } from '../../../src/engine/commands/list.ts';
import { texts } from '../../support/respValue.ts';

function ql(h: EngineHarness, key: string): Quicklist {
  return h.object(key)!.value as Quicklist;
}

const counts = (q: Quicklist) => [...q.nodes()].map((n) => n.count);

describe('list objects', () => {
  it('are quicklists whose nodes are visible on the object', () => {
    const h = new EngineHarness({ config: { 'list-max-listpack-size': '3' } });
    h.run('RPUSH', 'k', 'a', 'b', 'c', 'd', 'e', 'f', 'g');
    expect(h.encoding('k')).toBe('quicklist');
    const q = ql(h, 'k');
    expect(q).toBeInstanceOf(Quicklist);
    expect(q.nodeViews().map((n) => [n.count, n.bytes])).toEqual([[3, 16], [3, 16], [1, 10]]);
  });

  it('take fill and compress depth from the config when created; existing lists keep theirs', () => {
    const h = new EngineHarness({ config: { 'list-max-listpack-size': '2', 'list-compress-depth': '1' } });
    h.run('RPUSH', 'old', ...'abcdef'.split(''));
    expect(counts(ql(h, 'old'))).toEqual([2, 2, 2]);
    const entry = h.server.config.lookup('list-max-listpack-size')!;
    expect(h.server.config.set(entry.spec, '4')).toBeNull();
    h.run('RPUSH', 'old', 'g', 'h', 'i');
    h.run('RPUSH', 'new', ...'abcdefghi'.split(''));
    expect(counts(ql(h, 'old'))).toEqual([2, 2, 2, 2, 1]);
    expect(counts(ql(h, 'new'))).toEqual([4, 4, 1]);
    expect(ql(h, 'old').compressDepth).toBe(1);
    // LMOVE creates its destination with the config too.
    h.run('LMOVE', 'old', 'moved', 'LEFT', 'LEFT');
    expect(ql(h, 'moved').fill).toBe(4);
  });

  it('compress interior nodes per list-compress-depth, and reads do not change that', () => {
    const h = new EngineHarness({ config: { 'list-max-listpack-size': '1', 'list-compress-depth': '1' } });
    h.run('RPUSH', 'k', ...['a', 'b', 'c', 'd'].map((c) => c.repeat(100)));
    const state = () => [...ql(h, 'k').nodes()].map((n) => n.compressed);
    expect(state()).toEqual([false, true, true, false]);
    expect(texts(h.run('LRANGE', 'k', '0', '-1')).map((s) => s[0])).toEqual(['a', 'b', 'c', 'd']);
    h.run('LINDEX', 'k', '1');
    h.run('LPOS', 'k', 'zzz');
    expect(state()).toEqual([false, true, true, false]);
    h.run('LPOP', 'k');
    expect(state()).toEqual([false, true, false]);
  });

  it('use PLAIN nodes for elements over the server packed threshold', () => {
    const h = new EngineHarness();
    expect(setServerPackedThreshold(h.server, 50)).toBe(true);
    h.run('RPUSH', 'k', 'a', 'x'.repeat(60), 'b');
    h.run('LSET', 'k', '0', 'y'.repeat(70));
    h.run('LINSERT', 'k', 'AFTER', 'b', 'z'.repeat(50));
    expect([...ql(h, 'k').nodes()].map((n) => `${n.container}:${n.count}`))
      .toEqual(['plain:1', 'plain:1', 'packed:1', 'plain:1']);
    expect(texts(h.run('LRANGE', 'k', '0', '-1')).map((s) => s.length)).toEqual([70, 60, 1, 50]);
    // Other servers are not affected.
    const other = new EngineHarness();
    other.run('RPUSH', 'k', 'x'.repeat(60));
    expect([...ql(other, 'k').nodes()].map((n) => n.container)).toEqual(['packed']);
  });
});

describe('keyspace events and modified-key signals follow Redis call sites', () => {
  it('push', () => {
    const h = new EngineHarness();
    const ev = h.recordEvents();
    h.run('RPUSH', 'k', 'a', 'b');
    h.run('LPUSH', 'k', 'c');
    h.run('LPUSHX', 'missing', 'c');
    h.run('RPUSHX', 'k', 'd');
    expect(ev).toEqual(['new:k', 'signal:k', 'rpush:k', 'signal:k', 'lpush:k', 'signal:k', 'rpush:k']);
  });

  it('pop, including the key deletion', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'k', 'a', 'b', 'c');
    const ev = h.recordEvents();
    h.run('LPOP', 'k');
    h.run('RPOP', 'k', '0');
    h.run('RPOP', 'k', '5');
    h.run('LPOP', 'k');
    expect(ev).toEqual(['lpop:k', 'signal:k', 'rpop:k', 'del:k', 'signal:k']);
  });

  it('LTRIM always notifies, LREM only when something went', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'k', 'a', 'b', 'a');
    const ev = h.recordEvents();
    h.run('LTRIM', 'k', '0', '-1');
    h.run('LREM', 'k', '0', 'zz');
    h.run('LREM', 'k', '1', 'a');
    h.run('LREM', 'k', '0', 'b');
    h.run('LREM', 'k', '0', 'a');
    h.run('LTRIM', 'missing', '0', '1');
    expect(ev).toEqual(['ltrim:k', 'signal:k', 'signal:k', 'lrem:k', 'signal:k', 'lrem:k', 'signal:k', 'lrem:k', 'del:k']);
  });

  it('LTRIM to nothing deletes the key', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'k', 'a');
    const ev = h.recordEvents();
    h.run('LTRIM', 'k', '1', '0');
    expect(ev).toEqual(['ltrim:k', 'del:k', 'signal:k']);
    expect(h.object('k')).toBeNull();
  });

  it('LINSERT and LSET', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'k', 'a');
    const ev = h.recordEvents();
    h.run('LINSERT', 'k', 'BEFORE', 'nope', 'x');
    h.run('LINSERT', 'k', 'BEFORE', 'a', 'x');
    h.run('LSET', 'k', '5', 'y');
    h.run('LSET', 'k', '0', 'y');
    expect(ev).toEqual(['signal:k', 'linsert:k', 'signal:k', 'lset:k']);
  });

  it('LMOVE: destination first, then the source', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 's', 'a');
    const ev = h.recordEvents();
    h.run('LMOVE', 's', 'd', 'RIGHT', 'LEFT');
    expect(ev).toEqual(['new:d', 'signal:d', 'lpush:d', 'rpop:s', 'del:s', 'signal:s']);
    ev.length = 0;
    h.run('LMOVE', 'd', 'd', 'LEFT', 'RIGHT');
    expect(ev).toEqual(['signal:d', 'rpush:d', 'lpop:d', 'signal:d']);
    expect(h.object('d')).not.toBeNull();
  });

  it('LMPOP', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'b', '1', '2');
    const ev = h.recordEvents();
    h.run('LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '1');
    h.run('LMPOP', '2', 'a', 'b', 'LEFT', 'COUNT', '5');
    h.run('LMPOP', '2', 'a', 'b', 'LEFT');
    expect(ev).toEqual(['rpop:b', 'signal:b', 'lpop:b', 'del:b', 'signal:b']);
  });
});

describe('server.dirty', () => {
  it('counts changed elements as Redis does', () => {
    const h = new EngineHarness();
    const d = () => h.server.dirty;
    let before = d();
    h.run('RPUSH', 'k', ...'abcdefgh'.split(''));
    expect(d() - before).toBe(8);
    before = d(); h.run('LPOP', 'k', '2'); expect(d() - before).toBe(2);
    before = d(); h.run('LTRIM', 'k', '1', '-2'); expect(d() - before).toBe(2);
    before = d(); h.run('LREM', 'k', '0', 'd'); expect(d() - before).toBe(1);
    before = d(); h.run('LINSERT', 'k', 'AFTER', 'e', 'x'); expect(d() - before).toBe(1);
    before = d(); h.run('LSET', 'k', '0', 'y'); expect(d() - before).toBe(1);
    before = d(); h.run('LMOVE', 'k', 'j', 'LEFT', 'LEFT'); expect(d() - before).toBe(1);
    before = d(); h.run('LMPOP', '1', 'k', 'LEFT', 'COUNT', '10'); expect(d() - before).toBe(3);
    before = d(); h.run('LPOP', 'nothing'); h.run('LPOP', 'j', '0'); expect(d() - before).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
// The harness (the server) first: command modules are only safe to import after it.
import { EngineHarness } from '../../support/engineHarness.ts';
import type { Dict } from '../../../src/engine/ds/dict.ts';
import type { Listpack } from '../../../src/engine/ds/listpack.ts';
import { hashTypeDup } from '../../../src/engine/commands/hash.ts';
import { items, text, texts } from '../../support/respValue.ts';

const fields = (n: number) => Array.from({ length: n }, (_, i) => ['f' + i, 'v' + i]).flat();

describe('hash encodings', () => {
  it('keeps insertion order in a listpack, updating values in place', () => {
    const h = new EngineHarness();
    h.run('HSET', 'h', 'b', '1', 'a', '2', 'c', '3');
    h.run('HSET', 'h', 'a', '20');
    h.run('HDEL', 'h', 'b');
    h.run('HSET', 'h', 'b', '10');
    expect(h.encoding('h')).toBe('listpack');
    expect(texts(h.run('HGETALL', 'h'))).toEqual(['a', '20', 'c', '3', 'b', '10']);
    expect((h.object('h')!.value as Listpack).entries).toEqual(['a', '20', 'c', '3', 'b', '10']);
  });

  it('converts past hash-max-listpack-entries, exactly at the threshold', () => {
    const h = new EngineHarness({ config: { 'hash-max-listpack-entries': '4' } });
    h.run('HSET', 'h', ...fields(4));
    expect(h.encoding('h')).toBe('listpack');
    h.run('HSET', 'h', 'f0', 'again');
    expect(h.encoding('h')).toBe('listpack');
    h.run('HSET', 'h', 'f4', 'v4');
    expect(h.encoding('h')).toBe('hashtable');
    h.run('HDEL', 'h', 'f0', 'f1', 'f2', 'f3');
    expect(h.encoding('h')).toBe('hashtable'); // never back
  });

  it('converts when a field or a value is longer than hash-max-listpack-value', () => {
    const h = new EngineHarness({ config: { 'hash-max-listpack-value': '5' } });
    h.run('HSET', 'a', 'k', '12345');
    expect(h.encoding('a')).toBe('listpack');
    h.run('HSET', 'a', 'k', '123456');
    expect(h.encoding('a')).toBe('hashtable');
    h.run('HSET', 'b', 'longer', 'v');
    expect(h.encoding('b')).toBe('hashtable');
    // HSETNX on an existing field changes nothing, not even the encoding.
    h.run('HSET', 'c', 'k', 'v');
    h.run('HSETNX', 'c', 'k', 'toolong');
    expect(h.encoding('c')).toBe('listpack');
    h.run('HSETNX', 'c', 'k2', 'toolong');
    expect(h.encoding('c')).toBe('hashtable');
    // HINCRBYFLOAT producing a long value converts too.
    h.run('HSET', 'd', 'n', '1');
    h.run('HINCRBYFLOAT', 'd', 'n', '0.5');
    expect(h.encoding('d')).toBe('listpack');
    h.run('HINCRBYFLOAT', 'd', 'n', '0.25');
    expect(text(h.run('HGET', 'd', 'n'))).toBe('1.75');
    h.run('HINCRBYFLOAT', 'd', 'n', '0.0001');
    expect(h.encoding('d')).toBe('hashtable');
  });

  it('HSET converts on any long argument, even for a field that already has that value', () => {
    const h = new EngineHarness({ config: { 'hash-max-listpack-value': '3' } });
    h.run('HSET', 'h', 'a', '1');
    h.run('HSET', 'h', 'a', '1', 'b', 'long');
    expect(h.encoding('h')).toBe('hashtable');
  });

  it('shrinks the hashtable after deletes', () => {
    const h = new EngineHarness();
    h.run('HSET', 'h', ...fields(600));
    const d = () => h.object('h')!.value as Dict<string>;
    while (d().isRehashing) d().rehash(100);
    expect(d().slots).toBe(1024);
    const del = Array.from({ length: 590 }, (_, i) => 'f' + i);
    h.run('HDEL', 'h', ...del);
    while (d().isRehashing) d().rehash(100);
    expect(d().size).toBe(10);
    expect(d().slots).toBeLessThan(1024);
  });

  it('hashTypeDup keeps the encoding and pairs', () => {
    const h = new EngineHarness();
    h.run('HSET', 'l', 'a', '1', 'b', '2');
    const l2 = hashTypeDup(h.server, h.object('l')!);
    expect(l2.encoding).toBe('listpack');
    expect((l2.value as Listpack).entries).toEqual(['a', '1', 'b', '2']);
    h.run('HSET', 'l', 'c', '3');
    expect((l2.value as Listpack).length).toBe(4);
    h.run('HSET', 't', ...fields(600));
    const t2 = hashTypeDup(h.server, h.object('t')!);
    expect(t2.encoding).toBe('hashtable');
    expect((t2.value as Dict<string>).get('f150')).toBe('v150');
  });
});

describe('HRANDFIELD', () => {
  it('listpack: a small unique count comes out in listpack order', () => {
    const h = new EngineHarness({ seed: 11 });
    h.run('HSET', 'h', ...fields(60));
    const order = texts(h.run('HKEYS', 'h'));
    for (let i = 0; i < 20; i++) {
      const got = texts(h.run('HRANDFIELD', 'h', '15'));
      expect(got.length).toBe(15);
      expect(new Set(got).size).toBe(15);
      const positions = got.map((f) => order.indexOf(f));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('count covering the hash returns it whole in its order; values pair up', () => {
    const h = new EngineHarness();
    h.run('HSET', 'h', 'x', '1', 'y', '2');
    expect(texts(h.run('HRANDFIELD', 'h', '5'))).toEqual(['x', 'y']);
    expect(texts(h.run('HRANDFIELD', 'h', '2', 'WITHVALUES'))).toEqual(['x', '1', 'y', '2']);
    h.setProtocol(3);
    const pairs = items(h.run('HRANDFIELD', 'h', '2', 'withvalues')).map(texts);
    expect(pairs).toEqual([['x', '1'], ['y', '2']]);
    const neg = items(h.run('HRANDFIELD', 'h', '-7', 'withvalues'));
    expect(neg.length).toBe(7);
    for (const p of neg.map(texts)) expect([['x', '1'], ['y', '2']]).toContainEqual(p);
  });

  it('positive counts are distinct and negative counts repeat, for both encodings', () => {
    for (const n of [30, 600]) {
      const h = new EngineHarness({ seed: 4 });
      h.run('HSET', 'h', ...fields(n));
      expect(h.encoding('h')).toBe(n > 512 ? 'hashtable' : 'listpack');
      for (const count of [1, 5, 10, 11, n - 1, n, n + 1]) {
        const got = texts(h.run('HRANDFIELD', 'h', String(count), 'WITHVALUES'));
        expect(got.length).toBe(2 * Math.min(count, n));
        const fs = got.filter((_, i) => i % 2 === 0);
        expect(new Set(fs).size).toBe(fs.length);
        for (let i = 0; i < got.length; i += 2) expect(got[i + 1]).toBe('v' + got[i].slice(1));
      }
      const rep = texts(h.run('HRANDFIELD', 'h', '-50'));
      expect(rep.length).toBe(50);
      for (const f of rep) expect(f).toMatch(/^f\d+$/);
    }
  });

  it('cuts a runaway negative-count reply short, with an exact header, and drops the client', () => {
    const h = new EngineHarness();
    h.run('HSET', 'h', 'a', '1');
    const out = h.raw('HRANDFIELD', 'h', '-4611686018427387903', 'WITHVALUES');
    expect(out.startsWith('*9223372036854775806\r\n$1\r\na\r\n$1\r\n1\r\n')).toBe(true);
    expect(out.length).toBeLessThan(2 ** 29);
    expect(h.client.closed).toBe(true);
  });

  it('is reproducible for a given seed', () => {
    const draw = (seed: number) => {
      const h = new EngineHarness({ seed });
      h.run('HSET', 'h', ...fields(50));
      return [h.raw('HRANDFIELD', 'h', '-10'), h.raw('HRANDFIELD', 'h', '5'), h.raw('HRANDFIELD', 'h', '30')];
    };
    expect(draw(2)).toEqual(draw(2));
    expect(draw(2)).not.toEqual(draw(3));
  });
});

describe('hash notifications and dirty', () => {
  it('fires the events Redis fires', () => {
    const h = new EngineHarness();
    const events = h.recordEvents();
    h.run('HSET', 'h', 'a', '1');
    h.run('HSETNX', 'h', 'a', '1');
    h.run('HSETNX', 'h', 'b', '1');
    h.run('HINCRBY', 'h', 'a', '2');
    h.run('HINCRBYFLOAT', 'h', 'a', '2.5');
    h.run('HINCRBY', 'h', 'a', '1'); // "5.5" is not an integer: no event
    h.run('HDEL', 'h', 'a', 'zz');
    h.run('HDEL', 'h', 'b');
    expect(events).toEqual([
      'new:h', 'signal:h', 'hset:h',
      'signal:h', 'hset:h',
      'signal:h', 'hincrby:h',
      'signal:h', 'hincrbyfloat:h',
      'signal:h', 'hdel:h',
      'signal:h', 'hdel:h', 'del:h',
    ]);
  });

  it('counts dirty per pair for HSET, per field for HDEL', () => {
    const h = new EngineHarness();
    const d0 = h.server.dirty;
    h.run('HSET', 'h', 'a', '1', 'a', '2', 'b', '3');
    expect(h.server.dirty - d0).toBe(3);
    h.run('HDEL', 'h', 'a', 'b', 'c');
    expect(h.server.dirty - d0).toBe(5);
  });
});

describe('HRANDFIELD distributions (seeded, so deterministic)', () => {
  for (const [name, n, count, tolerance] of [
    ['listpack, one-pass unique sampling', 30, '5', 0.2],
    ['listpack, copy and remove', 30, '20', 0.1],
    ['listpack, repeats', 30, '-5', 0.2],
    // dictGetFairRandomKey is only roughly fair, in Redis too: real Redis gives this case counts
    // from 0.43x to 1.95x the mean, so only gross errors are caught here.
    ['hashtable, draw until distinct', 600, '150', 0.95],
  ] as const) {
    it(`is close to uniform: ${name}`, () => {
      const h = new EngineHarness({ seed: 13 });
      h.run('HSET', 'h', ...fields(n));
      const seen = new Map<string, number>();
      const calls = n > 100 ? 600 : 3000;
      for (let i = 0; i < calls; i++) for (const f of texts(h.run('HRANDFIELD', 'h', count))) seen.set(f, (seen.get(f) ?? 0) + 1);
      const mean = (calls * Math.abs(Number(count))) / n;
      expect(seen.size).toBe(n);
      for (const [f, k] of seen) expect(Math.abs(k - mean) / mean, `${f}: ${k} vs ${mean}`).toBeLessThan(tolerance);
    });
  }
});

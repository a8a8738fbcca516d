import { describe, expect, it } from 'vitest';
// The harness (the server) first: command modules are only safe to import after it.
import { EngineHarness } from '../../support/engineHarness.ts';
import type { Dict } from '../../../src/engine/ds/dict.ts';
import type { Intset } from '../../../src/engine/ds/intset.ts';
import { setTypeDup } from '../../../src/engine/commands/set.ts';
import { texts, text, wireType } from '../../support/respValue.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('set encodings', () => {
  it('starts as an intset for an integer first member and widens as Redis does', () => {
    const h = new EngineHarness();
    h.run('SADD', 's', '1', '2', '3');
    expect(h.encoding('s')).toBe('intset');
    const is = () => h.object('s')!.value as Intset;
    expect(is().width).toBe(2);
    h.run('SADD', 's', '-40000');
    expect(is().width).toBe(4);
    expect(is().toArray()[0]).toBe(-40000n);
    h.run('SADD', 's', '9223372036854775807');
    expect(is().width).toBe(8);
    h.run('SREM', 's', '9223372036854775807', '-40000');
    expect(is().width).toBe(8); // never narrows
    expect(is().blobBytes).toBe(8 + 3 * 8);
    expect(texts(h.run('SMEMBERS', 's'))).toEqual(['1', '2', '3']);
  });

  it('creates a hashtable when the first member is not an integer', () => {
    const h = new EngineHarness();
    h.run('SADD', 's', 'a', '1');
    expect(h.encoding('s')).toBe('hashtable');
    h.run('SADD', 't', '01');
    expect(h.encoding('t')).toBe('hashtable'); // "01" is not a canonical integer
    h.run('SADD', 'u', '-0');
    expect(h.encoding('u')).toBe('hashtable');
  });

  it('converts past set-max-intset-entries, and on a non-integer, and never converts back', () => {
    const h = new EngineHarness({ config: { 'set-max-intset-entries': '4' } });
    h.run('SADD', 's', ...range(1, 4));
    expect(h.encoding('s')).toBe('intset');
    h.run('SADD', 's', '5');
    expect(h.encoding('s')).toBe('hashtable');
    h.run('SREM', 's', '5', '4', '3');
    expect(h.encoding('s')).toBe('hashtable');

    h.run('SADD', 't', '1', '2');
    h.run('SADD', 't', 'x');
    expect(h.encoding('t')).toBe('hashtable');
    h.run('SREM', 't', 'x');
    expect(h.encoding('t')).toBe('hashtable');
  });

  it('converts at once with set-max-intset-entries 0', () => {
    const h = new EngineHarness({ config: { 'set-max-intset-entries': '0' } });
    h.run('SADD', 's', '1');
    expect(h.encoding('s')).toBe('hashtable');
  });

  it('*STORE results are new sets that choose intset when they can', () => {
    const h = new EngineHarness({ config: { 'set-max-intset-entries': '3' } });
    h.run('SADD', 'a', '1', '2', '3', 'x');
    h.run('SADD', 'b', '1', '2', '3', 'y');
    expect(h.encoding('a')).toBe('hashtable');
    expect(h.run('SINTERSTORE', 'd', 'a', 'b')).toEqual({ t: 'int', v: 3n });
    expect(h.encoding('d')).toBe('intset');
    h.run('SDIFFSTORE', 'e', 'a', 'b');
    expect(h.encoding('e')).toBe('hashtable'); // {x}
    h.run('SADD', 'c', '5', '6');
    h.run('SUNIONSTORE', 'f', 'c', 'd');
    expect(h.encoding('f')).toBe('hashtable'); // 5 integers > 3
    expect(h.run('SCARD', 'f')).toEqual({ t: 'int', v: 5n });
  });

  it('SPOP with a large count rebuilds the remaining set, possibly as an intset', () => {
    const h = new EngineHarness({ config: { 'set-max-intset-entries': '10' } });
    h.run('SADD', 's', ...range(1, 30));
    expect(h.encoding('s')).toBe('hashtable');
    const popped = texts(h.run('SPOP', 's', '25'));
    expect(new Set(popped).size).toBe(25);
    expect(h.encoding('s')).toBe('intset');
    const left = texts(h.run('SMEMBERS', 's'));
    expect(left.length).toBe(5);
    expect([...left, ...popped].map(Number).sort((x, y) => x - y)).toEqual(range(1, 30).map(Number));
    // A small count pops one at a time and keeps the encoding.
    h.run('SADD', 't', ...range(1, 30));
    h.run('SPOP', 't', '3');
    expect(h.encoding('t')).toBe('hashtable');
    expect(h.run('SCARD', 't')).toEqual({ t: 'int', v: 27n });
  });

  it('shrinks the hashtable after deletes (htNeedsResize/dictResize)', () => {
    const h = new EngineHarness();
    h.run('SADD', 's', 'x', ...range(1, 1000));
    const d = () => h.object('s')!.value as Dict<null>;
    while (d().isRehashing) d().rehash(100);
    expect(d().slots).toBe(1024);
    // Under 10% full at 102 members: resized to 128 buckets, rehashed a bucket per delete.
    h.run('SREM', 's', ...range(1, 899));
    expect(d().size).toBe(102);
    while (d().isRehashing) d().rehash(100);
    expect(d().slots).toBe(128);
    // 12 of 128 is under 10% again: shrunk to 16.
    h.run('SREM', 's', ...range(900, 989));
    while (d().isRehashing) d().rehash(100);
    expect(d().size).toBe(12);
    expect(d().slots).toBe(16);
  });

  it('setTypeDup keeps the encoding and members', () => {
    const h = new EngineHarness();
    h.run('SADD', 'i', '3', '1', '70000');
    h.run('SADD', 'h', 'a', 'b');
    const i2 = setTypeDup(h.server, h.object('i')!);
    expect(i2.encoding).toBe('intset');
    expect((i2.value as Intset).toArray()).toEqual([1n, 3n, 70000n]);
    expect((i2.value as Intset).width).toBe(4);
    (i2.value as Intset).add(5n);
    expect((h.object('i')!.value as Intset).length).toBe(3);
    const h2 = setTypeDup(h.server, h.object('h')!);
    expect(h2.encoding).toBe('hashtable');
    expect([...(h2.value as Dict<null>).keys()].sort()).toEqual(['a', 'b']);
  });
});

describe('set random replies', () => {
  it('SRANDMEMBER positive counts are distinct, negative counts repeat', () => {
    for (const members of [range(1, 50), range(1, 50).map((m) => 'm' + m)]) {
      const h = new EngineHarness({ seed: 3 });
      h.run('SADD', 's', ...members);
      for (const count of [1, 2, 10, 17, 20, 49, 50, 51, 100]) {
        const got = texts(h.run('SRANDMEMBER', 's', String(count)));
        expect(got.length).toBe(Math.min(count, 50));
        expect(new Set(got).size).toBe(got.length);
        for (const m of got) expect(members).toContain(m);
      }
      const rep = texts(h.run('SRANDMEMBER', 's', '-500'));
      expect(rep.length).toBe(500);
      expect(new Set(rep).size).toBeLessThan(50 + 1);
      expect(new Set(rep).size).toBeGreaterThan(40);
    }
  });

  it('replies with the whole intset in order when count covers it', () => {
    const h = new EngineHarness();
    h.run('SADD', 's', '5', '-1', '3');
    expect(texts(h.run('SRANDMEMBER', 's', '3'))).toEqual(['-1', '3', '5']);
    expect(texts(h.run('SRANDMEMBER', 's', '1000'))).toHaveLength(3);
  });

  it('is reproducible for a given seed', () => {
    const draw = (seed: number) => {
      const h = new EngineHarness({ seed });
      h.run('SADD', 's', ...range(1, 100), 'x');
      return [h.raw('SRANDMEMBER', 's', '-20'), h.raw('SPOP', 's', '7'), h.raw('SRANDMEMBER', 's', '10')];
    };
    expect(draw(9)).toEqual(draw(9));
    expect(draw(9)).not.toEqual(draw(10));
  });

  it('SPOP removes exactly what it returns', () => {
    const h = new EngineHarness({ seed: 5 });
    h.run('SADD', 's', ...range(1, 20));
    const one = text(h.run('SPOP', 's'));
    expect(h.run('SISMEMBER', 's', one)).toEqual({ t: 'int', v: 0n });
    const some = texts(h.run('SPOP', 's', '4'));
    for (const m of some) expect(h.run('SISMEMBER', 's', m)).toEqual({ t: 'int', v: 0n });
    expect(h.run('SCARD', 's')).toEqual({ t: 'int', v: 15n });
    const rest = texts(h.run('SPOP', 's', '100'));
    expect(rest.length).toBe(15);
    expect(h.object('s')).toBeNull();
  });

  it('cuts a runaway negative-count reply short and drops the client instead of exhausting memory', () => {
    const h = new EngineHarness();
    h.run('SADD', 's', '7');
    const out = h.raw('SRANDMEMBER', 's', '-9223372036854775807');
    // The header is Redis's exact count, beyond 2^53.
    expect(out.startsWith('*9223372036854775807\r\n$1\r\n7\r\n$1\r\n7\r\n')).toBe(true);
    expect(out.length).toBeLessThan(2 ** 29);
    expect(h.client.closed).toBe(true);
  });
});

describe('set notifications and dirty', () => {
  it('fires the events Redis fires, in order', () => {
    const h = new EngineHarness();
    const ev = h.recordEvents();
    h.run('SADD', 's', 'a', 'b');
    h.run('SADD', 's', 'a');
    expect(ev.splice(0)).toEqual(['new:s', 'signal:s', 'sadd:s']);
    h.run('SREM', 's', 'a', 'b', 'c');
    expect(ev.splice(0)).toEqual(['signal:s', 'srem:s', 'del:s']);
    h.run('SADD', 'a', '1');
    ev.splice(0);
    h.run('SMOVE', 'a', 'b', '1');
    expect(ev.splice(0)).toEqual(['srem:a', 'del:a', 'new:b', 'signal:a', 'signal:b', 'sadd:b']);
    h.run('SPOP', 'b');
    expect(ev.splice(0)).toEqual(['spop:b', 'del:b', 'signal:b']);
    h.run('SADD', 'x', '1', '2');
    h.run('SADD', 'y', '2');
    ev.splice(0);
    h.run('SINTERSTORE', 'd', 'x', 'y');
    expect(ev.splice(0)).toEqual(['new:d', 'signal:d', 'sinterstore:d']);
    h.run('SINTERSTORE', 'd', 'x', 'nokey');
    expect(ev.splice(0)).toEqual(['keymiss:nokey', 'signal:d', 'del:d']);
    h.run('SPOP', 'x', '5');
    expect(ev.splice(0)).toEqual(['spop:x', 'del:x', 'signal:x']);
  });

  it('counts dirty as Redis does', () => {
    const h = new EngineHarness();
    const d0 = h.server.dirty;
    h.run('SADD', 's', 'a', 'b', 'a');
    expect(h.server.dirty - d0).toBe(2);
    h.run('SMOVE', 's', 't', 'a');
    expect(h.server.dirty - d0).toBe(4);
    h.run('SPOP', 's', '10');
    expect(h.server.dirty - d0).toBe(5);
  });
});

describe('set random distributions (seeded, so deterministic)', () => {
  /** Counts how often each member comes back over many calls; every count near the mean. */
  function frequencies(h: EngineHarness, argv: string[], calls: number): Map<string, number> {
    const seen = new Map<string, number>();
    for (let i = 0; i < calls; i++) {
      const v = h.run(...argv);
      for (const m of wireType(v) === '$' ? [text(v)] : texts(v)) seen.set(m, (seen.get(m) ?? 0) + 1);
    }
    return seen;
  }

  // Picks through a dict (hashtable sets, and the copy-and-remove strategy's scratch dict) use
  // dictGetFairRandomKey, which is only roughly fair in Redis too (it samples runs of buckets):
  // real Redis shows about ±20% per member here, so those get wider bounds.
  const cases: [string, string[], string[], number][] = [
    ['intset, few picks (draw until distinct)', range(1, 30), ['5'], 0.2],
    ['intset, most picks (copy and remove)', range(1, 30), ['20'], 0.2],
    ['intset, repeats', range(1, 30), ['-5'], 0.2],
    ['intset, single', range(1, 30), [], 0.25],
    ['hashtable, few picks', range(1, 30).map((m) => 'm' + m), ['5'], 0.45],
    ['hashtable, most picks', range(1, 30).map((m) => 'm' + m), ['20'], 0.2],
    ['hashtable, repeats', range(1, 30).map((m) => 'm' + m), ['-5'], 0.45],
  ];
  for (const [name, members, countArg, tolerance] of cases) {
    it(`SRANDMEMBER is close to uniform: ${name}`, () => {
      const h = new EngineHarness({ seed: 21 });
      h.run('SADD', 's', ...members);
      const calls = 3000;
      const seen = frequencies(h, ['SRANDMEMBER', 's', ...countArg], calls);
      const perCall = countArg.length ? Math.abs(Number(countArg[0])) : 1;
      const mean = (calls * perCall) / members.length;
      expect(seen.size).toBe(members.length);
      for (const [m, n] of seen) {
        expect(Math.abs(n - mean) / mean, `${m}: ${n} vs ${mean}`).toBeLessThan(tolerance);
      }
    });
  }

  it('SPOP with a count is close to uniform in both strategies', () => {
    for (const count of ['3', '28']) {
      const h = new EngineHarness({ seed: 8 });
      const seen = new Map<string, number>();
      const calls = 2000;
      for (let i = 0; i < calls; i++) {
        h.run('DEL', 's');
        h.run('SADD', 's', ...range(1, 30));
        for (const m of texts(h.run('SPOP', 's', count))) seen.set(m, (seen.get(m) ?? 0) + 1);
      }
      const mean = (calls * Number(count)) / 30;
      for (const [m, n] of seen) expect(Math.abs(n - mean) / mean, `count ${count}, ${m}: ${n}`).toBeLessThan(0.15);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { Listpack } from '../../../src/engine/ds/listpack.ts';
import {
  ZsetSkiplist, listpackScoreText, listpackScoreValue, strtodWhole, zsetConvert, zsetEntries,
} from '../../../src/engine/commands/zset.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import { EngineHarness } from '../../support/engineHarness.ts';
import { items, text, texts } from '../../support/respValue.ts';

/** Checks that a stored zset is internally consistent in whichever encoding it has. */
function checkZset(h: EngineHarness, key: string): void {
  const o = h.object(key)!;
  expect(o.type).toBe('zset');
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    expect(lp.length % 2).toBe(0);
    expect(lp.length).toBeGreaterThan(0);
    for (let i = 0; i < lp.length; i += 2) {
      const score = listpackScoreValue(lp.get(i + 1));
      // Score entries are exactly what Redis writes: integers when they fit, "%.17g" otherwise.
      expect(lp.get(i + 1)).toBe(listpackScoreText(score));
      if (i > 0) {
        const prev = listpackScoreValue(lp.get(i - 1));
        expect(prev < score || (prev === score && lp.get(i - 2) < lp.get(i))).toBe(true);
      }
    }
    return;
  }
  expect(o.encoding).toBe('skiplist');
  const zs = o.value as ZsetSkiplist;
  const nodes = [...zs.zsl.nodes()];
  expect(zs.dict.size).toBe(nodes.length);
  expect(zs.zsl.length).toBe(nodes.length);
  expect(nodes.length).toBeGreaterThan(0);
  nodes.forEach((n, i) => {
    expect(zs.dict.get(n.member)).toBe(n.score);
    expect(zs.zsl.getRank(n.score, n.member)).toBe(i + 1);
    if (i > 0) {
      const p = nodes[i - 1];
      expect(p.score < n.score || (p.score === n.score && p.member < n.member)).toBe(true);
      expect(n.backward).toBe(p);
    }
  });
  expect(zs.zsl.tail).toBe(nodes[nodes.length - 1]);
}

describe('listpack score entries', () => {
  it('are integers when double2ll accepts the score, "%.17g" otherwise', () => {
    expect(listpackScoreText(1)).toBe('1');
    expect(listpackScoreText(-0)).toBe('0'); // double2ll turns -0 into 0
    expect(listpackScoreText(-17)).toBe('-17');
    expect(listpackScoreText(2 ** 62)).toBe('4611686018427387904');
    expect(listpackScoreText(-(2 ** 62))).toBe('-4611686018427387904');
    expect(listpackScoreText(2 ** 63)).toBe('9.2233720368547758e+18');
    expect(listpackScoreText(1.5)).toBe('1.5');
    expect(listpackScoreText(0.1)).toBe('0.10000000000000001');
    expect(listpackScoreText(Infinity)).toBe('inf');
    expect(listpackScoreText(-Infinity)).toBe('-inf');
    for (const s of [1, -0.5, 0.1, 1e300, 2 ** 62, 2 ** 63, Infinity, -Infinity, 5e-324]) {
      expect(listpackScoreValue(listpackScoreText(s))).toBe(s);
    }
  });
});

describe('strtodWhole (zslParseRange)', () => {
  it('accepts what strtod consumes whole, including overflow, underflow and leading space', () => {
    expect(strtodWhole('')).toBe(0);
    expect(strtodWhole('1.5')).toBe(1.5);
    expect(strtodWhole(' \t1')).toBe(1);
    expect(strtodWhole('1e400')).toBe(Infinity);
    expect(strtodWhole('-1e400')).toBe(-Infinity);
    expect(strtodWhole('1e-400')).toBe(0);
    expect(strtodWhole('inf')).toBe(Infinity);
    expect(strtodWhole('-Infinity')).toBe(-Infinity);
    expect(strtodWhole('0x10')).toBe(16);
    expect(strtodWhole('0x1p-2')).toBe(0.25);
    expect(strtodWhole('-0x.8')).toBe(-0.5);
    expect(strtodWhole('1.')).toBe(1);
    expect(strtodWhole('.5')).toBe(0.5);
    expect(strtodWhole('2\0junk')).toBe(2); // a C string ends at NUL
  });

  it('refuses trailing garbage, NaN and empty conversions', () => {
    for (const s of [' ', '1 ', 'x', '1x', 'nan', '-nan', 'nan(1)', '0x', '1e', '1e+', '.', '+', '-', 'infinit', '1,5', '0x.p1']) {
      expect(strtodWhole(s), JSON.stringify(s)).toBeNull();
    }
  });
});

describe('zset encodings', () => {
  it('stays consistent in both encodings through a long random workload', () => {
    for (const seed of [1, 2]) {
      const h = new EngineHarness({ seed, config: { 'zset-max-listpack-entries': seed === 1 ? '128' : '6' } });
      const rng = new SeededRandom(seed * 101);
      const members = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? String(i) : 'm' + i));
      const scores = ['0', '1', '-1', '2.5', '0.1', 'inf', '-inf', '-0', '100', '1e20'];
      const keys = ['a', 'b', 'c'];
      const pick = <T>(xs: T[]) => xs[rng.below(xs.length)];
      for (let step = 0; step < 3000; step++) {
        const key = pick(keys);
        switch (rng.below(9)) {
          case 0: case 1: case 2: h.run('ZADD', key, pick(scores), pick(members), pick(scores), pick(members)); break;
          case 3: h.run('ZINCRBY', key, pick(scores), pick(members)); break;
          case 4: h.run('ZREM', key, pick(members), pick(members)); break;
          case 5: h.run('ZREMRANGEBYSCORE', key, pick(['-inf', '0', '(1']), pick(['0', '1', '+inf'])); break;
          case 6: h.run('ZPOPMIN', key, String(rng.below(3))); break;
          case 7: h.run(pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), key, '2', pick(keys), pick(keys)); break;
          default: h.run('ZRANGESTORE', key, pick(keys), '0', String(rng.below(10))); break;
        }
        if (step % 50 === 0) for (const k of keys) if (h.object(k)) checkZset(h, k);
      }
      for (const k of keys) if (h.object(k)) checkZset(h, k);
    }
  });

  it('converts back and forth keeping every member and score', () => {
    const h = new EngineHarness();
    h.run('ZADD', 'z', '3', 'c', '1', 'a', '-0', 'zero', '0.1', 'tenth', 'inf', 'top', '2', '10');
    const before = [...zsetEntries(h.object('z')!)];
    zsetConvert(h.server, h.object('z')!, 'skiplist');
    expect(h.encoding('z')).toBe('skiplist');
    checkZset(h, 'z');
    expect([...zsetEntries(h.object('z')!)]).toEqual(before);
    zsetConvert(h.server, h.object('z')!, 'listpack');
    expect(h.encoding('z')).toBe('listpack');
    checkZset(h, 'z');
    expect([...zsetEntries(h.object('z')!)]).toEqual(before);
  });

  it('COPY makes an independent copy in the same encoding', () => {
    for (const entries of ['128', '0']) {
      const h = new EngineHarness({ config: { 'zset-max-listpack-entries': entries } });
      h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
      h.run('COPY', 'z', 'copy');
      expect(h.encoding('copy')).toBe(h.encoding('z'));
      h.run('ZADD', 'copy', '10', 'a', '4', 'd');
      h.run('ZREM', 'copy', 'b');
      expect(texts(h.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES'))).toEqual(['a', '1', 'b', '2', 'c', '3']);
      expect(texts(h.run('ZRANGE', 'copy', '0', '-1', 'WITHSCORES'))).toEqual(['c', '3', 'd', '4', 'a', '10']);
      checkZset(h, 'z');
      checkZset(h, 'copy');
    }
  });

  it('shrinks the skiplist dict after mass deletes, as Redis does', () => {
    const h = new EngineHarness({ config: { 'zset-max-listpack-entries': '0' } });
    const args: string[] = [];
    for (let i = 0; i < 200; i++) args.push(String(i), 'm' + i);
    h.run('ZADD', 'z', ...args);
    const zs = () => h.object('z')!.value as ZsetSkiplist;
    const grown = zs().dict.slots;
    expect(grown).toBeGreaterThanOrEqual(256);
    h.run('ZREMRANGEBYRANK', 'z', '0', '189');
    zs().dict.rehash(1000);
    expect(zs().dict.slots).toBeLessThan(grown);
    checkZset(h, 'z');
  });
});

describe('signals and events', () => {
  it('signals a modified key only when something changed', () => {
    const h = new EngineHarness();
    const ev = h.recordEvents();
    h.run('ZADD', 'z', '1', 'a');
    expect(ev.splice(0)).toEqual(['new:z', 'signal:z', 'zadd:z']);
    h.run('ZADD', 'z', '1', 'a');
    h.run('ZADD', 'z', 'XX', '1', 'b');
    h.run('ZINCRBY', 'z', '0', 'a');
    h.run('ZREM', 'z', 'nope');
    h.run('ZREMRANGEBYSCORE', 'z', '5', '6');
    h.run('ZRANGESTORE', 'dst', 'z', '5', '6');
    h.run('ZPOPMIN', 'z', '0');
    expect(ev.splice(0)).toEqual([]);
    h.run('ZINCRBY', 'z', '1', 'a');
    expect(ev.splice(0)).toEqual(['signal:z', 'zincr:z']);
    h.run('ZADD', 'z', '3', 'b', '4', 'c');
    ev.splice(0);
    h.run('ZPOPMIN', 'z', '2');
    expect(ev.splice(0)).toEqual(['zpopmin:z', 'signal:z']);
    h.run('ZRANGESTORE', 'dst', 'z', '0', '-1');
    expect(ev.splice(0)).toEqual(['new:dst', 'signal:dst', 'zrangestore:dst']);
    h.run('ZRANGESTORE', 'dst', 'z', '5', '6');
    expect(ev.splice(0)).toEqual(['signal:dst', 'del:dst']);
    h.run('ZREM', 'z', 'c');
    expect(ev.splice(0)).toEqual(['zrem:z', 'del:z', 'signal:z']);
    h.run('ZADD', 'z', '1', 'a');
    ev.splice(0);
    h.run('ZUNIONSTORE', 'u', '1', 'z');
    expect(ev.splice(0)).toEqual(['new:u', 'signal:u', 'zunionstore:u']);
    h.run('ZINTERSTORE', 'u', '2', 'z', 'none');
    expect(ev.splice(0)).toEqual(['keymiss:none', 'signal:u', 'del:u']);
    h.run('ZMPOP', '1', 'z', 'MAX');
    expect(ev.splice(0)).toEqual(['zpopmax:z', 'signal:z', 'del:z']);
  });
});

describe('replies', () => {
  it('uses RESP3 doubles and nested pairs', () => {
    const h = new EngineHarness();
    h.setProtocol(3);
    h.run('ZADD', 'z', '1.5', 'a', 'inf', 'b');
    expect(h.raw('ZSCORE', 'z', 'b')).toBe(',inf\r\n');
    expect(h.raw('ZSCORE', 'z', 'nope')).toBe('_\r\n');
    expect(h.raw('ZRANGE', 'z', '0', '0', 'WITHSCORES')).toBe('*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n');
    expect(h.raw('ZPOPMAX', 'z')).toBe('*2\r\n$1\r\nb\r\n,inf\r\n');
    expect(h.raw('ZMPOP', '1', 'z', 'MIN')).toBe('*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n');
    expect(h.raw('ZMPOP', '1', 'z', 'MIN')).toBe('_\r\n');
  });

  it('writes exact 64-bit array lengths for huge negative ZRANDMEMBER counts', () => {
    const h = new EngineHarness();
    h.run('ZADD', 'z', '1', 'a');
    const reply = h.raw('ZRANDMEMBER', 'z', '-4611686018427387903', 'WITHSCORES');
    expect(reply.startsWith('*9223372036854775806\r\n$1\r\na\r\n$1\r\n1\r\n')).toBe(true);
    expect(h.client.closeAfterReply).toBe(true);
  });

  it('answers ZRANDMEMBER with a count at least the size from the highest score down', () => {
    for (const entries of ['128', '0']) {
      const h = new EngineHarness({ config: { 'zset-max-listpack-entries': entries } });
      h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
      expect(items(h.run('ZRANDMEMBER', 'z', '10')).map(text)).toEqual(['c', 'b', 'a']);
    }
  });
});

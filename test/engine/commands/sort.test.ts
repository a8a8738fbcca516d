import { describe, expect, it } from 'vitest';
// The harness (the server) first: command modules are only safe to import after it.
import { EngineHarness } from '../../support/engineHarness.ts';
import { strtodForSort } from '../../../src/engine/commands/sort.ts';
import { Quicklist } from '../../../src/engine/ds/quicklist.ts';
import { items, texts, type RespValue } from '../../support/respValue.ts';

/** An array reply's strings, with null for nil. */
const values = (v: RespValue) => items(v).map((x) => (x.t === 'null' ? null : texts({ t: 'array', v: [x] })[0]));

const SCORE_ERR = { t: 'error', v: "ERR One or more scores can't be converted into double" };

describe('strtodForSort', () => {
  it('reads what glibc strtod reads, and says whether it read everything', () => {
    const cases: [string, number, boolean][] = [
      ['1', 1, true], ['  -2.5', -2.5, true], ['\t\n\v\f\r3', 3, true], ['+.5e+1', 5, true], ['5.', 5, true],
      ['0x10', 16, true], ['0X1P3', 8, true], ['0x.8', 0.5, true], ['-0x1.8p1', -3, true], ['inf', Infinity, true],
      ['-Infinity', -Infinity, true], ['', 0, true], ['1\x00abc', 1, true], ['1e308', 1e308, true],
      ['1abc', 1, false], ['1 ', 1, false], [' ', 0, false], ['.', 0, false], ['-', 0, false], ['0x', 0, false],
      ['1e', 1, false], ['1e+', 1, false], ['0x1p', 1, false], ['infin', Infinity, false], ['\xa01', 0, false],
    ];
    for (const [s, value, complete] of cases) {
      const r = strtodForSort(s);
      expect([r.value, r.complete, r.erange], JSON.stringify(s)).toEqual([value, complete, false]);
    }
    expect(Number.isNaN(strtodForSort('nan').value)).toBe(true);
    expect(Object.is(strtodForSort('-0').value, -0)).toBe(true);
  });

  it('sets ERANGE on overflow and on tiny inexact results only', () => {
    const erange = ['1e400', '-1e400', '1.7976931348623159e308', '0x1.fffffffffffff8p1023', '1e-310', '4.9e-324',
      '1e-400', '2.2250738585072011e-308', '0x1.8p-1074', '0x1p-1080', '1e-99999999', '0.' + '0'.repeat(330) + '1'];
    for (const s of erange) expect(strtodForSort(s).erange, s).toBe(true);
    const fine = ['0x1p-1074', '0x1p-1022', '2.2250738585072014e-308', '0e-400', '0x0p-2000', '1.7976931348623157e308',
      '-0x1p-1074', '1e-300'];
    for (const s of fine) expect(strtodForSort(s).erange, s).toBe(false);
    expect(strtodForSort('0x1p-1074').value).toBe(5e-324);
    expect(strtodForSort('1e-310').value).toBe(1e-310);
    expect(strtodForSort('1e400').value).toBe(Infinity);
    expect(strtodForSort('-1e-400').value).toBe(-0);
    // Halfway between 0 and the smallest subnormal rounds to even (0); just above rounds up.
    expect(strtodForSort('0x1p-1075').value).toBe(0);
    expect(strtodForSort('0x1.000001p-1075').value).toBe(5e-324);
  });
});

describe('SORT', () => {
  it('sorts numerically, by bytes, and by weights, with LIMIT and GET', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'l', '3', '10', '-1', '2.5');
    expect(texts(h.run('SORT', 'l'))).toEqual(['-1', '2.5', '3', '10']);
    expect(texts(h.run('SORT', 'l', 'ALPHA', 'DESC'))).toEqual(['3', '2.5', '10', '-1']);
    expect(texts(h.run('SORT', 'l', 'LIMIT', '1', '2'))).toEqual(['2.5', '3']);
    h.run('MSET', 'w_3', '1', 'w_10', '0');
    h.run('HSET', 'h_-1', 'f', 'minus one');
    // Missing weights count as 0 (ties broken by the element); missing GET values are nil.
    expect(values(h.run('SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'h_*->f'))).toEqual([
      '-1', 'minus one', '10', null, '2.5', null, '3', null]);
    expect(h.run('SORT', 'l', 'BY', 'w_*', 'GET', 'h_*->f', 'LIMIT', '0', '2')).toEqual({
      t: 'array', v: [{ t: 'bulk', v: 'minus one' }, { t: 'null', wire: '$' }] });
    h.setProtocol(3);
    expect(values(h.run('SORT', 'l', 'BY', 'w_*', 'GET', 'h_*->f', 'LIMIT', '1', '1'))).toEqual([null]);
    expect(h.raw('SORT', 'l', 'BY', 'w_*', 'GET', 'h_*->f', 'LIMIT', '1', '1')).toBe('*1\r\n_\r\n');
    expect(texts(h.run('SORT', 'l', 'BY', 'nosort', 'DESC'))).toEqual(['2.5', '-1', '10', '3']);
  });

  it('keeps list order for ALPHA ties: C strings end at the first NUL', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'l', 'a\x00z', 'b', 'a', 'a\x00y');
    expect(texts(h.run('SORT', 'l', 'ALPHA'))).toEqual(['a\x00z', 'a', 'a\x00y', 'b']);
    expect(texts(h.run('SORT', 'l', 'ALPHA', 'DESC'))).toEqual(['b', 'a\x00z', 'a', 'a\x00y']);
    // STORE compares whole strings.
    h.run('SORT', 'l', 'ALPHA', 'STORE', 'd');
    expect(texts(h.run('LRANGE', 'd', '0', '-1'))).toEqual(['a', 'a\x00y', 'a\x00z', 'b']);
  });

  it('refuses non-numbers, and STORE in SORT_RO', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'l', '1', 'x');
    expect(h.run('SORT', 'l')).toEqual(SCORE_ERR);
    expect(h.run('SORT_RO', 'l', 'STORE', 'd')).toEqual({ t: 'error', v: 'ERR syntax error' });
    h.run('SET', 's', 'v');
    expect(h.run('SORT', 's')).toEqual({ t: 'error', v: 'WRONGTYPE Operation against a key holding the wrong kind of value' });
    expect(h.run('SORT', 's', 'LIMIT', '1')).toEqual({ t: 'error', v: 'ERR syntax error' });
  });

  it('leaves ERANGE behind for later sorts of non-integer strings, until a client connects', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'big', '1e999');
    h.run('RPUSH', 'floats', '1.5', '0.5');
    h.run('RPUSH', 'ints', '2', '1');
    expect(texts(h.run('SORT', 'floats'))).toEqual(['0.5', '1.5']);
    expect(h.run('SORT', 'big')).toEqual(SCORE_ERR);
    expect(h.run('SORT', 'floats')).toEqual(SCORE_ERR);
    expect(texts(h.run('SORT', 'ints'))).toEqual(['1', '2']);
    h.server.connect({ write: () => {}, close: () => {} });
    expect(texts(h.run('SORT', 'floats'))).toEqual(['0.5', '1.5']);
  });

  it('stores a default quicklist, fires sortstore or del, and counts dirty', () => {
    const h = new EngineHarness({ config: { 'list-max-listpack-size': '2', 'list-compress-depth': '1' } });
    h.run('RPUSH', 'l', 'c', 'a', 'b');
    const events = h.recordEvents();
    const dirty = h.server.dirty;
    expect(h.run('SORT', 'l', 'ALPHA', 'STORE', 'd')).toEqual({ t: 'int', v: 3n });
    expect(events).toEqual(['new:d', 'signal:d', 'sortstore:d']);
    expect(h.server.dirty - dirty).toBe(3);
    // createQuicklistObject without the config: fill -2, no compression.
    const ql = h.object('d')!.value as Quicklist;
    expect([ql.fill, ql.compressDepth, ql.count]).toEqual([-2, 0, 3]);
    events.length = 0;
    expect(h.run('SORT', 'l', 'ALPHA', 'GET', 'nostar', 'LIMIT', '0', '0', 'STORE', 'd')).toEqual({ t: 'int', v: 0n });
    expect(events).toEqual(['signal:d', 'del:d']);
    expect(h.object('d')).toBeNull();
    events.length = 0;
    expect(h.run('SORT', 'l', 'ALPHA', 'LIMIT', '9', '1', 'STORE', 'd')).toEqual({ t: 'int', v: 0n });
    expect(events).toEqual([]);
  });

  it('converts a listpack sorted set to a skiplist and reads BY nosort ranges from it', () => {
    const h = new EngineHarness();
    h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    expect(h.encoding('z')).toBe('listpack');
    expect(texts(h.run('SORT_RO', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'))).toEqual(['c', 'b']);
    expect(h.encoding('z')).toBe('skiplist');
    expect(texts(h.run('SORT', 'z', 'BY', 'nosort', 'LIMIT', '3', '5'))).toEqual(['d']);
  });

  it('sorts a set by bytes for BY nosort with STORE', () => {
    const h = new EngineHarness();
    h.run('SADD', 's', 'b', '10', 'a', '9');
    h.run('SORT', 's', 'BY', 'nosort', 'STORE', 'd');
    expect(texts(h.run('LRANGE', 'd', '0', '-1'))).toEqual(['10', '9', 'a', 'b']);
  });

  it('counts a keyspace lookup per BY and GET pattern use', () => {
    const h = new EngineHarness();
    h.run('RPUSH', 'l', 'a', 'b');
    h.run('SET', 'w_a', '1');
    const { keyspaceHits: hits, keyspaceMisses: misses } = h.server.stats;
    h.run('SORT', 'l', 'BY', 'w_*', 'GET', 'w_*', 'GET', '#', 'GET', 'nostar');
    // l, then BY for a and b, then GET w_* for b and a; '#' and patterns without '*' look nothing up.
    expect(h.server.stats.keyspaceHits - hits).toBe(3);
    expect(h.server.stats.keyspaceMisses - misses).toBe(2);
  });
});

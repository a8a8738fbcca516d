// Unit tests for the quicklist. Expected layouts were checked against real Redis 7.0.15 with
// DEBUG QUICKLIST (test/differential/quicklistLayout.test.ts does that comparison automatically).
import { describe, expect, it } from 'vitest';
import { Quicklist, setPackedThreshold, type QuicklistIterator } from '../../../src/engine/ds/quicklist.ts';
import { listpackToBytes } from '../../../src/engine/ds/listpackEncode.ts';
import { Listpack } from '../../../src/engine/ds/listpack.ts';
import { lzfCompressedLength } from '../../../src/engine/ds/lzf.ts';

const counts = (ql: Quicklist) => [...ql.nodes()].map((n) => n.count);
const sizes = (ql: Quicklist) => [...ql.nodes()].map((n) => n.sz);
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => String(a + i));

function build(fill: number, values: string[], depth = 0): Quicklist {
  const ql = new Quicklist(fill, depth);
  for (const v of values) ql.pushTail(v);
  return ql;
}

/** LINSERT-style insert next to the first element equal to pivot. */
function insertAt(ql: Quicklist, pivot: string, value: string, after: boolean): boolean {
  const it = ql.iterator('forward');
  for (let e = it.next(); e; e = it.next()) {
    if (e.value === pivot) {
      if (after) ql.insertAfter(it, e, value); else ql.insertBefore(it, e, value);
      it.release();
      return true;
    }
  }
  it.release();
  return false;
}

/** LREM-style removal of every element equal to value. */
function removeAll(ql: Quicklist, value: string): number {
  let removed = 0;
  const it: QuicklistIterator = ql.iterator('forward');
  for (let e = it.next(); e; e = it.next()) if (e.value === value) { ql.delEntry(it, e); removed++; }
  it.release();
  return removed;
}

function checkInvariants(ql: Quicklist): void {
  let total = 0;
  let len = 0;
  let prev = null;
  for (let n = ql.head; n; n = n.next) {
    expect(n.prev).toBe(prev);
    expect(n.count).toBeGreaterThan(0);
    total += n.count;
    len++;
    prev = n;
  }
  expect(ql.tail).toBe(prev);
  expect(total).toBe(ql.count);
  expect(len).toBe(ql.len);
}

describe('fill rule', () => {
  it('positive fill caps entries per node, both ends', () => {
    const ql = build(4, range(1, 10));
    expect(counts(ql)).toEqual([4, 4, 2]);
    const left = new Quicklist(4);
    for (const v of range(1, 10)) left.pushHead(v);
    expect(counts(left)).toEqual([2, 4, 4]);
    expect(left.toArray()).toEqual(range(1, 10).reverse());
  });

  it('fill 0 and fill 1 give one element per node', () => {
    expect(counts(build(0, range(1, 5)))).toEqual([1, 1, 1, 1, 1]);
    expect(counts(build(1, range(1, 5)))).toEqual([1, 1, 1, 1, 1]);
  });

  it('negative fill limits bytes: 100-byte strings, 39 per 4 KB node', () => {
    const v = 'a'.repeat(100); // 103 bytes in a listpack: 2-byte header, payload, 1-byte backlen
    const ql = build(-1, Array(100).fill(v));
    expect(counts(ql)).toEqual([39, 39, 22]);
    expect(sizes(ql)).toEqual([4024, 4024, 2273]);
    expect(counts(build(-2, Array(100).fill(v)))).toEqual([79, 21]);
  });

  it('count-limited nodes still stop at the 8 KB safety limit', () => {
    const v = 'a'.repeat(100);
    const ql = build(128, Array(100).fill(v));
    expect(counts(ql)).toEqual([79, 21]);
    expect(sizes(ql)).toEqual([8144, 2170]);
  });

  it('uses the raw length (not the encoded size) plus 8 bytes of overhead to decide', () => {
    // Node of 4090 bytes with fill -1 (4096): nothing more fits, not even an empty string.
    const ql = new Quicklist(-1);
    ql.pushTail('z'.repeat(4079)); // 7 (header, end byte) + 2-byte entry header + 4079 + 2-byte backlen
    expect(ql.head!.sz).toBe(4090);
    expect(ql.allowInsert(ql.head, 0)).toBe(false);
    const ok = new Quicklist(-1);
    ok.pushTail('z'.repeat(4070)); // 4081 bytes: 4081 + 0 + 8 <= 4096
    expect(ok.head!.sz).toBe(4081);
    expect(ok.allowInsert(ok.head, 0)).toBe(true);
    expect(ok.allowInsert(ok.head, 8)).toBe(false);
  });

  it('shares the packed threshold between lists of one settings object', () => {
    const settings = { packedThreshold: 1 << 30 };
    const a = new Quicklist(-2, 0, settings);
    const b = new Quicklist(-2, 0, settings);
    a.pushTail('x'.repeat(10));
    expect(setPackedThreshold(settings, 5)).toBe(true);
    a.pushTail('y'.repeat(10));
    b.pushTail('z'.repeat(10));
    expect([...a.nodes()].map((n) => n.container)).toEqual(['packed', 'plain']);
    expect([...b.nodes()].map((n) => n.container)).toEqual(['plain']);
    expect(setPackedThreshold(settings, 2 ** 32)).toBe(false);
    expect(settings.packedThreshold).toBe(5);
    expect(setPackedThreshold(settings, 0)).toBe(true);
    expect(settings.packedThreshold).toBe(1 << 30);
  });

  it('clamps fill to -5..32767 and compress depth to 0..65535', () => {
    expect(new Quicklist(-100).fill).toBe(-5);
    expect(new Quicklist(100000).fill).toBe(32767);
    expect(new Quicklist(-2, -3).compressDepth).toBe(0);
    expect(new Quicklist(-2, 1e6).compressDepth).toBe(65535);
  });

  it('elements at or above the packed threshold get PLAIN nodes', () => {
    const ql = new Quicklist(-2, 0, { packedThreshold: 10 });
    ql.pushTail('a');
    ql.pushTail('0123456789');
    ql.pushTail('b');
    ql.pushHead('x'.repeat(20));
    expect([...ql.nodes()].map((n) => `${n.container}:${n.count}:${n.sz}`))
      .toEqual(['plain:1:20', 'packed:1:10', 'plain:1:10', 'packed:1:10']);
    expect(ql.toArray()).toEqual(['x'.repeat(20), 'a', '0123456789', 'b']);
    expect(ql.pop('head')).toBe('x'.repeat(20));
    expect(ql.len).toBe(3);
    checkInvariants(ql);
  });
});

describe('insert', () => {
  it('inserts into a node with room', () => {
    const ql = build(4, ['a', 'c']);
    expect(insertAt(ql, 'a', 'b', true)).toBe(true);
    expect(ql.toArray()).toEqual(['a', 'b', 'c']);
    expect(counts(ql)).toEqual([3]);
  });

  it('splits a full node in the middle (before)', () => {
    const ql = build(4, range(1, 8));
    insertAt(ql, '3', 'x', false);
    expect(ql.toArray()).toEqual(['1', '2', 'x', '3', '4', '5', '6', '7', '8']);
    expect(counts(ql)).toEqual([3, 2, 4]);
    expect(sizes(ql)).toEqual([14, 11, 15]);
    checkInvariants(ql);
  });

  it('splits and then merges the neighbours that fit together', () => {
    const ql = build(4, range(1, 12));
    for (const v of ['1', '2', '11', '12']) removeAll(ql, v);
    expect(counts(ql)).toEqual([2, 4, 2]); // deletes never merge nodes
    insertAt(ql, '6', 'x', true);
    // [5,6,7,8] splits into [5,6] + [x,7,8]; then [3,4] and [5,6] merge.
    expect(ql.toArray()).toEqual(['3', '4', '5', '6', 'x', '7', '8', '9', '10']);
    expect(counts(ql)).toEqual([4, 3, 2]);
    expect(sizes(ql)).toEqual([15, 14, 11]);
    checkInvariants(ql);
  });

  it('at a full node edge, uses the neighbour when it has room', () => {
    const ql = build(4, range(1, 6)); // [1..4][5,6]
    insertAt(ql, '4', 'x', true); // after the last element of a full node: head of next node
    expect(counts(ql)).toEqual([4, 3]);
    expect(ql.toArray()).toEqual(['1', '2', '3', '4', 'x', '5', '6']);
    insertAt(ql, '5', 'y', false); // before the first element of [x,5,6]? no: pivot 5 is at offset 1
    expect(ql.toArray()).toEqual(['1', '2', '3', '4', 'x', 'y', '5', '6']);
    expect(counts(ql)).toEqual([4, 4]);
  });

  it('at a full node edge with full neighbours, creates a new node', () => {
    const ql = build(2, range(1, 4)); // [1,2][3,4]
    insertAt(ql, '2', 'x', true);
    expect(counts(ql)).toEqual([2, 1, 2]);
    insertAt(ql, '1', 'y', false);
    expect(counts(ql)).toEqual([1, 2, 1, 2]);
    expect(ql.toArray()).toEqual(['y', '1', '2', 'x', '3', '4']);
    checkInvariants(ql);
  });

  it('a large element in the middle of a packed node splits it around a PLAIN node', () => {
    const ql = new Quicklist(-2, 0, { packedThreshold: 8 });
    for (const v of range(1, 5)) ql.pushTail(v);
    insertAt(ql, '3', 'L'.repeat(8), true);
    expect([...ql.nodes()].map((n) => `${n.container}:${n.count}`)).toEqual(['packed:3', 'plain:1', 'packed:2']);
    expect(ql.toArray()).toEqual(['1', '2', '3', 'LLLLLLLL', '4', '5']);
    checkInvariants(ql);
  });
});

describe('index', () => {
  it('finds elements from both ends, walking from the nearer end', () => {
    const ql = build(3, range(0, 29)); // 10 nodes of 3
    expect(ql.index(0)).toBe('0');
    expect(ql.index(29)).toBe('29');
    expect(ql.index(-1)).toBe('29');
    expect(ql.index(-30)).toBe('0');
    expect(ql.index(30)).toBeNull();
    expect(ql.index(-31)).toBeNull();
    expect(ql.index(7)).toBe('7');
    expect(ql.lastSeek).toEqual({ fromHead: true, nodesSkipped: 2 });
    expect(ql.index(25)).toBe('25');
    expect(ql.lastSeek).toEqual({ fromHead: false, nodesSkipped: 1 });
    expect(ql.index(-5)).toBe('25');
    expect(ql.lastSeek).toEqual({ fromHead: false, nodesSkipped: 1 });
    expect(ql.index(-28)).toBe('2');
    expect(ql.lastSeek).toEqual({ fromHead: true, nodesSkipped: 0 });
    for (let i = -30; i < 30; i++) expect(ql.index(i)).toBe(String(i < 0 ? 30 + i : i));
  });

  it('iterates in both directions from an index', () => {
    const ql = build(4, range(0, 9));
    const fwd: string[] = [];
    const it = ql.iteratorAtIndex('forward', 3)!;
    for (let e = it.next(); e; e = it.next()) fwd.push(e.value);
    expect(fwd).toEqual(range(3, 9));
    const back: string[] = [];
    const it2 = ql.iteratorAtIndex('backward', -3)!;
    for (let e = it2.next(); e; e = it2.next()) back.push(e.value);
    expect(back).toEqual(range(0, 7).reverse());
  });

  it('replaces in place (even past the fill limit, as LSET does)', () => {
    const ql = build(-1, ['a', 'b', 'c']);
    expect(ql.replaceAtIndex(-2, 'B'.repeat(5000))).toBe(true);
    expect(ql.toArray()).toEqual(['a', 'B'.repeat(5000), 'c']);
    expect(ql.len).toBe(1);
    expect(ql.replaceAtIndex(3, 'x')).toBe(false);
  });
});

describe('delete', () => {
  it('pops from both ends and drops emptied nodes', () => {
    const ql = build(2, range(1, 5));
    expect(ql.pop('head')).toBe('1');
    expect(ql.pop('tail')).toBe('5');
    expect(counts(ql)).toEqual([1, 2]);
    expect(ql.pop('head')).toBe('2');
    expect(counts(ql)).toEqual([2]);
    ql.pop('head'); ql.pop('head');
    expect(ql.pop('head')).toBeNull();
    expect(ql.head).toBeNull();
    expect(ql.len).toBe(0);
  });

  it('deletes ranges across nodes', () => {
    const ql = build(4, range(0, 19)); // 5 nodes of 4
    expect(ql.delRange(2, 9)).toBe(true); // 2..10
    expect(ql.toArray()).toEqual(['0', '1', ...range(11, 19)]);
    expect(counts(ql)).toEqual([2, 1, 4, 4]);
    expect(ql.delRange(-3, 10)).toBe(true); // from -3 to the end only
    expect(ql.toArray()).toEqual(['0', '1', ...range(11, 16)]);
    expect(counts(ql)).toEqual([2, 1, 4, 1]);
    expect(ql.delRange(0, 0)).toBe(false);
    expect(ql.delRange(50, 1)).toBe(false);
    expect(ql.delRange(0, 100)).toBe(true);
    expect(ql.count).toBe(0);
    expect(ql.len).toBe(0);
  });

  it('deletes while iterating backwards (LREM with a negative count)', () => {
    const ql = build(3, ['a', 'x', 'b', 'x', 'x', 'c', 'x', 'd']);
    const it = ql.iteratorAtIndex('backward', -1)!;
    let removed = 0;
    for (let e = it.next(); e; e = it.next()) {
      if (e.value === 'x') { ql.delEntry(it, e); if (++removed === 3) break; }
    }
    it.release();
    expect(ql.toArray()).toEqual(['a', 'x', 'b', 'c', 'd']);
    checkInvariants(ql);
  });
});

describe('compression', () => {
  const big = (c: string) => c.repeat(60);

  it('keeps compress-depth nodes at each end raw and compresses interior ones', () => {
    const ql = build(1, ['a', 'b', 'c', 'd', 'e'].map(big), 1);
    expect([...ql.nodes()].map((n) => n.compressed)).toEqual([false, true, true, true, false]);
    const ql2 = build(1, ['a', 'b', 'c', 'd', 'e'].map(big), 2);
    expect([...ql2.nodes()].map((n) => n.compressed)).toEqual([false, false, true, false, false]);
    const mid = ql.head!.next!;
    expect(mid.compressedSize).toBeGreaterThan(0);
    expect(mid.compressedSize).toBeLessThan(mid.sz - 8);
  });

  it('does not compress nodes under 48 bytes or ones that do not shrink', () => {
    const ql = build(1, ['a', 'b', 'c', 'd'], 1);
    expect([...ql.nodes()].some((n) => n.compressed)).toBe(false);
    let noise = '';
    for (let i = 0; i < 60; i++) noise += String.fromCharCode((i * 97 + 13) % 256);
    const ql2 = build(1, [big('a'), noise, big('c')], 1);
    expect(ql2.head!.next!.compressed).toBe(false);
  });

  it('reading a compressed node leaves it compressed', () => {
    const ql = build(1, ['a', 'b', 'c', 'd', 'e'].map(big), 1);
    expect(ql.index(2)).toBe(big('c'));
    expect([...ql.nodes()].map((n) => n.compressed)).toEqual([false, true, true, true, false]);
    expect([...ql.nodes()].some((n) => n.recompress)).toBe(false);
  });

  it('dup copies layout and compression', () => {
    const ql = build(2, range(100, 140).map((s) => s.repeat(20)), 1);
    const copy = ql.dup();
    expect(counts(copy)).toEqual(counts(ql));
    expect([...copy.nodes()].map((n) => n.compressed)).toEqual([...ql.nodes()].map((n) => n.compressed));
    copy.pushTail('new');
    expect(ql.count).toBe(41);
    expect(copy.count).toBe(42);
  });
});

describe('listpack bytes and LZF', () => {
  it('serialises entries with Redis listpack encodings', () => {
    const lp = Listpack.from(['1', '-1', 'ab', '300', '-70000', '9223372036854775807']);
    const bytes = [...listpackToBytes(lp)];
    expect(bytes.slice(0, 6)).toEqual([lp.bytes, 0, 0, 0, 6, 0]);
    expect(bytes.slice(6, 8)).toEqual([0x01, 1]); // 7-bit uint + backlen
    expect(bytes.slice(8, 11)).toEqual([0xdf, 0xff, 2]); // 13-bit -1
    expect(bytes.slice(11, 15)).toEqual([0x82, 0x61, 0x62, 3]); // 6-bit string "ab"
    expect(bytes.slice(15, 18)).toEqual([0xc1, 0x2c, 2]); // 13-bit 300
    expect(bytes.slice(18, 23)).toEqual([0xf2, 0x90, 0xee, 0xfe, 4]); // 24-bit -70000
    expect(bytes.slice(23, 33)).toEqual([0xf4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 9]);
    expect(bytes[bytes.length - 1]).toBe(0xff);
  });

  it('two-byte back-lengths for long entries', () => {
    const lp = Listpack.from(['x'.repeat(200)]);
    const bytes = listpackToBytes(lp);
    // 202-byte entry: backlen 202 = 1*128 + 74 -> [1, 74|128]
    expect([...bytes.slice(bytes.length - 3, bytes.length - 1)]).toEqual([1, 74 | 128]);
  });

  it('LZF output lengths', () => {
    const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    // Values checked against liblzf's lzf_compress built from the Redis sources.
    expect(lzfCompressedLength(enc('a'.repeat(100)), 100)).toBe(9);
    expect(lzfCompressedLength(enc('abc'), 100)).toBe(4); // one literal run
    expect(lzfCompressedLength(enc('abcdefgh'), 5)).toBe(0); // does not fit
  });
});

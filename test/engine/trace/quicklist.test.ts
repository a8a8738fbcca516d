// Quicklist trace events match what the quicklist did: replaying the node events (created, split,
// merged, deleted, moved) on the node ids before a command gives the node ids after it, at the
// positions the events name; replaying the compress/decompress events on the compressed set gives
// the compressed set after it, with the LZF sizes the snapshot shows; split and merge sizes add up
// (a merge saves exactly one listpack header and end byte). A traced run is the same run as an
// untraced one. Lists no key holds (an RDB load, SORT ... STORE building its result) are not reported.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import type { Quicklist, QuicklistNodeState } from '../../../src/engine/ds/quicklist.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import type { TraceEvent } from '../../../src/engine/trace/events.ts';
import type { QuicklistTraceEvent } from '../../../src/engine/trace/quicklistTrace.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import { encodingSnapshot, type QuicklistDetail } from '../../../src/engine/trace/encoding.ts';
import { setServerPackedThreshold } from '../../../src/engine/commands/list.ts';

/** LISTPACK_HDR_SIZE (6) + the end byte: what joining two listpacks into one saves. */
const LISTPACK_OVERHEAD = 7;

interface NodeSnap { id: number; count: number; bytes: number; compressed: boolean; compressedBytes: number | null }

function nodesOf(h: EngineHarness, key: string): NodeSnap[] {
  const o = h.object(key);
  if (!o) return [];
  const out: NodeSnap[] = [];
  for (const n of (o.value as Quicklist).nodes()) {
    out.push({ id: n.id, count: n.count, bytes: n.sz, compressed: n.compressed, compressedBytes: n.compressed ? n.compressedSize : null });
  }
  return out;
}

function qlEvents(events: readonly TraceEvent[]): QuicklistTraceEvent[] {
  return events.filter((e): e is QuicklistTraceEvent => e.kind === 'quicklistNode' || e.kind === 'quicklistCompress');
}

/** The node at `state.index` in the replayed list is the one the event names. */
function expectAt(ids: number[], state: QuicklistNodeState, what: string): void {
  expect(ids[state.index], `${what}: node ${state.id} at ${state.index} of [${ids.join(',')}]`).toBe(state.id);
}

type OpCounts = Record<string, number>;

/**
 * Replays one command's quicklist events on the node layout before it and checks the result is
 * the layout after it; counts the ops seen.
 */
function replay(before: NodeSnap[], after: NodeSnap[], events: QuicklistTraceEvent[], label: string, counts: OpCounts): void {
  const ids = before.map((n) => n.id);
  const compressed = new Map<number, number>();
  for (const n of before) if (n.compressed) compressed.set(n.id, n.compressedBytes!);
  for (const e of events) {
    const what = `${label}: ${e.op}`;
    counts[e.op] = (counts[e.op] ?? 0) + 1;
    switch (e.op) {
      case 'create':
        ids.splice(e.node.index, 0, e.node.id);
        expect(e.node.count, what).toBeGreaterThan(0);
        expect(e.node.compressed, what).toBe(false);
        break;
      case 'split': {
        expect(ids.includes(e.newNode.id), what).toBe(false);
        ids.splice(e.newNode.index, 0, e.newNode.id);
        expectAt(ids, e.node, what);
        expectAt(ids, e.newNode, what);
        // Next to each other, or (a large element inserted inside a packed node) around its new PLAIN node.
        expect([1, 2], what).toContain(Math.abs(e.node.index - e.newNode.index));
        expect(e.after ? e.newNode.index > e.node.index : e.newNode.index < e.node.index, what).toBe(true);
        // The new element went into the cut-off part (or, when large, into a PLAIN node of its own).
        expect([0, 1], what).toContain(e.node.count + e.newNode.count - e.before.count);
        break;
      }
      case 'merge': {
        expectAt(ids, e.a, what);
        expectAt(ids, e.b, what);
        expect(e.b.index, what).toBe(e.a.index + 1);
        expect(e.kept.count, what).toBe(e.a.count + e.b.count);
        expect(e.kept.bytes, what).toBe(e.a.bytes + e.b.bytes - LISTPACK_OVERHEAD);
        expect(e.kept.index, what).toBe(e.a.index);
        expect([e.a.id, e.b.id], what).toContain(e.kept.id);
        expect([e.a.id, e.b.id].filter((id) => id !== e.kept.id), what).toEqual([e.droppedId]);
        // _quicklistListpackMerge keeps the larger listpack.
        expect(e.kept.id, what).toBe(e.a.bytes >= e.b.bytes ? e.a.id : e.b.id);
        ids.splice(ids.indexOf(e.droppedId), 1);
        compressed.delete(e.droppedId);
        break;
      }
      case 'delete':
        expectAt(ids, e.node, what);
        ids.splice(e.node.index, 1);
        compressed.delete(e.node.id);
        break;
      case 'move':
        expect(e.from, what).toBe(ids.length - 1);
        expect(ids[e.from], what).toBe(e.node.id);
        ids.splice(e.from, 1);
        ids.unshift(e.node.id);
        break;
      case 'compress':
        expectAt(ids, e.node, what);
        expect(compressed.has(e.node.id), what).toBe(false);
        expect(e.node.compressed, what).toBe(true);
        expect(e.node.compressedBytes! + 8, what).toBeLessThan(e.node.bytes);
        compressed.set(e.node.id, e.node.compressedBytes!);
        break;
      case 'decompress':
        expectAt(ids, e.node, what);
        expect(compressed.get(e.node.id), what).toBe(e.compressedBytes);
        expect(e.node.compressed, what).toBe(false);
        compressed.delete(e.node.id);
        break;
    }
  }
  expect(ids, `${label}: node ids after`).toEqual(after.map((n) => n.id));
  const compressedAfter = new Map(after.filter((n) => n.compressed).map((n) => [n.id, n.compressedBytes!]));
  expect(compressed, `${label}: compressed nodes after`).toEqual(compressedAfter);
}

/** A seeded stream of list commands on one key: pushes, inserts in the middle, sets, removals, reads, rotations. */
function listCommands(seed: number, n: number): string[][] {
  const r = new SeededRandom(seed);
  const value = (): string => {
    const kind = r.below(6);
    if (kind === 0) return String(r.below(1000));
    if (kind === 1) return `item:${r.below(40)}:`.repeat(1 + r.below(6));
    if (kind === 2) return 'x'.repeat(300 + r.below(200)); // over the packed threshold set below: a PLAIN node
    return `v${r.below(60)}`;
  };
  const cmds: string[][] = [];
  for (let i = 0; i < n; i++) {
    const roll = r.below(20);
    if (roll < 7) cmds.push([r.below(2) ? 'RPUSH' : 'LPUSH', 'l', ...Array.from({ length: 1 + r.below(5) }, value)]);
    else if (roll < 10) cmds.push(['LINSERT', 'l', r.below(2) ? 'BEFORE' : 'AFTER', `v${r.below(60)}`, value()]);
    else if (roll === 10) cmds.push(['LSET', 'l', String(r.below(30) - 15), value()]);
    else if (roll === 11) cmds.push(['LREM', 'l', String(r.below(3) - 1), `v${r.below(60)}`]);
    else if (roll === 12) cmds.push([r.below(2) ? 'LPOP' : 'RPOP', 'l', String(1 + r.below(4))]);
    else if (roll === 13) cmds.push(['LTRIM', 'l', String(r.below(3)), String(-1 - r.below(3))]);
    else if (roll === 14) cmds.push(['LINDEX', 'l', String(r.below(40) - 20)]);
    else if (roll === 15) cmds.push(['LRANGE', 'l', String(r.below(20)), String(r.below(40))]);
    else if (roll === 16) cmds.push(['LMOVE', 'l', 'l', r.below(2) ? 'RIGHT' : 'LEFT', 'LEFT']);
    else if (roll === 17) cmds.push(['LPOS', 'l', `v${r.below(60)}`]);
    else cmds.push(['RPUSH', 'l', ...Array.from({ length: 10 + r.below(20) }, () => `v${r.below(60)}`)]);
  }
  return cmds;
}

function harness(fill: string, depth: string): EngineHarness {
  const h = new EngineHarness({ config: { 'enable-debug-command': 'yes', 'list-max-listpack-size': fill, 'list-compress-depth': depth } });
  // DEBUG QUICKLIST-PACKED-THRESHOLD's setting (the engine has no such DEBUG subcommand yet).
  expect(setServerPackedThreshold(h.server, 300)).toBe(true);
  return h;
}

describe('quicklist events replay to the structure', () => {
  for (const [fill, depth] of [['5', '1'], ['-1', '2'], ['3', '0']] as const) {
    it(`list-max-listpack-size ${fill}, list-compress-depth ${depth}: a seeded stream of 1500 commands`, () => {
      const h = harness(fill, depth);
      const sink = new TraceRecorder(100_000);
      h.server.trace = sink;
      const counts: OpCounts = {};
      let plainNodes = 0;
      for (const argv of listCommands(Number(fill) * 7 + Number(depth), 1500)) {
        const before = nodesOf(h, 'l');
        h.raw(...argv);
        const after = nodesOf(h, 'l');
        const events = sink.take().events;
        const mine = qlEvents(events);
        for (const e of mine) expect([e.db, e.key]).toEqual([0, 'l']);
        plainNodes += mine.filter((e) => e.op === 'create' && e.node.container === 'plain').length;
        replay(before, after, mine, argv.join(' ').slice(0, 80), counts);
      }
      // The stream went through every kind of change.
      expect(counts.create).toBeGreaterThan(50);
      expect(counts.split).toBeGreaterThan(10);
      // Under a byte limit (4 KB nodes) small elements rarely leave neighbours small enough to merge.
      if (Number(fill) > 0) expect(counts.merge).toBeGreaterThan(3);
      expect(counts.delete).toBeGreaterThan(10);
      expect(plainNodes).toBeGreaterThan(10);
      if (depth !== '0') {
        expect(counts.compress).toBeGreaterThan(50);
        expect(counts.decompress).toBeGreaterThan(50);
      } else {
        expect(counts.compress ?? 0).toBe(0);
        expect(counts.decompress ?? 0).toBe(0);
      }
    });
  }

  it('a traced run is the same run: replies, node ids, sizes and compression', () => {
    const run = (traced: boolean) => {
      const h = harness('4', '1');
      if (traced) h.server.trace = new TraceRecorder();
      const replies = listCommands(11, 1500).map((argv) => h.raw(...argv));
      return { replies, nodes: nodesOf(h, 'l') };
    };
    const plain = run(false);
    const traced = run(true);
    expect(traced.replies).toEqual(plain.replies);
    expect(traced.nodes).toEqual(plain.nodes);
    expect(plain.nodes.length).toBeGreaterThan(10);
  });
});

describe('single operations', () => {
  /** A harness with a recorder; run() returns the quicklist events of that command. */
  function traced(config: Record<string, string>) {
    const h = new EngineHarness({ config });
    const sink = new TraceRecorder();
    h.server.trace = sink;
    return {
      h,
      run: (...argv: string[]) => {
        sink.take(); // what the setup did
        h.raw(...argv);
        return qlEvents(sink.take().events);
      },
    };
  }

  it('pushes create head and tail nodes (quicklistCreateNode from quicklistPushHead / quicklistPushTail)', () => {
    const { h, run } = traced({ 'enable-debug-command': 'yes', 'list-max-listpack-size': '2' });
    expect(run('RPUSH', 'l', 'a', 'b', 'c')).toMatchObject([
      { kind: 'quicklistNode', op: 'create', fn: 'quicklistCreateNode', caller: 'quicklistPushTail', node: { index: 0, count: 1 } },
      { op: 'create', caller: 'quicklistPushTail', node: { index: 1, count: 1 } },
    ]);
    // A node is reported when linked, holding the element it was made for: a 6-byte header, 'z' in 3 bytes, the end byte.
    expect(run('LPUSH', 'l', 'z')).toMatchObject([{ op: 'create', caller: 'quicklistPushHead', node: { index: 0, count: 1, bytes: 10 } }]);
    expect(run('RPUSH', 'l', 'd')).toEqual([]); // the tail node had room
    expect(nodesOf(h, 'l').map((n) => n.count)).toEqual([1, 2, 2]);
    expect(run('RPUSH', 'l', 'p'.repeat(5000))).toMatchObject([{ op: 'create', fn: 'quicklistCreateNode', node: { index: 3, count: 1 } }]);
    setServerPackedThreshold(h.server, 1000);
    expect(run('RPUSH', 'l', 'q'.repeat(1000))).toMatchObject([
      { op: 'create', fn: '__quicklistCreatePlainNode', caller: 'quicklistPushTail', node: { index: 4, container: 'plain', count: 1, bytes: 1000 } },
    ]);
  });

  it('LINSERT into a full node: _quicklistSplitNode, then _quicklistMergeNodes joins neighbours that fit', () => {
    const { h, run } = traced({ 'list-max-listpack-size': '4' });
    h.raw('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    expect(nodesOf(h, 'l').map((n) => n.count)).toEqual([4, 4]);
    const before = nodesOf(h, 'l');
    const events = run('LINSERT', 'l', 'AFTER', 'b', 'X');
    expect(events.map((e) => e.op)).toEqual(['split']);
    const split = events[0] as Extract<QuicklistTraceEvent, { op: 'split' }>;
    expect(split).toMatchObject({
      fn: '_quicklistSplitNode', caller: '_quicklistInsert', offset: 1, after: true,
      before: { count: 4, bytes: before[0].bytes }, node: { id: before[0].id, index: 0, count: 2 }, newNode: { index: 1, count: 3 },
    });
    // [a b] [X c d] [e f g h]: no two neighbours fit in 4 elements, nothing merged.
    expect(h.raw('LRANGE', 'l', '0', '-1')).toContain('X');
    expect(nodesOf(h, 'l').map((n) => n.count)).toEqual([2, 3, 4]);

    // Pop down to [a b] [X] [h], then a split of a full node next to small ones merges.
    h.raw('LREM', 'l', '0', 'c');
    h.raw('LREM', 'l', '0', 'd');
    for (const v of ['e', 'f', 'g']) h.raw('LREM', 'l', '0', v);
    expect(nodesOf(h, 'l').map((n) => n.count)).toEqual([2, 1, 1]);
    h.raw('LINSERT', 'l', 'AFTER', 'a', 'Y');
    h.raw('LINSERT', 'l', 'AFTER', 'a', 'Z');
    expect(nodesOf(h, 'l').map((n) => n.count)).toEqual([4, 1, 1]);
    const mid = nodesOf(h, 'l');
    const ops = run('LINSERT', 'l', 'AFTER', 'Z', 'W');
    // Split: [a Z] [W Y b] [X] [h]. _quicklistMergeNodes(center = [a Z]) then tries (next, next->next):
    // [W Y b] + [X] fit in 4 elements and are merged; ([a Z], [W Y b X]) do not.
    expect(ops.map((e) => e.op)).toEqual(['split', 'merge']);
    const second = ops[0] as Extract<QuicklistTraceEvent, { op: 'split' }>;
    const merge = ops[1] as Extract<QuicklistTraceEvent, { op: 'merge' }>;
    expect(merge).toMatchObject({
      fn: '_quicklistListpackMerge', caller: '_quicklistMergeNodes', a: { id: second.newNode.id, index: 1, count: 3 },
      b: { id: mid[1].id, index: 2, count: 1 }, kept: { id: second.newNode.id, index: 1, count: 4 }, droppedId: mid[1].id,
    });
    const after = nodesOf(h, 'l');
    expect(after.map((n) => n.count)).toEqual([2, 4, 1]);
    expect(after[1]).toMatchObject({ id: merge.kept.id, count: merge.kept.count, bytes: merge.kept.bytes });
    expect(after.map((n) => n.id)).not.toContain(merge.droppedId);
  });

  it('a node emptied by pops is deleted (__quicklistDelNode from quicklistDelIndex); LTRIM by quicklistDelRange', () => {
    const { h, run } = traced({ 'list-max-listpack-size': '2' });
    h.raw('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f');
    const ids = nodesOf(h, 'l').map((n) => n.id);
    expect(run('LPOP', 'l')).toEqual([]);
    expect(run('LPOP', 'l')).toMatchObject([{ op: 'delete', fn: '__quicklistDelNode', caller: 'quicklistDelIndex', node: { id: ids[0], index: 0, count: 0 } }]);
    // [c d] [e f] trimmed to [c]: 'd' goes from inside the first node, the second node as a whole.
    expect(run('LTRIM', 'l', '0', '0')).toMatchObject([
      { op: 'delete', caller: 'quicklistDelRange', node: { id: ids[2], index: 1, count: 2 } },
    ]);
    // The last element: the node goes, then the key.
    expect(run('RPOP', 'l')).toMatchObject([{ op: 'delete', node: { id: ids[1], index: 0 } }]);
    expect(h.object('l')).toBeNull();
  });

  it('compress depth: interior nodes compressed by __quicklistCompress; LINDEX decompresses for use and recompresses', () => {
    const { h, run } = traced({ 'list-max-listpack-size': '4', 'list-compress-depth': '1' });
    const v = (i: number) => `compressible-${i % 3}-${'a'.repeat(20)}`;
    const pushed = run('RPUSH', 'l', ...Array.from({ length: 12 }, (_, i) => v(i)));
    // Three nodes: the middle one is compressed once the third node exists.
    expect(pushed.map((e) => e.op)).toEqual(['create', 'create', 'create', 'compress']);
    const nodes = nodesOf(h, 'l');
    expect(nodes.map((n) => n.compressed)).toEqual([false, true, false]);
    expect(pushed[3]).toMatchObject({
      kind: 'quicklistCompress', fn: '__quicklistCompressNode', caller: '__quicklistCompress',
      node: { id: nodes[1].id, index: 1, count: 4, bytes: nodes[1].bytes, compressed: true, compressedBytes: nodes[1].compressedBytes },
    });
    const snap = encodingSnapshot(h.server, { kind: 'encoding', db: 0, key: 'l' }).detail as QuicklistDetail;
    expect(snap.nodes[1]).toMatchObject({ id: nodes[1].id, compressed: true, compressedBytes: (pushed[3] as Extract<QuicklistTraceEvent, { op: 'compress' }>).node.compressedBytes });
    // Reading inside the middle node.
    expect(run('LINDEX', 'l', '5')).toMatchObject([
      { op: 'decompress', fn: '__quicklistDecompressNode', caller: 'quicklistDecompressNodeForUse', node: { index: 1, compressed: false }, compressedBytes: nodes[1].compressedBytes },
      { op: 'compress', caller: 'quicklistRecompressOnly', node: { index: 1, compressedBytes: nodes[1].compressedBytes } },
    ]);
    // Popping the tail node away brings the middle node within the depth: decompressed by __quicklistCompress.
    const popped = run('RPOP', 'l', '4');
    expect(popped.map((e) => [e.op, e.caller])).toEqual([['delete', 'quicklistDelRange'], ['decompress', '__quicklistCompress']]);
    expect(nodesOf(h, 'l').map((n) => n.compressed)).toEqual([false, false]);
  });

  it('lists no key holds are not reported: DEBUG RELOAD, SORT ... STORE; a rename follows the list', () => {
    const { h, run } = traced({ 'enable-debug-command': 'yes', 'list-max-listpack-size': '2', 'list-compress-depth': '1' });
    run('RPUSH', 'l', ...Array.from({ length: 20 }, (_, i) => `element-${i % 4}-${'b'.repeat(30)}`));
    expect(run('DEBUG', 'RELOAD')).toEqual([]);
    expect(nodesOf(h, 'l').filter((n) => n.compressed).length).toBeGreaterThan(0);
    // SORT reads the source (its compressed nodes are opened for use and closed again); the result
    // list is built before it is stored: nothing about 'sorted'.
    const sorted = run('SORT', 'l', 'ALPHA', 'STORE', 'sorted');
    expect(sorted.length).toBeGreaterThan(0);
    expect(new Set(sorted.map((e) => `${e.key} ${e.op} ${e.caller}`))).toEqual(new Set([
      'l decompress quicklistDecompressNodeForUse', 'l compress quicklistRecompressOnly',
    ]));
    expect(h.encoding('sorted')).toBe('quicklist');
    run('RENAME', 'l', 'm');
    const events = run('RPUSH', 'm', 'x', 'y', 'z');
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.key).toBe('m');
  });
});

// The skiplist panel's logic without a page: the layout (a column per drawn node, links to the
// right columns, collapsed ranges, NULL), what an operation highlights (the path's boxes, update[i],
// the links that changed), the step lists and span sums, and the watcher that follows the key's
// events and moves the window; plus the SVG markup the diagram renders.
import { describe, expect, it } from 'vitest';
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { EngineHarness } from '../../support/engineHarness.ts';
import { skiplistQuery, type SkiplistQuery, type SkiplistResult, type SkiplistSnapshot } from '../../../src/engine/trace/skiplist.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import type { ZslInsertTraceEvent, ZslSearchTraceEvent } from '../../../src/engine/trace/skiplistTrace.ts';
import type { EventBatch } from '../../../src/ui/engine/engineConnection.ts';
import { columnOfRank, geometryFor, highlightFor, layoutSkiplist } from '../../../src/ui/panels/skiplist/layout.ts';
import { opSteps, spanSums, STEP_COUNTS } from '../../../src/ui/panels/skiplist/steps.ts';
import type { WatcherClock } from '../../../src/ui/engine/queryPacer.ts';
import { SkiplistWatcher, type SkiplistEngine, type SkiplistOp } from '../../../src/ui/panels/skiplist/watcher.ts';
import { skiplist as messages } from '../../../src/ui/i18n/messages/skiplist.ts';

function snap(h: EngineHarness, key: string, q: Partial<SkiplistQuery> = {}): SkiplistSnapshot {
  const r = skiplistQuery(h.server, { kind: 'skiplist', db: 0, key, ...q });
  if (r.encoding !== 'skiplist') throw new Error('listpack');
  return r;
}

/** A set of `n` members; events from here on are recorded. */
function setup(n: number, seed = 2): { h: EngineHarness; sink: TraceRecorder } {
  // A skiplist from the first member on, however small.
  const h = new EngineHarness({ seed, config: { 'zset-max-listpack-entries': '0' } });
  h.raw('ZADD', 'z', ...Array.from({ length: n }, (_, i) => [String(i * 10), `m${String(i).padStart(4, '0')}`]).flat());
  const sink = new TraceRecorder(100_000);
  h.server.trace = sink;
  return { h, sink };
}

describe('layout', () => {
  it('a column per node between the header and NULL, links to their targets\' columns, collapsed ranges counted', () => {
    const { h } = setup(500);
    const s = snap(h, 'z', { limit: 20, focusRank: 250 });
    const layout = layoutSkiplist(s, geometryFor(20));
    const kinds = layout.columns.map((c) => c.kind);
    expect(kinds[0]).toBe('header');
    expect(kinds[1]).toBe('before');
    expect(kinds.at(-2)).toBe('after');
    expect(kinds.at(-1)).toBe('nil');
    expect(kinds.filter((k) => k === 'node')).toHaveLength(20);
    expect(layout.columns[1].count).toBe(s.window.first - 1);
    expect(layout.columns.at(-2)!.count).toBe(500 - s.window.last);
    // Columns left to right in rank order, a tower as tall as the node's level.
    const nodes = layout.columns.filter((c) => c.kind === 'node');
    nodes.forEach((c, k) => {
      expect(c.rank).toBe(s.window.first + k);
      expect(c.height).toBe(c.node!.level);
      if (k > 0) expect(c.cx).toBeGreaterThan(nodes[k - 1].cx);
    });
    // Every link of a drawn node goes to the column of its target rank (or a collapsed one, or NULL).
    for (const l of layout.links.filter((l) => layout.columns[l.from].kind === 'node')) {
      const src = layout.columns[l.from].node!;
      const to = src.links[l.level].to;
      expect(l.to).toBe(columnOfRank(layout, s, to));
      expect(l.span).toBe(src.links[l.level].span);
    }
    // The header's links all leave towards the before-range (the window does not start at rank 1).
    const headerLinks = layout.links.filter((l) => l.from === 0);
    expect(headerLinks).toHaveLength(s.level);
    for (const l of headerLinks) expect(l.to).toBe(1);
    // Out of the before-range: one link per level it reaches, to the first drawn node as tall.
    const fromBefore = layout.links.filter((l) => l.from === 1);
    expect(fromBefore.map((l) => l.level)).toEqual(s.before.towers.flatMap((n, i) => (n > 0 ? [i] : [])));
    for (const l of fromBefore) {
      const target = layout.columns[l.to];
      if (target.kind === 'node') {
        expect(target.height).toBeGreaterThan(l.level);
        expect(nodes.filter((c) => c.cx < target.cx).every((c) => c.height <= l.level)).toBe(true);
      }
    }
    // Backward pointers: each drawn node to the previous column.
    for (const b of layout.backward) expect(b.to).toBe(b.from - 1);
    expect(layout.backward.length).toBe(20 + 1);
  });

  it('a small set is drawn whole: no collapsed columns, the header links to nodes directly', () => {
    const { h } = setup(10);
    const s = snap(h, 'z', { limit: 64 });
    const layout = layoutSkiplist(s, geometryFor(64));
    expect(layout.columns.map((c) => c.kind)).toEqual(['header', ...Array(10).fill('node'), 'nil']);
    for (const l of layout.links.filter((l) => l.from === 0)) {
      expect(layout.columns[l.to].rank).toBe(s.header[l.level].to);
    }
    expect(layout.width).toBe(12 * layout.geometry.colW);
    expect(layout.levels).toBe(s.level);
  });
});

describe('what an operation highlights', () => {
  it('ZADD: the path\'s boxes, update[i] and the links now pointing at the new node', () => {
    const { h, sink } = setup(300);
    h.raw('ZADD', 'z', '1505', 'new');
    const ins = sink.take().events.find((e) => e.kind === 'zslInsert') as ZslInsertTraceEvent;
    const s = snap(h, 'z', { limit: 64, focusRank: ins.rank });
    const layout = layoutSkiplist(s, geometryFor(64));
    const op: SkiplistOp = { type: 'insert', event: ins, removed: null };
    const hl = highlightFor(layout, s, op);
    const target = hl.target!;
    expect(layout.columns[target].node!.member).toBe('new');
    expect(layout.columns[target].height).toBe(ins.level);
    expect(hl.rank).toBe(ins.rank);
    // update[i] boxes sit on the columns of those ranks, at those levels.
    for (const u of ins.update) {
      const col = columnOfRank(layout, s, u.rank);
      if (col === null || layout.columns[col].kind !== 'node' && layout.columns[col].kind !== 'header') continue;
      expect(hl.update.get(`${col}:${u.level}`)).toBe(u.level);
      // Below the new node's height their link now goes to it.
      if (u.level < ins.level) {
        expect(hl.changedLinks.has(`${col}:${u.level}`)).toBe(true);
        const link = layout.links.find((l) => l.from === col && l.level === u.level)!;
        expect(link.to).toBe(target);
      }
    }
    // Path points are on visited boxes (steps inside a collapsed range share its column).
    expect(hl.visited.size).toBeGreaterThan(0);
    expect(hl.visited.size).toBeLessThanOrEqual(hl.path.length);
    expect(hl.path.length).toBe(ins.path.length);
  });

  it('ZRANK: the span sums of the path are the rank; a stale step (the member moved since) is not drawn', () => {
    const { h, sink } = setup(300);
    h.raw('ZRANK', 'z', 'm0200');
    const search = sink.take().events.find((e) => e.kind === 'zslSearch') as ZslSearchTraceEvent;
    const spans = spanSums(search.path);
    expect(spans.reduce((a, b) => a + b, 0)).toBe(201);
    const s = snap(h, 'z', { limit: 300 });
    const layout = layoutSkiplist(s, geometryFor(256));
    const hl = highlightFor(layout, s, { type: 'search', event: search });
    expect(layout.columns[hl.target!].node!.member).toBe('m0200');
    expect(hl.rank).toBe(201);
    // After a member before it goes, the ranks of the path no longer name the same members.
    h.raw('ZREM', 'z', 'm0000');
    const s2 = snap(h, 'z', { limit: 300 });
    const hl2 = highlightFor(layoutSkiplist(s2, geometryFor(256)), s2, { type: 'search', event: search });
    expect(hl2.visited.size).toBeLessThan(hl.visited.size);
  });
});

describe('step lists', () => {
  it('names the Redis function of each operation and has text for every step in both languages', () => {
    const { h, sink } = setup(50);
    h.raw('ZADD', 'z', '3', 'x');
    h.raw('ZREM', 'z', 'x');
    h.raw('ZRANK', 'z', 'm0010');
    h.raw('ZRANGE', 'z', '100', '200', 'BYSCORE');
    h.raw('ZRANGE', 'z', '(m0010', '+', 'BYLEX');
    h.raw('ZREVRANGE', 'z', '3', '4');
    h.raw('ZREMRANGEBYSCORE', 'z', '0', '15');
    const fns = sink.take().events.flatMap((e): string[] => {
      switch (e.kind) {
        case 'zslInsert': return [opSteps({ type: 'insert', event: e, removed: null }).fn];
        case 'zslDelete': return [opSteps({ type: 'delete', event: e, count: 1 }).fn];
        case 'zslSearch': return [opSteps({ type: 'search', event: e }).fn];
        default: return [];
      }
    });
    expect(fns).toEqual([
      'zslInsert', 'zslDelete', 'zslGetRank', 'zslFirstInRange', 'zslFirstInLexRange', 'zslGetElementByRank',
      'zslDeleteRangeByScore', 'zslDeleteRangeByScore',
    ]);
    expect(opSteps({ type: 'lookup' }).fn).toBe('dictFind');
    for (const lang of ['en', 'zh'] as const) {
      for (const [list, n] of Object.entries(STEP_COUNTS)) {
        const texts = (messages[lang].steps as unknown as Record<string, Record<string, string>>)[list];
        expect(Object.keys(texts)).toEqual(Array.from({ length: n }, (_, i) => `s${i + 1}`));
        for (const text of Object.values(texts)) expect(text.length).toBeGreaterThan(10);
      }
    }
  });
});

// --- the watcher ----------------------------------------------------------------------------------

/** The engine as the panel sees it, over a harness: queries answered from the server, events fed by the test. */
class FakeEngine implements SkiplistEngine {
  queries: SkiplistQuery[] = [];
  private listeners = new Set<(b: EventBatch) => void>();
  constructor(readonly h: EngineHarness, readonly sink: TraceRecorder) {}
  async query(q: SkiplistQuery): Promise<SkiplistResult> {
    this.queries.push(q);
    const r = runSnapshotQuery(this.h.server, q);
    if (r.kind === 'error') throw new Error(r.message);
    return r as SkiplistResult;
  }
  onEvents(fn: (b: EventBatch) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  /** Runs a command and delivers what it traced as one batch. */
  run(...argv: string[]): void {
    this.h.raw(...argv);
    const { events, dropped } = this.sink.take();
    for (const fn of this.listeners) fn({ events, dropped, resync: false });
  }
}

const instantClock: WatcherClock = { now: () => 0, setTimeout: (fn) => { fn(); return 0; }, clearTimeout: () => {} };
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the watcher', () => {
  it('reads the focused key, follows each operation on it to its rank, ignores other keys, stays where the learner scrolled', async () => {
    const { h, sink } = setup(2000);
    const engine = new FakeEngine(h, sink);
    const w = new SkiplistWatcher(engine, instantClock);
    w.start();
    w.show({ db: 0, key: 'z' });
    await settle();
    expect(w.view.result?.encoding).toBe('skiplist');
    expect((w.view.result as SkiplistSnapshot).window).toEqual({ first: 1, last: 64 });

    engine.run('ZADD', 'z', '15005', 'late');
    await settle();
    const latest = w.view.latest!;
    expect(latest.op.type).toBe('insert');
    expect(latest.command).toBe('zadd');
    expect(w.view.windowRank).toBe(1502);
    const s = w.view.result as SkiplistSnapshot;
    expect(s.nodes.some((n) => n.member === 'late')).toBe(true);
    expect(engine.queries.at(-1)!.focusRank).toBe(1502);

    // Another key: nothing happens.
    const asked = engine.queries.length;
    engine.run('ZADD', 'other', '1', 'x');
    await settle();
    expect(engine.queries.length).toBe(asked);
    expect(w.view.latest!.seq).toBe(latest.seq);

    // The learner scrolls: the window stays until the next operation on the key.
    w.scrollTo(10);
    await settle();
    expect(w.view.following).toBe(false);
    expect((w.view.result as SkiplistSnapshot).window.first).toBe(1);
    engine.run('ZRANK', 'z', 'm1000');
    await settle();
    expect(w.view.following).toBe(true);
    expect(w.view.latest!.op.type).toBe('search');
    expect(w.view.windowRank).toBe(1001);

    // ZSCORE: a dict lookup, named as such.
    engine.run('ZSCORE', 'z', 'm1000');
    await settle();
    expect(w.view.latest!.op).toEqual({ type: 'lookup' });
    expect(w.view.latest!.command).toBe('zscore');
    w.stop();
  });

  it('a conversion comes with the insert that caused it; a listpack and a missing key are answered as such', async () => {
    const h = new EngineHarness();
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('CONFIG', 'SET', 'zset-max-listpack-entries', '3');
    const engine = new FakeEngine(h, sink);
    const w = new SkiplistWatcher(engine, instantClock);
    w.start();
    w.show({ db: 0, key: 'z' });
    await settle();
    expect(w.view.error).toBe('NOKEY no such key');
    engine.run('ZADD', 'z', '1', 'a', '2', 'b');
    await settle();
    expect(w.view.result?.encoding).toBe('listpack');
    expect(w.view.latest).toBeNull();
    engine.run('ZADD', 'z', '3', 'c', '4', 'd');
    await settle();
    expect(w.view.result?.encoding).toBe('skiplist');
    expect(w.view.latest!.convert).toMatchObject({ kind: 'encoding', fn: 'zsetConvert', elements: 3, limit: 3, reason: 'entries' });
    expect(w.view.latest!.op).toMatchObject({ type: 'insert', event: { member: 'd', rank: 4 } });
    expect(w.view.latest!.batchOps).toBe(1);
    w.stop();
  });
});

// The diagram is a .tsx module: tests are type-checked without JSX (tsconfig.node.json), so it is
// imported by a path the compiler does not follow; vitest compiles it as the app's build does.
const DIAGRAM_MODULE = '../../../src/ui/panels/skiplist/Diagram.tsx';

describe('the diagram markup', () => {
  it('draws a node per rank with as many level boxes as its level, the path, and the header as tall as the list', async () => {
    const { Diagram } = (await import(DIAGRAM_MODULE)) as { Diagram: ComponentType<Record<string, unknown>> };
    const { h, sink } = setup(40, 9);
    h.raw('ZRANK', 'z', 'm0030');
    const search = sink.take().events.find((e) => e.kind === 'zslSearch') as ZslSearchTraceEvent;
    const s = snap(h, 'z', { limit: 64 });
    const html = renderToStaticMarkup(createElement(Diagram, {
      snapshot: s, geometry: geometryFor(64), op: { type: 'search', event: search }, seq: 1, reducedMotion: true,
    }));
    const nodes = [...html.matchAll(/<g class="zsl-col zsl-node[^"]*" data-testid="skiplist-node" data-rank="(\d+)" data-level="(\d+)"[^>]*>(.*?)<\/g>/g)];
    expect(nodes).toHaveLength(40);
    nodes.forEach((m, k) => {
      expect(Number(m[1])).toBe(k + 1);
      expect(Number(m[2])).toBe(s.nodes[k].level);
      expect(m[3].match(/data-level-box=/g)!.length).toBe(s.nodes[k].level);
    });
    expect(html).toContain(`data-testid="skiplist-header" data-level="${s.level}"`);
    expect(html).toMatch(/data-testid="skiplist-path-line" data-points="\d+"/);
    expect(html).toMatch(/class="zsl-col zsl-node zsl-target" data-testid="skiplist-node" data-rank="31"/);
  });
});

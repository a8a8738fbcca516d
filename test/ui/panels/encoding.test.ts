// The encoding panel's logic without a page, fed by a real engine: drawing layouts account for every
// listed entry / cell / node and wrap inside the row width; the step list follows what the trace
// events and snapshots say the last command did; conversions are picked out for the focused key.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import { encodingSnapshot, type EncodingSnapshot, type IntsetDetail, type ListpackDetail, type QuicklistDetail, type StringDetail } from '../../../src/engine/trace/encoding.ts';
import type { TraceEvent } from '../../../src/engine/trace/events.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import {
  concernsKey, conversionsOf, entryRole, fillFraction, layoutIntset, layoutListpack, layoutQuicklist, layoutSds, nodeHighlights,
  quicklistEventsOf, ROW_WIDTH, shortValue, stepGroupOf, STEPS, stepsTaken,
} from '../../../src/ui/panels/encoding/model.ts';
import { encoding as messages } from '../../../src/ui/i18n/messages/encoding.ts';

/** A harness with a recorder; run() returns the events of that command. */
function traced(config: Record<string, string> = {}) {
  const h = new EngineHarness({ config: { 'enable-debug-command': 'yes', ...config } });
  const sink = new TraceRecorder();
  h.server.trace = sink;
  sink.take();
  return {
    h,
    run(...argv: string[]): TraceEvent[] {
      h.raw(...argv);
      return sink.take().events;
    },
    snap(key: string, node = 0): EncodingSnapshot {
      return encodingSnapshot(h.server, { kind: 'encoding', db: 0, key, node });
    },
  };
}

describe('layouts', () => {
  it('a listpack: header, every listed entry, the hidden range, the end byte; rows within the width', () => {
    const { run, snap } = traced({ 'hash-max-listpack-entries': '1000' });
    run('HSET', 'h', ...Array.from({ length: 200 }, (_, i) => [`field-${i}`, String(i * 37)]).flat());
    const s = snap('h');
    const lp = (s.detail as ListpackDetail).listpack;
    const layout = layoutListpack(lp, s.type, 2);
    const kinds = layout.boxes.map((b) => b.kind);
    expect(kinds[0]).toBe('header');
    expect(kinds.at(-1)).toBe('end');
    expect(kinds.filter((k) => k === 'hidden')).toHaveLength(1);
    const entries = layout.boxes.filter((b) => b.kind === 'entry');
    expect(entries.map((b) => b.kind === 'entry' && b.entry.index)).toEqual(lp.entries.map((e) => e.index));
    // The hidden box sits between the head and the tail entries.
    const hiddenAt = kinds.indexOf('hidden');
    const before = layout.boxes[hiddenAt - 1];
    const after = layout.boxes[hiddenAt + 1];
    expect(before.kind === 'entry' && before.entry.index).toBe(lp.hidden!.from - 1);
    expect(after.kind === 'entry' && after.entry.index).toBe(lp.hidden!.from + lp.hidden!.count);
    for (const b of layout.boxes) expect(b.x + b.w).toBeLessThanOrEqual(ROW_WIDTH);
    expect(layout.width).toBeLessThanOrEqual(ROW_WIDTH);
    // Fields and values alternate.
    expect(entries.slice(0, 4).map((b) => b.kind === 'entry' && b.role)).toEqual(['field', 'value', 'field', 'value']);
    expect(entryRole('zset', 2, 3)).toBe('score');
    expect(entryRole('list', 1, 3)).toBe('element');
    // No two boxes overlap.
    for (let i = 1; i < layout.boxes.length; i++) {
      const a = layout.boxes[i - 1];
      const b = layout.boxes[i];
      expect(b.y > a.y || b.x >= a.x + a.w).toBe(true);
    }
  });

  it('an intset: cells as wide as the element width', () => {
    const { run, snap } = traced();
    run('SADD', 's', '1', '2', '3');
    const narrow = layoutIntset(snap('s').detail as IntsetDetail);
    run('SADD', 's', '5000000000');
    const wide = layoutIntset(snap('s').detail as IntsetDetail);
    const cellW = (l: typeof narrow) => l.boxes.find((b) => b.kind === 'value')!.w;
    expect(cellW(wide)).toBeGreaterThan(cellW(narrow));
    expect(wide.boxes.filter((b) => b.kind === 'value').map((b) => b.kind === 'value' && b.value)).toEqual(['1', '2', '3', '5000000000']);
  });

  it('a quicklist: a box per listed node plus the hidden range', () => {
    const { run, snap } = traced({ 'list-max-listpack-size': '2' });
    run('RPUSH', 'l', ...Array.from({ length: 300 }, (_, i) => String(i)));
    const q = snap('l').detail as QuicklistDetail;
    expect(q.nodeCount).toBe(150);
    const layout = layoutQuicklist(q);
    expect(layout.boxes.filter((b) => b.kind === 'node')).toHaveLength(q.nodes.length);
    expect(layout.boxes.filter((b) => b.kind === 'hidden')).toHaveLength(1);
    for (const b of layout.boxes) expect(b.x + b.w).toBeLessThanOrEqual(ROW_WIDTH);
  });

  it('a string: embstr is one block with the robj inside, raw points to a separate block, int has none', () => {
    const { run, snap } = traced();
    run('SET', 'k', 'hello');
    let l = layoutSds(snap('k').detail as StringDetail);
    expect(l.block.map((s) => [s.part, s.bytes])).toEqual([['robj', 16], ['hdr', 3], ['buf', 5], ['nul', 1], ['slack', 7]]);
    expect(l.blockBytes).toBe(32);
    run('SET', 'k', 'abc');
    run('APPEND', 'k', 'defg');
    l = layoutSds(snap('k').detail as StringDetail);
    expect(l.block.map((s) => [s.part, s.bytes])).toEqual([['hdr', 3], ['buf', 7], ['avail', 21], ['nul', 1]]);
    expect(l.blockBytes).toBe(32);
    run('SET', 'k', '42');
    l = layoutSds(snap('k').detail as StringDetail);
    expect(l.block).toEqual([]);
    // Segments never overlap, and a big value still fits the row.
    run('SET', 'big', 'x'.repeat(5000));
    l = layoutSds(snap('big').detail as StringDetail);
    for (let i = 1; i < l.block.length; i++) expect(l.block[i].x).toBeCloseTo(l.block[i - 1].x + l.block[i - 1].w);
    expect(l.block.at(-1)!.x + l.block.at(-1)!.w).toBeLessThanOrEqual(ROW_WIDTH + 1e-9);
  });
});

describe('steps', () => {
  it('hash: a write walks check, find, write, count; the 129th field ends in hashTypeConvert', () => {
    const { run, snap } = traced({ 'hash-max-listpack-entries': '2' });
    let events = run('HSET', 'h', 'a', '1');
    let s = snap('h');
    expect(stepsTaken(null, s, events)).toEqual({ group: 'hash', steps: ['check', 'find', 'write', 'count'] });
    events = run('HGET', 'h', 'a');
    expect(stepsTaken(s, snap('h'), events)).toEqual({ group: 'hash', steps: ['find'] });
    run('HSET', 'h', 'b', '2');
    s = snap('h');
    events = run('HSET', 'h', 'c', '3');
    const after = snap('h');
    expect(after.encoding).toBe('hashtable');
    expect(stepsTaken(s, after, events)).toEqual({ group: 'hash', steps: ['check', 'find', 'write', 'count', 'convert'] });
    expect(stepGroupOf(after)).toBe('converted');
    expect(conversionsOf(events, 0, 'h').map((e) => e.fn)).toEqual(['hashTypeConvert']);
    // Another key's events say nothing about this one.
    events = run('HSET', 'other', 'x', '1');
    expect(stepsTaken(after, snap('h'), events)).toBeNull();
  });

  it('set: an upgrade takes the upgrade step, a non-integer the conversion', () => {
    const { run, snap } = traced();
    let events = run('SADD', 's', '1');
    expect(stepsTaken(null, snap('s'), events)?.steps).toEqual(['parse', 'search', 'insert', 'count']);
    events = run('SADD', 's', '70000');
    expect(stepsTaken(null, snap('s'), events)?.steps).toEqual(['parse', 'upgrade', 'count']);
    events = run('SADD', 's', 'x');
    expect(stepsTaken(null, snap('s'), events)).toEqual({ group: 'set', steps: ['parse', 'convert'] });
  });

  it('list: a new node, a push into the tail node, compression', () => {
    const { run, snap } = traced({ 'list-max-listpack-size': '2', 'list-compress-depth': '1' });
    let events = run('RPUSH', 'l', 'a');
    let prev = snap('l');
    expect(stepsTaken(null, prev, events)?.steps).toEqual(['allow', 'newNode']);
    events = run('RPUSH', 'l', 'b');
    let next = snap('l');
    expect(stepsTaken(prev, next, events)?.steps).toEqual(['allow', 'push']);
    prev = next;
    events = run('RPUSH', 'l', ...Array.from({ length: 10 }, (_, i) => `element-number-${i}-${'z'.repeat(40)}`));
    next = snap('l');
    expect(stepsTaken(prev, next, events)?.steps).toEqual(['allow', 'newNode', 'compress']);
  });

  it('list: LINSERT into a full node splits and merges; LINDEX inside a compressed node decompresses it for use; pops delete nodes', () => {
    const { run, snap } = traced({ 'list-max-listpack-size': '4', 'list-compress-depth': '1' });
    run('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    let prev = snap('l');
    // [a b c d] [e f g h]: inside the full head node -> split into [a b] [X c d].
    let events = run('LINSERT', 'l', 'AFTER', 'b', 'X');
    let next = snap('l');
    expect(stepsTaken(prev, next, events)).toEqual({ group: 'list', steps: ['allow', 'split'] });
    expect([...nodeHighlights(quicklistEventsOf(events, 0, 'l')).values()].map((m) => m.mark)).toEqual(['split', 'split']);
    // Pad the elements so the interior node compresses, then split it again: merge back.
    prev = next;
    events = run('RPUSH', 'l', ...Array.from({ length: 8 }, (_, i) => `padded-${i % 2}-${'p'.repeat(40)}`));
    next = snap('l');
    expect(stepsTaken(prev, next, events)?.steps).toEqual(['allow', 'newNode', 'compress']);
    let compressed = next.detail as QuicklistDetail;
    let inner = compressed.nodes.find((n) => n.compressed)!;
    expect(inner).toBeTruthy();
    // Created by this command and then compressed: the structural mark stays.
    expect(nodeHighlights(quicklistEventsOf(events, 0, 'l')).get(inner.id)).toEqual({ mark: 'create', fn: 'quicklistCreateNode' });
    expect(quicklistEventsOf(events, 0, 'l').some((e) => e.op === 'compress' && e.node.id === inner.id && e.caller === '__quicklistCompress')).toBe(true);
    // The next node pushed makes the old tail interior: compressed and marked so.
    const oldTail = compressed.nodes.at(-1)!;
    events = run('RPUSH', 'l', ...Array.from({ length: 4 }, (_, i) => `padded-${i % 2}-${'p'.repeat(40)}`));
    next = snap('l');
    expect(nodeHighlights(quicklistEventsOf(events, 0, 'l')).get(oldTail.id)).toEqual({ mark: 'compress', fn: '__quicklistCompress' });
    compressed = next.detail as QuicklistDetail;
    inner = compressed.nodes.find((n) => n.id === oldTail.id)!;
    expect(inner.compressed).toBe(true);
    // A read inside the compressed node: decompressed for use, compressed again.
    const at = compressed.nodes.slice(0, compressed.nodes.indexOf(inner)).reduce((n, x) => n + x.count, 0);
    events = run('LINDEX', 'l', String(at));
    expect(stepsTaken(next, snap('l'), events)?.steps).toEqual(['use']);
    expect(nodeHighlights(quicklistEventsOf(events, 0, 'l')).get(inner.id)).toEqual({ mark: 'use', fn: 'quicklistDecompressNodeForUse' });
    // Popping a whole node away.
    prev = snap('l');
    events = run('LPOP', 'l', '2');
    expect(stepsTaken(prev, snap('l'), events)?.steps).toEqual(['delete']);
    // A read that touches no node: no steps.
    events = run('LLEN', 'l');
    expect(stepsTaken(prev, snap('l'), events)).toBeNull();
  });

  it('DEBUG RELOAD: the key\'s conversion is picked out (rdbLoadObject), no command steps are claimed', () => {
    const { run, snap } = traced();
    run('HSET', 'h', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, 'v']).flat());
    run('HDEL', 'h', ...Array.from({ length: 599 }, (_, i) => `f${i}`));
    const before = snap('h');
    expect(before.encoding).toBe('hashtable');
    const events = run('DEBUG', 'RELOAD');
    const after = snap('h');
    expect(after.encoding).toBe('listpack');
    expect(events.filter((e) => concernsKey(e, 0, 'h')).map((e) => e.kind)).toEqual(['encoding']);
    expect(conversionsOf(events, 0, 'h')).toMatchObject([{ fn: 'rdbLoadObject', from: 'hashtable', to: 'listpack', reason: 'load' }]);
    expect(stepsTaken(before, after, events)).toBeNull();
    expect(messages.en.conversion.reasons.load).toContain('loaded');
  });

  it('node highlights: a merge marks the node kept, structure wins over compression, deleted nodes have none', () => {
    const { run } = traced({ 'list-max-listpack-size': '4' });
    run('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    run('LINSERT', 'l', 'AFTER', 'b', 'X'); // [a b] [X c d] [e f g h]
    for (const v of ['c', 'd', 'e', 'f', 'g']) run('LREM', 'l', '0', v); // [a b] [X] [h]
    run('LINSERT', 'l', 'AFTER', 'a', 'Y');
    run('LINSERT', 'l', 'AFTER', 'a', 'Z'); // [a Z Y b] [X] [h]
    const events = quicklistEventsOf(run('LINSERT', 'l', 'AFTER', 'Z', 'W'), 0, 'l');
    expect(events.map((e) => e.op)).toEqual(['split', 'merge']);
    const merge = events[1] as Extract<typeof events[number], { op: 'merge' }>;
    const marks = nodeHighlights(events);
    expect(marks.get(merge.kept.id)).toEqual({ mark: 'merge', fn: '_quicklistMergeNodes' });
    expect(marks.has(merge.droppedId)).toBe(false);
    expect([...marks.values()].map((m) => m.mark).sort()).toEqual(['merge', 'split']);
    expect(concernsKey(events[0], 0, 'l')).toBe(true);
    expect(concernsKey(events[0], 0, 'other')).toBe(false);
  });

  it('string: SET picks the encoding; APPEND unshares then grows', () => {
    const { run, snap } = traced();
    let events = run('SET', 'k', '123');
    expect(stepsTaken(null, snap('k'), events)?.steps).toEqual(['decide', 'int']);
    events = run('SET', 'k', 'x'.repeat(50));
    expect(stepsTaken(null, snap('k'), events)?.steps).toEqual(['decide', 'raw']);
    events = run('SET', 'k', 'hi');
    expect(stepsTaken(null, snap('k'), events)?.steps).toEqual(['decide', 'embstr']);
    events = run('APPEND', 'k', '!');
    expect(stepsTaken(null, snap('k'), events)?.steps).toEqual(['unshare', 'grow']);
    events = run('APPEND', 'k', '!');
    expect(stepsTaken(null, snap('k'), events)?.steps).toEqual(['grow']);
  });

  it('every step has its text in both languages', () => {
    for (const [group, steps] of Object.entries(STEPS)) {
      for (const s of steps) {
        const en = (messages.en.steps as Record<string, Record<string, string>>)[group][s.id];
        const zh = (messages.zh.steps as Record<string, Record<string, string>>)[group][s.id];
        expect(en, `${group}.${s.id}`).toBeTruthy();
        expect(zh, `${group}.${s.id}`).toBeTruthy();
      }
    }
  });
});

describe('helpers', () => {
  it('events concern a key by db and name; gauges clamp', () => {
    const { run } = traced();
    const events = run('SET', 'k', 'v');
    expect(events.filter((e) => concernsKey(e, 0, 'k')).map((e) => e.kind === 'keyspace' ? e.event : e.kind)).toEqual(['new', 'set', 'command']);
    expect(events.filter((e) => concernsKey(e, 1, 'k'))).toEqual([]);
    expect(fillFraction(64, 128)).toBe(0.5);
    expect(fillFraction(300, 128)).toBe(1);
    expect(fillFraction(null, 128)).toBe(0);
    expect(fillFraction(1, 0)).toBe(1);
    expect(shortValue('hello world', 6)).toBe('"hell…');
    expect(shortValue('abc', 6)).toBe('abc');
  });
});

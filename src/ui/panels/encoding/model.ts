// The encoding panel's logic without a page: where each box of a listpack, intset, quicklist or SDS
// drawing goes, which step list explains the key's encoding, which steps a command went through
// (from the trace events and the snapshots before and after), and the conversion to highlight.
//
// Drawings are laid out in character units (1 unit = CHAR_EM em, about one monospace character),
// so an SVG sized in em grows with the page's text size (projector mode) and its text stays legible.
import type {
  EncodingSnapshot, IntsetDetail, ListpackView, LpEntryView, QuicklistDetail, QuicklistNodeInfo, StringDetail,
} from '../../../engine/trace/encoding.ts';
import type { EncodingTraceEvent, TraceEvent } from '../../../engine/trace/events.ts';
import type { QuicklistTraceEvent } from '../../../engine/trace/quicklistTrace.ts';
import { displayKey } from '../../state/keyspace.ts';

/** One layout unit in em: the SVG's width is `width * CHAR_EM` em. */
export const CHAR_EM = 0.6;
/** Text size inside the drawings, in layout units (0.9 em). */
export const FONT_UNITS = 1.5;
/** Height of one line of text, in layout units. */
export const LINE = 2.2;
/** Rows wrap at this width (layout units). */
export const ROW_WIDTH = 96;
const GAP = 1;

/** A value as the drawings quote it: printable ASCII as is, else redis-cli's quoting; cut to `max` characters. */
export function shortValue(value: string, max: number): string {
  const shown = displayKey(value);
  return shown.length > max ? `${shown.slice(0, Math.max(1, max - 1))}…` : shown;
}

interface Placed { x: number; y: number; w: number; h: number }

/** Places boxes of the given widths left to right, wrapping rows at ROW_WIDTH. */
function flow<T extends { w: number }>(items: T[], rowHeight: number, top = 0): { placed: (T & Placed)[]; width: number; height: number } {
  const placed: (T & Placed)[] = [];
  let x = 0;
  let y = top;
  let width = 0;
  for (const item of items) {
    if (x > 0 && x + item.w > ROW_WIDTH) { x = 0; y += rowHeight; }
    placed.push({ ...item, x, y, h: rowHeight - GAP * 1.5 });
    x += item.w + GAP;
    width = Math.max(width, x - GAP);
  }
  return { placed, width, height: items.length === 0 ? 0 : y - top + rowHeight };
}

// --- listpack ------------------------------------------------------------------------------------

/** Short labels for listpack.c's encodings. */
export const LP_SHORT: Record<LpEntryView['encoding'], string> = {
  LP_ENCODING_7BIT_UINT: 'uint7',
  LP_ENCODING_13BIT_INT: 'int13',
  LP_ENCODING_16BIT_INT: 'int16',
  LP_ENCODING_24BIT_INT: 'int24',
  LP_ENCODING_32BIT_INT: 'int32',
  LP_ENCODING_64BIT_INT: 'int64',
  LP_ENCODING_6BIT_STR: 'str6',
  LP_ENCODING_12BIT_STR: 'str12',
  LP_ENCODING_32BIT_STR: 'str32',
};

/** Which element an entry is part of: a hash's field or value, a zset's member or score, a list element. */
export type EntryRole = 'field' | 'value' | 'member' | 'score' | 'element';

export function entryRole(type: string | null, stride: number, index: number): EntryRole {
  if (stride !== 2) return 'element';
  if (type === 'zset') return index % 2 === 0 ? 'member' : 'score';
  return index % 2 === 0 ? 'field' : 'value';
}

export type LpBox =
  | ({ kind: 'header'; totalBytes: number; countField: number } & Placed)
  | ({ kind: 'entry'; entry: LpEntryView; role: EntryRole; encW: number; dataW: number; backW: number } & Placed)
  | ({ kind: 'hidden'; count: number; bytes: number } & Placed)
  | ({ kind: 'end' } & Placed);

export interface LpLayout { boxes: LpBox[]; width: number; height: number }

/** Row height of a listpack drawing: a label line above each box, two lines inside. */
export const LP_ROW = LINE * 3 + GAP * 1.5;
const SEG_ENC = 6;
const SEG_BACK = 3;

export function layoutListpack(lp: ListpackView, type: string | null, stride: number): LpLayout {
  type Item = { w: number } & ({ kind: 'header'; totalBytes: number; countField: number } | { kind: 'entry'; entry: LpEntryView; role: EntryRole; encW: number; dataW: number; backW: number } | { kind: 'hidden'; count: number; bytes: number } | { kind: 'end' });
  const items: Item[] = [{ kind: 'header', w: 16, totalBytes: lp.totalBytes, countField: lp.countField }];
  const push = (e: LpEntryView) => {
    // The data segment is as wide as its text (value and byte count), within limits; a 7-bit uint has none.
    const dataW = e.dataBytes === 0 ? 0 : Math.min(16, Math.max(5, Math.min(e.value.length, 14) + 2, String(e.dataBytes).length + 3));
    const encW = e.dataBytes === 0 ? Math.max(SEG_ENC, Math.min(e.value.length, 8) + 2) : SEG_ENC;
    items.push({ kind: 'entry', entry: e, role: entryRole(type, stride, e.index), encW, dataW, backW: SEG_BACK, w: encW + dataW + SEG_BACK });
  };
  const hidden = lp.hidden;
  for (const e of lp.entries) {
    if (hidden && e.index === hidden.from + hidden.count) items.push({ kind: 'hidden', w: 18, count: hidden.count, bytes: hidden.bytes });
    push(e);
  }
  if (hidden && hidden.from + hidden.count === lp.count) items.push({ kind: 'hidden', w: 18, count: hidden.count, bytes: hidden.bytes });
  items.push({ kind: 'end', w: 6 });
  const { placed, width, height } = flow(items, LP_ROW);
  return { boxes: placed as LpBox[], width, height };
}

// --- intset --------------------------------------------------------------------------------------

export type IntsetBox =
  | ({ kind: 'header' } & Placed)
  | ({ kind: 'value'; index: number; value: string } & Placed)
  | ({ kind: 'hidden'; count: number; bytes: number } & Placed);

/** A cell's width follows the element width: 2, 4 or 8 bytes. */
export const INTSET_CELL: Record<2 | 4 | 8, number> = { 2: 8, 4: 13, 8: 22 };
export const INTSET_ROW = LINE * 3 + GAP * 1.5;

export function layoutIntset(d: IntsetDetail): { boxes: IntsetBox[]; width: number; height: number } {
  type Item = { w: number } & ({ kind: 'header' } | { kind: 'value'; index: number; value: string } | { kind: 'hidden'; count: number; bytes: number });
  const items: Item[] = [{ kind: 'header', w: 18 }];
  const cell = INTSET_CELL[d.width];
  for (const v of d.values) {
    if (d.hidden && v.index === d.hidden.from + d.hidden.count) items.push({ kind: 'hidden', w: 18, count: d.hidden.count, bytes: d.hidden.bytes });
    items.push({ kind: 'value', w: cell, index: v.index, value: v.value });
  }
  const { placed, width, height } = flow(items, INTSET_ROW);
  return { boxes: placed as IntsetBox[], width, height };
}

// --- quicklist -----------------------------------------------------------------------------------

export type QuicklistBox =
  | ({ kind: 'node'; node: QuicklistNodeInfo } & Placed)
  | ({ kind: 'hidden'; count: number; bytes: number } & Placed);

export const QL_NODE_W = 22;
/** A node row: a line for the function that just changed the node, then the node's four lines. */
export const QL_ROW = LINE * 5 + GAP * 2;
/** Where a node's box starts below its row's top (the function line is above it). */
export const QL_BOX_TOP = LINE;

export function layoutQuicklist(q: QuicklistDetail): { boxes: QuicklistBox[]; width: number; height: number } {
  type Item = { w: number } & ({ kind: 'node'; node: QuicklistNodeInfo } | { kind: 'hidden'; count: number; bytes: number });
  const items: Item[] = [];
  for (const n of q.nodes) {
    if (q.hidden && n.index === q.hidden.from + q.hidden.count) items.push({ kind: 'hidden', w: QL_NODE_W, count: q.hidden.count, bytes: q.hidden.bytes });
    items.push({ kind: 'node', w: QL_NODE_W, node: n });
  }
  // Room for the link arrows between nodes.
  const spaced = items.map((i) => ({ ...i, w: i.w + 2 }));
  const { placed, width, height } = flow(spaced, QL_ROW);
  return { boxes: placed.map((b) => ({ ...b, w: b.w - 2 })) as QuicklistBox[], width, height };
}

// --- strings -------------------------------------------------------------------------------------

export interface SdsSegment {
  part: 'robj' | 'hdr' | 'buf' | 'avail' | 'nul' | 'slack';
  bytes: number;
  x: number;
  w: number;
}

/**
 * The allocation(s) of a string value as segments with widths roughly proportional to bytes
 * (each at least a few units so its label fits): embstr = one block (robj, sds header, buffer,
 * NUL, the allocator's slack); raw = the robj, then the sds block (header, buffer, free space,
 * NUL, slack); int = the robj alone.
 */
export function layoutSds(d: StringDetail): { robj: SdsSegment; block: SdsSegment[]; blockBytes: number } {
  const MIN = 5;
  const robj: SdsSegment = { part: 'robj', bytes: d.robjBytes, x: 0, w: 12 };
  if (!d.sds) return { robj, block: [], blockBytes: 0 };
  const s = d.sds;
  const parts: { part: SdsSegment['part']; bytes: number }[] = [];
  if (d.encoding === 'embstr') parts.push({ part: 'robj', bytes: d.robjBytes });
  parts.push({ part: 'hdr', bytes: s.headerBytes }, { part: 'buf', bytes: s.len });
  if (s.avail > 0) parts.push({ part: 'avail', bytes: s.avail });
  parts.push({ part: 'nul', bytes: 1 });
  const used = parts.reduce((n, p) => n + p.bytes, 0);
  const blockBytes = d.encoding === 'embstr' ? (d.embstrBlock ?? used) : s.zmalloc;
  if (blockBytes > used) parts.push({ part: 'slack', bytes: blockBytes - used });
  const room = d.encoding === 'embstr' ? ROW_WIDTH : ROW_WIDTH - 16;
  const scale = Math.min(1, room / blockBytes);
  const block: SdsSegment[] = [];
  let x = d.encoding === 'embstr' ? 0 : 16;
  for (const p of parts) {
    const w = Math.max(MIN, Math.min(room * 0.6, p.bytes * scale));
    block.push({ part: p.part, bytes: p.bytes, x, w });
    x += w;
  }
  return { robj, block, blockBytes };
}

// --- steps ---------------------------------------------------------------------------------------

/** A step list: which Redis function each step is, in order. Texts: encoding.steps.<group>.<id>. */
export type StepGroup = 'hash' | 'set' | 'zset' | 'list' | 'string' | 'converted';

export interface StepDef { id: string; fn: string }

export const STEPS: Record<StepGroup, StepDef[]> = {
  hash: [
    { id: 'check', fn: 'hashTypeTryConversion' },
    { id: 'find', fn: 'lpFind' },
    { id: 'write', fn: 'lpReplace / lpAppend' },
    { id: 'count', fn: 'hashTypeSet' },
    { id: 'convert', fn: 'hashTypeConvert' },
  ],
  set: [
    { id: 'parse', fn: 'string2ll' },
    { id: 'search', fn: 'intsetSearch' },
    { id: 'upgrade', fn: 'intsetUpgradeAndAdd' },
    { id: 'insert', fn: 'intsetAdd' },
    { id: 'count', fn: 'setTypeAdd' },
    { id: 'convert', fn: 'setTypeConvert' },
  ],
  zset: [
    { id: 'check', fn: 'zsetAdd' },
    { id: 'find', fn: 'zzlFind' },
    { id: 'insert', fn: 'zzlInsert' },
    { id: 'convert', fn: 'zsetConvert' },
  ],
  list: [
    { id: 'allow', fn: '_quicklistNodeAllowInsert' },
    { id: 'push', fn: 'quicklistPushHead / quicklistPushTail' },
    { id: 'newNode', fn: 'quicklistCreateNode' },
    { id: 'plain', fn: '__quicklistInsertPlainNode' },
    { id: 'split', fn: '_quicklistSplitNode' },
    { id: 'merge', fn: '_quicklistMergeNodes' },
    { id: 'delete', fn: '__quicklistDelNode' },
    { id: 'use', fn: 'quicklistDecompressNodeForUse' },
    { id: 'compress', fn: '__quicklistCompress' },
  ],
  string: [
    { id: 'decide', fn: 'tryObjectEncoding' },
    { id: 'int', fn: 'createStringObjectFromLongLong' },
    { id: 'embstr', fn: 'createEmbeddedStringObject' },
    { id: 'raw', fn: 'createRawStringObject' },
    { id: 'unshare', fn: 'dbUnshareStringValue' },
    { id: 'grow', fn: 'sdsMakeRoomFor' },
  ],
  // A hashtable or skiplist value: its own panel explains it; this says how it got there.
  converted: [
    { id: 'limits', fn: 'hashTypeConvert / setTypeConvert / zsetConvert' },
    { id: 'elsewhere', fn: 'dictAdd / zslInsert' },
  ],
};

export function stepGroupOf(s: EncodingSnapshot | null): StepGroup | null {
  if (!s || !s.exists || !s.detail) return null;
  switch (s.detail.form) {
    case 'listpack': return s.type === 'zset' ? 'zset' : 'hash';
    case 'intset': return 'set';
    case 'quicklist': return 'list';
    case 'string': return 'string';
    case 'summary': return 'converted';
  }
}

/** Whether an event concerns the key (db, key): its keyspace, encoding and quicklist events, commands naming it. */
export function concernsKey(e: TraceEvent, db: number, key: string): boolean {
  if (e.kind === 'keyspace' || e.kind === 'encoding' || e.kind === 'quicklistNode' || e.kind === 'quicklistCompress') {
    return e.db === db && e.key === key;
  }
  if (e.kind === 'command') return e.db === db && e.keys.includes(key);
  return false;
}

/** The encoding events of the key, oldest first. */
export function conversionsOf(events: readonly TraceEvent[], db: number, key: string): EncodingTraceEvent[] {
  return events.filter((e): e is EncodingTraceEvent => e.kind === 'encoding' && e.db === db && e.key === key);
}

/** The quicklist events of the key, oldest first. */
export function quicklistEventsOf(events: readonly TraceEvent[], db: number, key: string): QuicklistTraceEvent[] {
  return events.filter((e): e is QuicklistTraceEvent => (e.kind === 'quicklistNode' || e.kind === 'quicklistCompress') && e.db === db && e.key === key);
}

/** How a node is highlighted after a command: what was done to it last (structure before compression). */
export type NodeMark = 'create' | 'split' | 'merge' | 'move' | 'compress' | 'decompress' | 'use';

export interface NodeHighlight {
  mark: NodeMark;
  /** The Redis function that did it. */
  fn: string;
}

const STRUCTURAL: ReadonlySet<NodeMark> = new Set(['create', 'split', 'merge', 'move']);

/**
 * Which nodes (by id) the events changed and how: a node created, split or merged keeps that mark
 * whatever compression did to it afterwards; a node only decompressed to be read and compressed
 * again is 'use'. Deleted nodes are not drawn, so they get none.
 */
export function nodeHighlights(events: readonly QuicklistTraceEvent[]): Map<number, NodeHighlight> {
  const marks = new Map<number, NodeHighlight>();
  const set = (id: number, mark: NodeMark, fn: string) => {
    const had = marks.get(id);
    if (had && STRUCTURAL.has(had.mark) && !STRUCTURAL.has(mark)) return;
    if (mark === 'compress' && had && (had.mark === 'use' || (had.mark === 'decompress' && had.fn === 'quicklistDecompressNodeForUse'))) {
      marks.set(id, { mark: 'use', fn: 'quicklistDecompressNodeForUse' });
      return;
    }
    marks.set(id, { mark, fn });
  };
  for (const e of events) {
    switch (e.op) {
      case 'create': set(e.node.id, 'create', e.fn); break;
      case 'split': set(e.node.id, 'split', e.fn); set(e.newNode.id, 'split', e.fn); break;
      case 'merge': marks.delete(e.droppedId); marks.delete(e.kept.id); set(e.kept.id, 'merge', e.caller); break;
      case 'delete': marks.delete(e.node.id); break;
      case 'move': set(e.node.id, 'move', e.fn); break;
      case 'compress': set(e.node.id, 'compress', e.caller); break;
      case 'decompress': set(e.node.id, 'decompress', e.caller === '__quicklistCompress' ? '__quicklistCompress' : e.caller); break;
    }
  }
  return marks;
}

/** The list step an event belongs to. */
function listStepOf(e: QuicklistTraceEvent): string {
  switch (e.op) {
    case 'create': return e.node.container === 'plain' ? 'plain' : 'newNode';
    case 'split': return 'split';
    case 'merge': return 'merge';
    case 'delete': return 'delete';
    case 'move': return 'push';
    case 'compress':
    case 'decompress':
      return e.caller === '__quicklistCompress' ? 'compress' : e.caller === '_quicklistListpackMerge' ? 'merge' : 'use';
  }
}

/** Commands that add elements to a list (their first step is the room check). */
const LIST_ADDS = new Set(['lpush', 'rpush', 'lpushx', 'rpushx', 'linsert', 'lmove', 'rpoplpush', 'blmove', 'brpoplpush', 'lset']);

/** Commands that write a string in place (after dbUnshareStringValue), growing its SDS. */
const STRING_IN_PLACE = new Set(['append', 'setrange', 'setbit', 'bitfield', 'pfadd', 'pfmerge', 'pfcount']);

/**
 * The step list and the steps the last command on the key went through, in order (the last one
 * stays highlighted), from the trace events since the previous snapshot and the two snapshots.
 * Null: nothing to show.
 */
export function stepsTaken(
  prev: EncodingSnapshot | null, next: EncodingSnapshot, events: readonly TraceEvent[],
): { group: StepGroup; steps: string[] } | null {
  const { db, key } = next;
  const mine = events.filter((e) => concernsKey(e, db, key));
  if (mine.length === 0) return null;
  // Re-encoded while loaded (DEBUG RELOAD, RESTORE): none of the command steps happened; the
  // conversion banner says what did.
  if (conversionsOf(mine, db, key).some((c) => c.reason === 'load')) return null;
  const converted = conversionsOf(mine, db, key).find((c) => c.reason !== 'width');
  // A conversion is explained by the list of the encoding it left.
  const group = converted && converted.type !== 'string' ? converted.type : stepGroupOf(next);
  if (!group) return null;
  const steps = stepsIn(group, prev, next, mine);
  return steps.length > 0 ? { group, steps } : null;
}

function stepsIn(group: StepGroup, prev: EncodingSnapshot | null, next: EncodingSnapshot, mine: readonly TraceEvent[]): string[] {
  const { db, key } = next;
  const conversions = conversionsOf(mine, db, key);
  const wrote = mine.some((e) => e.kind === 'keyspace');
  const command = [...mine].reverse().find((e) => e.kind === 'command');
  const name = command?.kind === 'command' ? command.name : '';
  const converted = conversions.find((c) => c.reason !== 'width');
  const widened = conversions.some((c) => c.reason === 'width');
  switch (group) {
    case 'hash':
      if (converted) return converted.reason === 'value' ? ['check', 'convert'] : ['check', 'find', 'write', 'count', 'convert'];
      return wrote ? ['check', 'find', 'write', 'count'] : ['find'];
    case 'set':
      if (converted) return converted.reason === 'not-integer' ? ['parse', 'convert'] : ['parse', 'search', ...(widened ? ['upgrade'] : ['insert']), 'count', 'convert'];
      if (widened) return ['parse', 'upgrade', 'count'];
      return wrote ? ['parse', 'search', 'insert', 'count'] : ['parse', 'search'];
    case 'zset':
      if (converted) return ['check', 'convert'];
      return wrote ? ['check', 'find', 'insert'] : ['find'];
    case 'list': {
      if (next.detail?.form !== 'quicklist') return [];
      const nodeEvents = quicklistEventsOf(mine, db, key);
      if (nodeEvents.length > 0) {
        // What the quicklist reported, in order (each step once), after the room check of an add.
        const steps = LIST_ADDS.has(name) ? ['allow'] : [];
        for (const e of nodeEvents) {
          const step = listStepOf(e);
          if (!steps.includes(step)) steps.push(step);
        }
        return steps;
      }
      if (!wrote) return [];
      if (!LIST_ADDS.has(name)) return [];
      const q = next.detail;
      const p = prev?.detail?.form === 'quicklist' && prev.key === key && prev.db === db ? prev.detail : null;
      const steps = ['allow'];
      const plainNow = q.nodes.filter((n) => n.container === 'plain').length;
      const plainBefore = p ? p.nodes.filter((n) => n.container === 'plain').length : 0;
      if (plainNow > plainBefore) steps.push('plain');
      else if (!p || q.nodeCount > p.nodeCount) steps.push('newNode');
      else steps.push('push');
      if (q.compressedNodes > 0 && (!p || p.compressedNodes !== q.compressedNodes)) steps.push('compress');
      return steps;
    }
    case 'string': {
      if (next.detail?.form !== 'string') return [];
      if (conversions.length > 0 || STRING_IN_PLACE.has(name)) return [...(conversions.length > 0 ? ['unshare'] : []), 'grow'];
      return wrote ? ['decide', next.detail.encoding] : [];
    }
    case 'converted':
      return converted ? ['limits', 'elsewhere'] : wrote ? ['elsewhere'] : [];
  }
}

/** How full a threshold is, 0..1 (past the limit: 1). */
export function fillFraction(current: number | null, limit: number): number {
  if (current === null) return 0;
  if (limit <= 0) return current > 0 ? 1 : 0;
  return Math.max(0, Math.min(1, current / limit));
}

// The dict panel's logic without a page: which dict to read, which events concern it, which of
// Redis's steps an event is, what a resize or a rehash step says in words, and the SCAN walk (the
// command, its reply, and the buckets each dictScan call of it visited).
import type { DictSnapshot, DictTarget, ScanVisit } from '../../../engine/trace/dict.ts';
import { scanSteps } from '../../../engine/trace/dict.ts';
import { sameDict, type DictRehashTraceEvent, type DictResizeTraceEvent } from '../../../engine/trace/dictTrace.ts';
import type { TraceEvent } from '../../../engine/trace/events.ts';
import type { FocusedKey } from '../../state/panels.ts';
import type { Reply } from '../../engine/replyReader.ts';

export type DictMode = 'keyspace' | 'expires' | 'key';

export type DictEvent = DictResizeTraceEvent | DictRehashTraceEvent;

/** The dict the panel reads: the chosen db's keyspace or expires, or the focused key (null: none yet). */
export function dictTarget(mode: DictMode, db: number, focus: FocusedKey | null): DictTarget | null {
  if (mode === 'key') return focus ? { kind: 'key', db: focus.db, key: focus.key } : null;
  return { kind: mode, db };
}

export function isDictEvent(e: TraceEvent): e is DictEvent {
  return e.kind === 'dict-resize' || e.kind === 'dict-rehash';
}

/**
 * Whether an event may have changed what the panel shows: the dict's own events, a command (it may
 * have added or removed entries), and keyspace events in its database (active expiry, eviction).
 */
export function relevantTo(target: DictTarget | null): (e: TraceEvent) => boolean {
  return (e) => {
    if (!target) return false;
    if (isDictEvent(e)) return sameDict(e.dict, target);
    if (e.kind === 'command') return true;
    if (e.kind === 'keyspace') return e.db === target.db && (target.kind !== 'key' || e.key === target.key);
    return false;
  };
}

/** The steps of the panel's list, in order. */
export const STEP_IDS = ['expand', 'step', 'cron', 'done', 'shrink', 'scan'] as const;
export type StepId = typeof STEP_IDS[number];

/** Which step an event is. */
export function stepOf(e: DictEvent): StepId {
  if (e.kind === 'dict-resize') return e.reason === 'shrink' || e.reason === 'fit' ? 'shrink' : 'expand';
  if (e.finished) return 'done';
  return e.trigger === 'cron' ? 'cron' : 'step';
}

/** A message key and its values (for t()). */
export interface Phrase {
  key: string;
  values: Record<string, string | number>;
}

const fixed2 = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

/** What the last resize was, and why. */
export function describeResize(e: DictResizeTraceEvent): Phrase[] {
  const lf = e.from > 0 ? fixed2(e.used / e.from) : '0.00';
  const percent = e.from > 0 ? fixed2((e.used * 100) / e.from) : '0.00';
  const out: Phrase[] = [
    { key: `dict.resize.${e.reason}`, values: { from: e.from, to: e.to, used: e.used, asked: e.asked, lf, percent } },
    { key: 'dict.resize.by', values: { fn: e.fn } },
  ];
  if (e.rehash) out.push({ key: 'dict.resize.rehash', values: {} });
  return out;
}

/** One line of the recent steps log. `trigger` and `reason` are message keys to translate first. */
export function describeEvent(e: DictEvent): Phrase[] {
  if (e.kind === 'dict-resize') {
    return [{ key: 'dict.log.resize', values: { fn: e.fn, from: e.from, to: e.to, reason: `dict.log.reasons.${e.reason}` } }];
  }
  const base = { fn: e.fn, trigger: `dict.log.triggers.${e.trigger}`, from: e.from, next: e.next };
  const out: Phrase[] = [];
  if (e.bucketCount === 0) out.push({ key: 'dict.log.skipped', values: { ...base, empty: e.emptyVisited } });
  else if (e.bucketCount === 1) {
    const b = e.buckets[0];
    out.push(b.entries === 0
      ? { key: 'dict.log.oneEmpty', values: { ...base, index: b.index } }
      : { key: 'dict.log.one', values: { ...base, index: b.index, entries: b.entries, to: b.to.join(', ') + (b.entries > b.to.length ? ', …' : '') } });
  } else out.push({ key: 'dict.log.many', values: { ...base, buckets: e.bucketCount, entries: e.moved } });
  if (e.finished) out.push({ key: 'dict.log.finished', values: {} });
  return out;
}

/** The buckets the last rehash events touched: moved out of ht[0], and received in ht[1]. */
export function touchedBuckets(events: readonly DictEvent[]): { moved: Set<number>; received: Set<number> } {
  const moved = new Set<number>();
  const received = new Set<number>();
  for (const e of events) {
    if (e.kind !== 'dict-rehash' || e.finished) continue;
    for (const b of e.buckets) {
      moved.add(b.index);
      for (const t of b.to) received.add(t);
    }
  }
  return { moved, received };
}

// --- the window of buckets shown ------------------------------------------------------------------

/** The first bucket of a window of `window` buckets that shows `index` (a quarter of it above). */
export function windowAround(index: number, size: number, window: number): number {
  return Math.max(0, Math.min(size - Math.min(window, size), index - Math.floor(window / 4)));
}

// --- the SCAN walk --------------------------------------------------------------------------------

/** The command a walk step runs: SCAN over the keyspace, HSCAN/SSCAN/ZSCAN over a key. */
export function scanCommand(target: DictTarget, type: string | null, cursor: string, count: number): string[] | null {
  const tail = [cursor, 'COUNT', String(count)];
  if (target.kind === 'keyspace') return ['SCAN', ...tail];
  if (target.kind === 'expires') return null;
  const cmd = type === 'hash' ? 'HSCAN' : type === 'set' ? 'SSCAN' : type === 'zset' ? 'ZSCAN' : null;
  return cmd ? [cmd, target.key, ...tail] : null;
}

/** A SCAN reply: the next cursor and how many elements came (field/value pairs count once). */
export function parseScanReply(reply: Reply, width: 1 | 2): { next: string; count: number } {
  if (reply.kind === 'error') throw new Error(reply.text);
  if (reply.kind !== 'array' || reply.items.length !== 2) throw new Error('unexpected SCAN reply');
  const [c, items] = reply.items;
  if (c.kind !== 'bulk' || (items.kind !== 'array' && items.kind !== 'set')) throw new Error('unexpected SCAN reply');
  return { next: c.text, count: items.items.length / width };
}

export interface ScanStepRecord {
  from: string;
  next: string;
  count: number;
  /** The buckets each dictScan call visited, on the table sizes the SCAN met. */
  calls: { cursor: number; visits: ScanVisit[] }[];
}

/** The dictScan calls behind one SCAN from `from` to `next`, on the tables of `snap`. */
export function scanCalls(snap: DictSnapshot, from: string, next: string): { cursor: number; visits: ScanVisit[] }[] {
  const t0 = snap.tables[0];
  if (!t0) return [];
  return scanSteps(Number(from) >>> 0, Number(next) >>> 0, t0.size, snap.tables[1]?.size ?? 0, 4096);
}

/** A cursor's low bits as binary, high bit first (what picks a bucket in a table of 2^bits). */
export function cursorBits(cursor: number, bits: number): string {
  if (!(bits > 0)) return '0';
  bits = Math.min(32, Math.trunc(bits));
  return (cursor >>> 0).toString(2).padStart(bits, '0').slice(-bits);
}

/** log2 of a power of two. */
export function log2(size: number): number {
  return Math.round(Math.log2(Math.max(1, size)));
}

/** Visits of the last SCAN, per table: bucket index -> its position in the visiting order (1-based). */
export function visitedBuckets(record: ScanStepRecord | null): [Map<number, number>, Map<number, number>] {
  const maps: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
  if (!record) return maps;
  let n = 0;
  for (const call of record.calls) {
    for (const v of call.visits) if (!maps[v.table].has(v.index)) maps[v.table].set(v.index, ++n);
  }
  return maps;
}

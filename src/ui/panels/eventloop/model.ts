// The event loop panel's story, built from trace events only (no model of Redis here): commands on
// the main thread with their arrival, start and end (µs on the virtual clock, from the engine's
// thread accounting), messages on the network, and jobs of the lazyfree thread. Plus the pure
// helpers that choose the time window, the lanes, and format durations.
import type { CommandTraceEvent, LazyFreeTraceEvent, NetTraceEvent, TraceEvent } from '../../../engine/trace/events.ts';

export interface CommandBar {
  client: number;
  name: string;
  keys: string[];
  arrivalUs: number;
  startUs: number;
  endUs: number;
  durationUs: number;
  nested: boolean;
  failed: boolean;
}

export interface NetArrow {
  dir: NetTraceEvent['dir'];
  client: number;
  /** null: the connection's end. */
  bytes: number | null;
  /** Virtual ms. */
  sentAt: number;
  arriveAt: number;
}

export interface LazyBar {
  startUs: number;
  endUs: number;
  effort: number;
  command: string | null;
  client: number | null;
}

export interface LoopActivity {
  commands: CommandBar[];
  arrows: NetArrow[];
  lazy: LazyBar[];
}

/** What the panel keeps at most (the latest). */
export const MAX_COMMANDS = 2000;
export const MAX_ARROWS = 2000;
export const MAX_LAZY = 100;

export function emptyActivity(): LoopActivity {
  return { commands: [], arrows: [], lazy: [] };
}

/** Whether an event is one the panel draws. */
export function isLoopEvent(e: TraceEvent): e is CommandTraceEvent | NetTraceEvent | LazyFreeTraceEvent {
  return e.kind === 'command' || e.kind === 'net' || e.kind === 'lazyfree';
}

function keepLast<T>(list: T[], max: number): T[] {
  return list.length > max ? list.slice(list.length - max) : list;
}

/** The activity after `events` (a new object when anything was added). */
export function reduceActivity(prev: LoopActivity, events: readonly TraceEvent[]): LoopActivity {
  const commands: CommandBar[] = [];
  const arrows: NetArrow[] = [];
  const lazy: LazyBar[] = [];
  for (const e of events) {
    if (e.kind === 'command') {
      commands.push({
        client: e.client, name: e.name, keys: e.keys, arrivalUs: e.arrivalUs, startUs: e.startUs, endUs: e.endUs,
        durationUs: e.durationUs, nested: e.nested, failed: e.failed,
      });
    } else if (e.kind === 'net' && e.phase === 'send') {
      arrows.push({ dir: e.dir, client: e.client, bytes: e.bytes, sentAt: e.sentAt, arriveAt: e.arriveAt });
    } else if (e.kind === 'lazyfree') {
      lazy.push({ startUs: e.startUs, endUs: e.endUs, effort: e.effort, command: e.command, client: e.client });
    }
  }
  if (commands.length === 0 && arrows.length === 0 && lazy.length === 0) return prev;
  return {
    commands: keepLast(prev.commands.concat(commands), MAX_COMMANDS),
    arrows: keepLast(prev.arrows.concat(arrows), MAX_ARROWS),
    lazy: keepLast(prev.lazy.concat(lazy), MAX_LAZY),
  };
}

export interface Window { fromUs: number; toUs: number }

/** Fixed window widths (µs) the learner can pick instead of the latest activity. */
export const WINDOWS_US = [10_000, 100_000, 1_000_000, 10_000_000];

/** Idle time that separates two episodes of activity (µs). */
export const EPISODE_GAP_US = 300_000;
/** The narrowest window drawn (µs). */
export const MIN_WINDOW_US = 1000;

interface Span { from: number; to: number }

function spans(a: LoopActivity): Span[] {
  const out: Span[] = [];
  for (const c of a.commands) if (!c.nested) out.push({ from: Math.min(c.arrivalUs, c.startUs), to: c.endUs });
  for (const n of a.arrows) out.push({ from: n.sentAt * 1000, to: n.arriveAt * 1000 });
  for (const l of a.lazy) out.push({ from: l.startUs, to: l.endUs });
  return out;
}

/**
 * The window to draw: the latest episode of activity (everything back to the last idle gap of
 * EPISODE_GAP_US), or the last `widthUs` before the latest activity; null when nothing happened.
 * A little room is left on both sides.
 */
export function chooseWindow(a: LoopActivity, widthUs: number | 'auto'): Window | null {
  const all = spans(a);
  if (all.length === 0) return null;
  all.sort((x, y) => y.to - x.to);
  const to = all[0].to;
  let from = all[0].from;
  if (widthUs === 'auto') {
    for (const s of all) {
      if (s.to < from - EPISODE_GAP_US) break;
      from = Math.min(from, s.from);
    }
  } else {
    from = to - widthUs;
  }
  let width = Math.max(MIN_WINDOW_US, to - from);
  const pad = widthUs === 'auto' ? width * 0.04 : 0;
  width += 2 * pad;
  return { fromUs: Math.floor(to + pad - width), toUs: Math.ceil(to + pad) };
}

/** Whether [from, to] (µs) shows in the window. */
export function overlaps(w: Window, from: number, to: number): boolean {
  return to >= w.fromUs && from <= w.toUs;
}

/** The lanes: the clients that did something in the window, in id order (at most `max`), and how many were left out. */
export function clientLanes(a: LoopActivity, w: Window, max: number): { clients: number[]; hidden: number } {
  const ids = new Set<number>();
  for (const c of a.commands) if (overlaps(w, Math.min(c.arrivalUs, c.startUs), c.endUs)) ids.add(c.client);
  for (const n of a.arrows) if (overlaps(w, n.sentAt * 1000, n.arriveAt * 1000)) ids.add(n.client);
  const sorted = [...ids].sort((x, y) => x - y);
  return { clients: sorted.slice(0, max), hidden: Math.max(0, sorted.length - max) };
}

/** The latest top-level command of that name (e.g. 'keys', 'unlink'), or null. */
export function latestCommand(a: LoopActivity, name: string): CommandBar | null {
  for (let i = a.commands.length - 1; i >= 0; i--) {
    const c = a.commands[i];
    if (c.name === name && !c.nested) return c;
  }
  return null;
}

/** The lazyfree job a command queued (same client, starting at or after the command). */
export function lazyJobOf(a: LoopActivity, c: CommandBar): LazyBar | null {
  for (let i = a.lazy.length - 1; i >= 0; i--) {
    const l = a.lazy[i];
    if (l.client === c.client && l.startUs >= c.startUs && l.startUs <= c.endUs + 1000 * 1000) return l;
  }
  return null;
}

/** Which step of the loop the latest events show. */
export type LoopStep = 'wait' | 'read' | 'call' | 'write' | 'bio';
export const LOOP_STEPS: readonly LoopStep[] = ['wait', 'read', 'call', 'write', 'bio'];

export function stepOf(events: readonly TraceEvent[], busy: boolean): LoopStep {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.kind === 'lazyfree') return 'bio';
    if (e.kind === 'command') return busy ? 'call' : 'write';
    if (e.kind === 'net') return e.dir === 'request' ? (e.phase === 'deliver' ? 'read' : 'wait') : 'write';
  }
  return busy ? 'call' : 'wait';
}

/** A duration in µs as the panel writes it: unit and number (the caller localizes the unit). */
export function durationParts(us: number): { unit: 'us' | 'ms' | 's'; n: string } {
  if (us < 1000) return { unit: 'us', n: String(Math.round(us)) };
  if (us < 1_000_000) {
    const ms = us / 1000;
    return { unit: 'ms', n: ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0) };
  }
  const s = us / 1_000_000;
  return { unit: 's', n: s < 10 ? s.toFixed(2) : s.toFixed(1) };
}

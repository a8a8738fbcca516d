// What the engine's real code paths report to an observer (the app's panels, tests): typed events,
// stamped with the virtual time. A server's `trace` is null unless someone listens, so tracing
// costs one null check where an event could be emitted. Emitting never changes the engine's state
// and never depends on anything but the engine's state: a traced run is the same run.
//
// Adding a kind: a new member of TraceEvent with its own `kind`, emitted where the work happens,
// and an entry in TRACE_KINDS (the recorder keeps a separate budget per kind).
import type { NotifyClass } from '../server/notify.ts';

interface TraceEventBase {
  /** Virtual time (unix ms) when it happened. */
  at: number;
}

/**
 * A keyspace event as notifyKeyspaceEvent receives it (before notify-keyspace-events decides
 * whether to publish it): every one is traced, whatever that setting says.
 */
export interface KeyspaceTraceEvent extends TraceEventBase {
  kind: 'keyspace';
  /** NOTIFY_* class (server/notify.ts). */
  type: NotifyClass;
  /** Redis's event name: 'set', 'lpush', 'expired', 'del', 'new', 'keymiss' ... */
  event: string;
  key: string;
  db: number;
}

/** A command call() ran (after it ran: the keyspace events it fired come before it). */
export interface CommandTraceEvent extends TraceEventBase {
  kind: 'command';
  /** CLIENT ID of the client that ran it. */
  client: number;
  /** The command's full name as the command table has it: 'set', 'client|list'. */
  name: string;
  /** The client's database when the command started (SELECT reports the one it left). */
  db: number;
  /** The keys the command line names (COMMAND GETKEYS), at most TRACED_KEYS of them. */
  keys: string[];
  /** How many keys it names in all. */
  keyCount: number;
  /** Modelled duration (server/cost.ts), as SLOWLOG and commandstats see it. */
  durationUs: number;
  /** Its reply was an error. */
  failed: boolean;
  /** It blocked its client (BLPOP with nothing to pop ...): it completes later. */
  blocked: boolean;
  /** Run by EXEC (or another command) rather than by the client directly. */
  nested: boolean;
}

export type TraceEvent = KeyspaceTraceEvent | CommandTraceEvent;
export type TraceKind = TraceEvent['kind'];

/** Every kind, in a fixed order (budgets and counts are kept per kind). */
export const TRACE_KINDS: readonly TraceKind[] = ['keyspace', 'command'];

/** Receives events from a server's code paths (`server.trace`). */
export interface TraceSink {
  emit(event: TraceEvent): void;
}

/** A command event names at most this many of its keys (MSET of a million keys names 16). */
export const TRACED_KEYS = 16;

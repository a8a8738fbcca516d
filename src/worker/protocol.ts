// Messages between the UI thread and the engine worker. One module, versioned, so both sides
// always agree on shapes. A world has several clients at once (one per terminal, plus short-lived
// ones); every message about a client names it by a connection id the UI chose. Ids are never
// reused: a reconnect is a new id, so bytes of an old connection can never reach a new one.

// Snapshot queries and the event stream (src/engine/trace): what panels read and watch.
import type { TraceEvent, TraceKind } from '../engine/trace/events.ts';
import type { SnapshotQuery, SnapshotResult } from '../engine/trace/snapshots.ts';
// Time control (src/engine/sim/timeline.ts): the world's recorded history.
import type { TimelineFork, TimelineStatus, TimelineTarget } from '../engine/sim/timeline.ts';
// The event loop panel's demo runs.
import type { PipelineDemoRequest, PipelineDemoResult } from './pipelineDemo.ts';
// A lesson's starting world (src/lessons/schema.ts).
import type { Setup as LessonSetup } from '../lessons/schema.ts';
export type { PipelineDemoRequest, PipelineDemoResult };
export type { LessonSetup, SnapshotQuery, SnapshotResult, TimelineFork, TimelineTarget, TraceEvent, TraceKind };

/** Bumped whenever a message changes shape. The worker answers a mismatch with an error. */
export const PROTOCOL_VERSION = 5;

/** The highest one-way network latency a world takes (ms). */
export const MAX_LATENCY_MS = 1000;

/** How fast virtual time may run against the host's clock (the speed slider's ends, a log scale). */
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 100;

/** Where the world stands in time, for the time bar: sent as `time` while the UI watches. */
export interface TimeStatus extends TimelineStatus {
  /** Whether virtual time moves (at `speed` x the host's clock); paused, client input waits. */
  playing: boolean;
  speed: number;
  /** Client inputs (connects, commands, hang-ups) waiting for play or a step, typed while paused. */
  waiting: number;
  /**
   * History positions (input indices) a rewind starts from without replaying what is before them:
   * 0 (the base), then the timeline's checkpoints (exact copies of the world, sim/checkpoints.ts).
   */
  checkpoints: number[];
  /** How long the last rewind took (wall ms); null before the first. */
  lastRewindMs: number | null;
  /**
   * The main server's thread is busy until this virtual ms (a slow command, a backlog: its replies
   * and other clients wait for it), or 0. Paused, that wait lasts until time plays.
   */
  busyUntil: number;
  /** Messages on the network between clients and servers now, and its one-way latency (ms). */
  inFlight: number;
  latencyMs: number;
}

type Versioned<T> = T & { v: typeof PROTOCOL_VERSION };

export type ToWorkerBody =
  /** Opens a client connection to the world's server; answered with `connected`. */
  | { type: 'connect'; clientId: string }
  /** Raw RESP bytes from a client (what redis-cli would write to its socket). */
  | { type: 'send'; clientId: string; bytes: Uint8Array }
  /** The client hangs up (its terminal closed, or redis-cli reconnects elsewhere). */
  | { type: 'disconnect'; clientId: string }
  /** Health check: answered with `pong` as soon as the worker is free to read it. */
  | { type: 'ping'; id: number }
  /** Makes the worker throw from its message handler, as a bug would: tests of the restart path. */
  | { type: 'crash' }
  /** Reads the world's state (a keyspace overview ...) without changing it; answered with `snapshot`. */
  | { type: 'query'; id: number; query: SnapshotQuery }
  /** Starts (or stops) the event stream: `events` messages while on. Off at start: no cost. */
  | { type: 'trace'; enabled: boolean }
  // Time control. Each changes where time stands; the next `time` message says how.
  /** Plays (virtual time moves; input that waited runs, in order) or pauses (time stands, input waits). */
  | { type: 'time-play'; playing: boolean }
  /** Virtual time per host time, clamped to MIN_SPEED..MAX_SPEED. */
  | { type: 'time-speed'; speed: number }
  /**
   * One step, then paused: 'event', the scheduler's next event (a cron tick ...); 'command', the
   * next command waiting (or, in the past, the history up to its next command).
   */
  | { type: 'time-step'; unit: 'event' | 'command' }
  /**
   * Puts the world where it was at a point of its history (before input `index`, at virtual
   * `time`, or before the `command`-th command), paused. The UI's connections are closed; play
   * replays the history from there, the next client input forks it.
   */
  | { type: 'time-seek'; target: TimelineTarget }
  /** Starts (or stops) `time` messages: when something changes, and every few ticks while playing. */
  | { type: 'time-watch'; enabled: boolean }
  // The event loop panel (src/worker/pipelineDemo.ts).
  /** Sets the one-way client<->server network latency (ms, 0..MAX_LATENCY_MS), recorded in the history. */
  | { type: 'net-latency'; ms: number }
  /**
   * Runs the pipeline demo on a connection of its own: N commands as N round trips or as one
   * pipeline, as real input on virtual time (it goes on while time plays). Answered with
   * `pipeline-demo-done` once the last reply arrived, or at once with the reason it cannot run.
   */
  | { type: 'pipeline-demo'; id: number; request: PipelineDemoRequest }
  /** Lets `ms` of virtual time pass at once, recorded (a lesson's solution waiting for a TTL to run out). */
  | { type: 'time-skip'; ms: number }
  // The world as a whole (src/worker/worldKeeper.ts). Each is answered by `world-done` with its id.
  /** Saves the world to IndexedDB now if it changed (the page is being hidden or closed). */
  | { type: 'world-save'; id: number }
  /** Replaces the world by a fresh empty one with the default config, and saves it; every client is closed. */
  | { type: 'world-reset'; id: number }
  /** The world as a file: a Rediscope world file (JSON), or the main server's dump.rdb. */
  | { type: 'world-export'; id: number; format: WorldExportFormat }
  /** Replaces the world by the one in a world file or dump.rdb; if the file is refused, nothing changes. */
  | { type: 'world-import'; id: number; bytes: Uint8Array }
  /**
   * Lessons: runs the lesson's starting world, built from its setup (the base a rewind goes back
   * to), after keeping the learner's own world (the sandbox) aside in IndexedDB if it is the one
   * running (refused, changing nothing, if it cannot be kept). `lesson: null` brings the sandbox
   * back. The status's `lesson` says which runs.
   */
  | { type: 'world-lesson'; id: number; lesson: { id: string; setup: LessonSetup } | null };

export type WorldExportFormat = 'world' | 'rdb';

/** Where the running world came from, and how its saving goes: for the World menu and notices. */
export interface WorldStatus {
  /**
   * empty: nothing was saved (or the save could not be read); restored: from the save below;
   * lesson: a lesson's starting world; sandbox: the learner's own world, back after a lesson.
   */
  origin: 'empty' | 'restored' | 'reset' | 'imported' | 'lesson' | 'sandbox';
  /** The id of the lesson whose world this is; null for the learner's own world (the sandbox). */
  lesson: string | null;
  /** Wall-clock ms of the save this world was restored from (origin 'restored'), else null. */
  restoredFrom: number | null;
  /** Wall-clock ms of the last save of this world that reached IndexedDB, null if none yet. */
  lastSavedAt: number | null;
  /** Changes made since the last save (they are lost if the worker dies before the next one). */
  unsaved: boolean;
  /** Why the last save failed (no IndexedDB, quota exceeded ...), null once a save succeeds. */
  saveError: string | null;
  /** The saved world could not be loaded: why, and the key it was kept under in the 'worlds' store. */
  loadError: { message: string; keptAs: string | null } | null;
}

export type FromWorkerBody =
  /** The worker has loaded and its world is running. */
  | { type: 'ready'; redisVersion: string }
  /** The outcome of `connect`: null, or why there is no connection (redis-cli's error text). */
  | { type: 'connected'; clientId: string; error: string | null }
  /**
   * RESP bytes for a client, streamed as the server writes them: replies, and pushes at any time
   * (pub/sub messages, MONITOR lines, a blocked command's late reply). One message may hold
   * several replies, or part of one.
   */
  | { type: 'data'; clientId: string; bytes: Uint8Array }
  /** The server closed the client's connection (QUIT, CLIENT KILL, an internal error). */
  | { type: 'closed'; clientId: string }
  | { type: 'pong'; id: number; clients: number }
  /**
   * Something went wrong in the worker. `fatal`: the world can no longer be trusted and the UI
   * should start a fresh worker; otherwise only `clientId`'s connection was dropped (the engine
   * failed on its command, as server mode drops such a connection) or a message was refused.
   */
  | { type: 'error'; message: string; fatal: boolean; clientId?: string }
  /** The answer to `query` with the same id: the result, or `{ kind: 'error', message }`. */
  | { type: 'snapshot'; id: number; result: SnapshotResult }
  /**
   * What the engine did since the last `events` message (while the stream is on), in order. A
   * burst keeps a bounded number of events of each kind; `dropped` counts the rest per kind.
   * `resync`: the world was replaced as a whole (reset, import): what was read before is stale.
   */
  | { type: 'events'; events: TraceEvent[]; dropped: Partial<Record<TraceKind, number>>; resync: boolean }
  /** The world's status: sent before `ready`, and whenever it changes (a save, a reset, an import). */
  | { type: 'world-status'; status: WorldStatus }
  /** Where time stands (while `time-watch` is on). */
  | { type: 'time'; status: TimeStatus }
  /** The answer to a world-* request: error null on success; an export's file bytes. */
  | { type: 'world-done'; id: number; error: string | null; bytes?: Uint8Array }
  /** The end of a `pipeline-demo` run: its result, or why it did not run or was cut short (a rewind). */
  | { type: 'pipeline-demo-done'; id: number; result: PipelineDemoResult | null; error: string | null };

export type ToWorker = Versioned<ToWorkerBody>;
export type FromWorker = Versioned<FromWorkerBody>;

/** Stamps a message with the protocol version. */
export function versioned<T extends ToWorkerBody | FromWorkerBody>(body: T): Versioned<T> {
  return { ...body, v: PROTOCOL_VERSION };
}

// The event loop snapshot: where the server's single thread stands on the virtual clock (the time
// it is busy until, the clients whose input waits for it), the lazy-free thread's queue, the
// world's network latency and the messages on it, and the cost model's constants the panel
// explains durations with. Reading only: copied numbers, nothing consumed or touched.
import { COMMAND_BASE_NS, REPLY_BYTE_NS, WORK_UNIT_NS } from '../server/cost.ts';
import { LAZYFREE_EFFORT_PER_MS, LAZYFREE_THRESHOLD } from '../server/lazyfree.ts';
import type { RedisServer } from '../server/redisServer.ts';
import type { World } from '../sim/world.ts';

export interface EventLoopQuery {
  kind: 'eventloop';
}

/** Queued lazy-free jobs the snapshot lists at most (the oldest). */
export const SNAPSHOT_LAZYFREE_JOBS = 16;

export interface EventLoopClient {
  id: number;
  name: string | null;
  /** The last command it ran (CLIENT LIST cmd=), or null. */
  lastCommand: string | null;
  /** Its input waits for the thread. */
  held: boolean;
  /** Waiting in a blocking command (BLPOP ...) or postponed by CLIENT PAUSE. */
  blocked: boolean;
}

export interface EventLoopSnapshot {
  kind: 'eventloop';
  /** Engine clock (unix ms). */
  now: number;
  /** RedisServer.threadFreeUs: when the main thread is done with the work it was given (µs). */
  threadFreeUs: number;
  /** The millisecond the server is busy until, or 0 (RedisServer.busyUntil). */
  busyUntil: number;
  busy: boolean;
  /** CLIENT IDs whose input waits for the thread, in arrival order. */
  held: number[];
  clients: EventLoopClient[];
  /** The world's one-way client<->server latency (ms); 0 without a world. */
  latencyMs: number;
  /** Messages on the network now, each way. */
  inFlight: { requests: number; replies: number };
  /** serverCron's period (ms) and hz. */
  cronIntervalMs: number;
  hz: number;
  lazyfree: {
    pendingJobs: number;
    pendingObjects: number;
    freedObjects: number;
    /** The oldest queued jobs: allocations to free and already freed. */
    queue: { job: 'object' | 'database'; effort: number; done: number }[];
    /** Allocations it frees per ms, and the effort above which a value goes to it (LAZYFREE_THRESHOLD). */
    effortPerMs: number;
    threshold: number;
  };
  /** The cost model (server/cost.ts). */
  cost: { commandBaseNs: number; workUnitNs: number; replyByteNs: number };
}

export function eventLoopSnapshot(server: RedisServer, world?: World): EventLoopSnapshot {
  const now = server.clock.now();
  const held = [...server.heldClients].map((c) => c.id);
  const heldSet = new Set(held);
  const clients: EventLoopClient[] = [];
  for (const c of server.clients.values()) {
    clients.push({ id: c.id, name: c.name, lastCommand: c.lastCmd?.fullName ?? null, held: heldSet.has(c.id), blocked: c.blocked !== null });
  }
  return {
    kind: 'eventloop', now, threadFreeUs: server.threadFreeUs, busyUntil: server.busyUntil, busy: server.isBusy,
    held, clients,
    latencyMs: world?.latencyMs ?? 0,
    inFlight: world ? { ...world.inFlight } : { requests: 0, replies: 0 },
    cronIntervalMs: server.cronIntervalMs, hz: server.hz,
    lazyfree: {
      pendingJobs: server.lazyfree.pendingJobs,
      pendingObjects: server.lazyfree.pendingObjects,
      freedObjects: server.lazyfree.freedObjects,
      queue: server.lazyfree.queue.slice(0, SNAPSHOT_LAZYFREE_JOBS).map((j) => ({ job: j.kind, effort: j.effort, done: j.done })),
      effortPerMs: LAZYFREE_EFFORT_PER_MS,
      threshold: LAZYFREE_THRESHOLD,
    },
    cost: { commandBaseNs: COMMAND_BASE_NS, workUnitNs: WORK_UNIT_NS, replyByteNs: REPLY_BYTE_NS },
  };
}

// Messages between the UI thread and the engine worker. One module, versioned, so both sides
// always agree on shapes. A world has several clients at once (one per terminal, plus short-lived
// ones); every message about a client names it by a connection id the UI chose. Ids are never
// reused: a reconnect is a new id, so bytes of an old connection can never reach a new one.

/** Bumped whenever a message changes shape. The worker answers a mismatch with an error. */
export const PROTOCOL_VERSION = 3;

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
  | { type: 'crash' };

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
  | { type: 'error'; message: string; fatal: boolean; clientId?: string };

export type ToWorker = Versioned<ToWorkerBody>;
export type FromWorker = Versioned<FromWorkerBody>;

/** Stamps a message with the protocol version. */
export function versioned<T extends ToWorkerBody | FromWorkerBody>(body: T): Versioned<T> {
  return { ...body, v: PROTOCOL_VERSION };
}

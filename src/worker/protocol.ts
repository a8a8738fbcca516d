// Messages between the UI thread and the engine worker. One module, versioned, so both sides
// always agree on shapes.

export const PROTOCOL_VERSION = 1;

export type ToWorker =
  /** Opens a client connection to the world's server. */
  | { v: typeof PROTOCOL_VERSION; type: 'connect'; clientId: string }
  /** Raw RESP bytes from a client (what redis-cli would send). */
  | { v: typeof PROTOCOL_VERSION; type: 'send'; clientId: string; bytes: Uint8Array }
  | { v: typeof PROTOCOL_VERSION; type: 'disconnect'; clientId: string };

export type FromWorker =
  | { v: typeof PROTOCOL_VERSION; type: 'ready'; redisVersion: string }
  /** RESP bytes for a client: replies, and later pushes. */
  | { v: typeof PROTOCOL_VERSION; type: 'data'; clientId: string; bytes: Uint8Array }
  | { v: typeof PROTOCOL_VERSION; type: 'closed'; clientId: string };

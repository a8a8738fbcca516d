// A world: one virtual clock, one scheduler, and any number of server instances (later replicas,
// sentinels, cluster nodes). Each server's serverCron is a scheduled event at its own `hz`, and each
// server draws from its own PRNG derived from the world seed, so same seed + same inputs = same world.
import type { Client } from '../server/client.ts';
import { RedisServer, type ServerOptions } from '../server/redisServer.ts';
import { netEvent } from '../trace/emit.ts';
import { VirtualClock } from './clock.ts';
import { SeededRandom } from './random.ts';
import { Scheduler } from './scheduler.ts';

export interface WorldOptions {
  seed: number;
  /** Virtual start time, unix ms. */
  startTime?: number;
}

/**
 * What the world's scheduler runs: a server's cron tick, the end of a server's busy spell, bytes
 * on the network between a client and its server arriving (only while the world has a latency).
 * `bytes`/`data` null is the connection's end: the client hung up / the server closed it.
 */
export type WorldEvent =
  | { kind: 'cron'; server: RedisServer }
  | { kind: 'resume'; server: RedisServer }
  | { kind: 'deliver'; to: 'server'; server: RedisServer; client: Client; bytes: Uint8Array | null; sentAt: number }
  | { kind: 'deliver'; to: 'client'; server: RedisServer; client: Client; data: string | null; sentAt: number };

export class World {
  readonly clock: VirtualClock;
  readonly scheduler = new Scheduler<WorldEvent>();
  readonly servers = new Map<string, RedisServer>();
  /**
   * One-way network latency between clients and servers (ms): what a client sends reaches its
   * server this much later, and the replies come back as late. 0: delivered at once, in the call.
   */
  latencyMs = 0;
  /** Messages on the network now, each way (connection ends included). */
  readonly inFlight = { requests: 0, replies: 0 };
  private readonly seeds: SeededRandom;

  constructor(readonly options: WorldOptions) {
    this.clock = new VirtualClock(options.startTime);
    this.seeds = new SeededRandom(options.seed);
  }

  get now(): number { return this.clock.now(); }

  /** Creates a server on this world's clock, with its cron scheduled. */
  addServer(name: string, options: Omit<ServerOptions, 'clock' | 'random'> = {}): RedisServer {
    if (this.servers.has(name)) throw new Error(`a server named '${name}' already exists`);
    const server = new RedisServer({ ...options, clock: this.clock, random: new SeededRandom(this.seeds.nextU32()) });
    this.servers.set(name, server);
    this.scheduler.schedule(this.now + server.cronIntervalMs, { kind: 'cron', server });
    this.attach(server);
    return server;
  }

  /** Wires a server's callbacks to this world (DEBUG SLEEP: the server is stopped until a virtual time; wake it exactly then). */
  attach(server: RedisServer): void {
    server.onBusy = (until) => { this.scheduler.schedule(until, { kind: 'resume', server }); };
  }

  /** Runs one scheduled event (the clock is at its time). */
  runEvent(event: WorldEvent): void {
    if (event.kind === 'deliver') this.inFlight[event.to === 'server' ? 'requests' : 'replies']--;
    const server = event.server;
    if (![...this.servers.values()].includes(server)) return; // removed
    switch (event.kind) {
      case 'cron':
        server.cron();
        this.scheduler.schedule(this.now + server.cronIntervalMs, event);
        return;
      case 'resume':
        server.resume();
        return;
      case 'deliver':
        this.deliver(event);
        return;
    }
  }

  // --- the network between clients and servers -------------------------------------------------

  /** Sets the one-way latency for what is sent from now on (what is on its way keeps its time). */
  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, Math.floor(ms));
  }

  /**
   * A client program sends bytes to its server (`bytes`), or hangs up (null). With no latency the
   * server reads them now; otherwise they arrive `latencyMs` later, after whatever the client sent
   * before. A server that fails on the bytes drops that client (server mode does the same).
   */
  sendToServer(client: Client, bytes: Uint8Array | null): void {
    const server = client.server;
    if (this.latencyMs === 0) {
      this.receiveOnServer(client, bytes);
      return;
    }
    const arriveAt = this.now + this.latencyMs;
    if (server.trace) server.trace.emit(netEvent(this.now, 'send', 'request', client.id, bytes?.length ?? null, this.now, arriveAt));
    this.inFlight.requests++;
    this.scheduler.schedule(arriveAt, { kind: 'deliver', to: 'server', server, client, bytes, sentAt: this.now });
  }

  /**
   * A server writes to a client (`data`), or closes the connection (null): the client's program
   * gets it from its connection's receive() (receiveClosed()) now, or `latencyMs` later.
   */
  sendToClient(client: Client, data: string | null): void {
    if (this.latencyMs === 0) {
      receiveOnClient(client, data);
      return;
    }
    const server = client.server;
    const arriveAt = this.now + this.latencyMs;
    if (server.trace) server.trace.emit(netEvent(this.now, 'send', 'reply', client.id, data?.length ?? null, this.now, arriveAt));
    this.inFlight.replies++;
    this.scheduler.schedule(arriveAt, { kind: 'deliver', to: 'client', server, client, data, sentAt: this.now });
  }

  private deliver(event: Extract<WorldEvent, { kind: 'deliver' }>): void {
    const { client, server } = event;
    if (event.to === 'server') {
      if (server.trace) server.trace.emit(netEvent(this.now, 'deliver', 'request', client.id, event.bytes?.length ?? null, event.sentAt, this.now));
      this.receiveOnServer(client, event.bytes);
    } else {
      if (server.trace) server.trace.emit(netEvent(this.now, 'deliver', 'reply', client.id, event.data?.length ?? null, event.sentAt, this.now));
      receiveOnClient(client, event.data);
    }
  }

  /** The server reads what a client sent (or sees it hang up). */
  private receiveOnServer(client: Client, bytes: Uint8Array | null): void {
    if (client.closed) return; // the bytes go nowhere, as on a dead socket
    if (bytes === null) {
      client.server.disconnect(client);
      return;
    }
    try {
      client.feed(bytes);
    } catch (e) {
      // A bug in the engine drops this connection, not the world. It happens again, the same way,
      // when the input is replayed.
      try { client.server.disconnect(client); } catch { /* reported below */ }
      client.connection.failed?.(e);
    }
  }

  removeServer(name: string): void {
    this.servers.delete(name);
  }

  /** Runs every event due within the next `ms` of virtual time, moving the clock with them. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (let ev = this.scheduler.popDue(until); ev; ev = this.scheduler.popDue(until)) {
      if (ev.at > this.now) this.clock.set(ev.at);
      this.runEvent(ev.event);
    }
    this.clock.set(until);
  }
}

/** A client's program gets what its server wrote (or learns the server closed the connection). */
function receiveOnClient(client: Client, data: string | null): void {
  if (data === null) client.connection.receiveClosed?.();
  else client.connection.receive?.(data);
}

// A world: one virtual clock, one scheduler, and any number of server instances (later replicas,
// sentinels, cluster nodes). Each server's serverCron is a scheduled event at its own `hz`, and each
// server draws from its own PRNG derived from the world seed, so same seed + same inputs = same world.
import { RedisServer, type ServerOptions } from '../server/redisServer.ts';
import { VirtualClock } from './clock.ts';
import { SeededRandom } from './random.ts';
import { Scheduler } from './scheduler.ts';

export interface WorldOptions {
  seed: number;
  /** Virtual start time, unix ms. */
  startTime?: number;
}

/** What the world's scheduler runs: a server's cron tick, the end of a server's busy spell. */
export type WorldEvent =
  | { kind: 'cron'; server: RedisServer }
  | { kind: 'resume'; server: RedisServer };

export class World {
  readonly clock: VirtualClock;
  readonly scheduler = new Scheduler<WorldEvent>();
  readonly servers = new Map<string, RedisServer>();
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

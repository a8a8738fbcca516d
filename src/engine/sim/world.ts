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

export class World {
  readonly clock: VirtualClock;
  readonly scheduler = new Scheduler();
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
    const cron = () => {
      if (this.servers.get(name) !== server) return; // removed
      server.cron();
      this.scheduler.schedule(this.now + server.cronIntervalMs, cron);
    };
    this.scheduler.schedule(this.now + server.cronIntervalMs, cron);
    // DEBUG SLEEP: the server is stopped until a virtual time; wake it exactly then.
    server.onBusy = (until) => { this.scheduler.schedule(until, () => server.resume()); };
    return server;
  }

  removeServer(name: string): void {
    this.servers.delete(name);
  }

  /** Runs every event due within the next `ms` of virtual time, moving the clock with them. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (let ev = this.scheduler.popDue(until); ev; ev = this.scheduler.popDue(until)) {
      if (ev.at > this.now) this.clock.set(ev.at);
      ev.run();
    }
    this.clock.set(until);
  }
}

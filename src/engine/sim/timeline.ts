// A world's history: every input it received, in order, with the virtual time it arrived at, so the
// world can be rebuilt as it was at any earlier point (time control: rewind, step, replay, fork).
//
// Inputs are what reaches a world from outside: a client connects (with its peer address), bytes
// from a client, a client hangs up, virtual time passes, the scheduler's next event is run alone
// (a step), the network's latency is set. Nothing else changes a world: its clock only moves
// through `advance`, its randomness is seeded, and reading it (snapshot queries, saves) changes
// nothing it acts on. So the same base
// world plus the same inputs gives the same world, byte for byte: same keys, encodings, dict
// layouts, PRNG states, stats, replies, trace events.
//
// The base is a builder that makes the world as it was when recording began (a fresh world from a
// seed, or a restored save: restoreWorld of the same snapshot gives the same world every time).
// Rewinding starts from the nearest checkpoint at or before the point asked for, or from the base,
// and replays the inputs from there. A checkpoint (checkpoints.ts) is an exact copy of the whole
// world taken after some input (clone.ts: dict tables and their order, listpack bytes, PRNG
// states, the scheduler's pending events, clients, with the timeline's clients mapped into the
// copy); a rewind copies it again, so a stored checkpoint is never run. (An RDB round trip,
// snapshotWorld/restoreWorld, would not do: it rebuilds dicts in another order and at other
// sizes, re-encodes values and draws new PRNG states, so a replay from it diverges.) Checkpoints
// are taken every so much replay work, measured deterministically (commands, their modelled
// cost, cron runs), bounded in number and memory; a fork drops those after the fork point.
// Everything the world holds must be copyable: data and class instances, no closures (the
// timeline's own connections are TimelineConnection objects).
//
// Acting in the past forks: the first live client input while the world stands at an earlier point
// drops the inputs after that point, and recording goes on from there.
import type { Client, ClientConnection } from '../server/client.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { Checkpoints, DEFAULT_CHECKPOINT_POLICY, workDone, type CheckpointPolicy } from './checkpoints.ts';
import type { World } from './world.ts';

export type TimelineInput =
  /** A client connected to a server of the world. */
  | { kind: 'connect'; at: number; client: string; server: string; peer: string; local: string }
  /** Bytes from a client (one read from its socket: a command, part of one, or a pipeline). */
  | { kind: 'feed'; at: number; client: string; bytes: Uint8Array }
  /** The client hung up. */
  | { kind: 'disconnect'; at: number; client: string }
  /** Virtual time passed: every scheduled event due within `ms` ran (cron ticks, expiries ...). */
  | { kind: 'advance'; at: number; ms: number }
  /** The scheduler's next event ran on its own (a step), the clock moved to its time. */
  | { kind: 'event'; at: number }
  /** The one-way network latency between clients and servers became `ms` (World.setLatency). */
  | { kind: 'latency'; at: number; ms: number };

export type TimelineInputKind = TimelineInput['kind'];

/** Where to rewind to: before input `index`, at virtual time `time`, or before the `command`-th feed (0-based). */
export type TimelineTarget = { index: number } | { time: number } | { command: number };

/** A point where the history was cut and recording went on: the new branch starts at `index`. */
export interface TimelineFork { index: number; time: number }

/** Where a client's output goes (the host's connections). Not called while rebuilding. */
export interface TimelineSink {
  write(client: string, data: string): void;
  /** The server closed the connection (QUIT, CLIENT KILL), or the engine failed on its input (`error`). */
  closed(client: string, error?: unknown): void;
}

export interface TimelineStatus {
  /** Inputs applied to the world as it stands (the next one to replay is inputs[position]). */
  position: number;
  length: number;
  /** Of inputs[position], an advance, the ms already applied (a point in the middle of an idle stretch). */
  into: number;
  /** Client feeds (commands, as typed) before the position, and in all. */
  commandPosition: number;
  commandCount: number;
  /** Virtual unix ms: the base's time, the world's time, the time at the end of the history. */
  startTime: number;
  now: number;
  endTime: number;
  forks: TimelineFork[];
  /** Input positions a rewind starts from without replaying what is before them: 0 (the base), then the checkpoints'. */
  checkpoints: number[];
}

export interface TimelineOptions {
  /** When to keep exact copies of the world (checkpoints.ts); false: never (every rewind replays from the base). */
  checkpoints?: Partial<CheckpointPolicy> | false;
}

interface LiveClient { client: Client; server: RedisServer }

export class Timeline {
  /** The world as it stands; replaced as a whole by seek(). */
  world: World;
  private readonly inputs: TimelineInput[] = [];
  private pos = 0;
  private into = 0;
  /** The time of the end of the history (the live world's time when at the end). */
  private end: number;
  readonly startTime: number;
  private readonly clients = new Map<string, LiveClient>();
  /**
   * Clients connected through live input (the host's connections). The others are clients of the
   * past, made by replaying a rewound history: nobody drives them any more.
   */
  private readonly attached = new Set<string>();
  private forkList: TimelineFork[] = [];
  private commandsBefore = 0;
  private commandsTotal = 0;
  /** Set while rebuilding: output and closes go nowhere. */
  private muted = false;
  sink: TimelineSink | null = null;
  /** Exact copies of the world at some positions (checkpoints.ts): where rewinds start replaying. */
  readonly checkpoints: Checkpoints<LiveClient>;
  /** Replay work (checkpoints.ts workDone) from the base to where the world stands. */
  private work = 0;

  /**
   * `build` makes the base world, the same every time it is called. `initial`, if given, is a world
   * `build` would make, not touched yet: it is used as the live world instead of a first build.
   */
  constructor(private readonly build: () => World, initial?: World, options: TimelineOptions = {}) {
    this.world = initial ?? build();
    this.startTime = this.end = this.world.now;
    const policy = options.checkpoints === false ? { ...DEFAULT_CHECKPOINT_POLICY, max: 0 } : { ...DEFAULT_CHECKPOINT_POLICY, ...options.checkpoints };
    // The timeline's connections point at it: the copies keep pointing at it.
    this.checkpoints = new Checkpoints<LiveClient>(policy, [this]);
  }

  /** The inputs, oldest first (read only). */
  get history(): readonly TimelineInput[] { return this.inputs; }
  get position(): number { return this.pos; }
  get length(): number { return this.inputs.length; }
  /** Whether the world stands at the end of its history (new inputs extend it without a fork). */
  get atEnd(): boolean { return this.pos === this.inputs.length && this.into === 0; }
  get forks(): readonly TimelineFork[] { return this.forkList; }

  status(): TimelineStatus {
    return {
      position: this.pos, length: this.inputs.length, into: this.into,
      commandPosition: this.commandsBefore, commandCount: this.commandsTotal,
      startTime: this.startTime, now: this.world.now, endTime: this.atEnd ? this.world.now : this.end,
      forks: this.forkList.slice(), checkpoints: this.checkpoints.positions,
    };
  }

  /** Whether a client of that id is connected (live or of the past). */
  has(client: string): boolean { return this.clients.has(client); }

  // --- live input: recorded, then applied ---------------------------------------------------------

  /** A client connects to server `server` of the world (ignored if the world has no such server). */
  connect(client: string, server: string, peer: string, local: string): void {
    this.act();
    this.record({ kind: 'connect', at: this.world.now, client, server, peer, local });
    if (this.clients.has(client)) this.attached.add(client);
  }

  feed(client: string, bytes: Uint8Array): void {
    this.act();
    this.record({ kind: 'feed', at: this.world.now, client, bytes });
  }

  disconnect(client: string): void {
    this.act();
    this.record({ kind: 'disconnect', at: this.world.now, client });
  }

  /**
   * The network's one-way latency becomes `ms` from now on (recorded: a rewind replays it). Forks
   * if the world stands in the past, as any input does; nothing is recorded if it does not change.
   */
  setLatency(ms: number): void {
    const value = Math.max(0, Math.floor(ms));
    if (!Number.isFinite(value) || value === this.world.latencyMs) return;
    if (!this.atEnd) this.fork();
    this.record({ kind: 'latency', at: this.world.now, ms: value });
  }

  /** Virtual time passes now (forks if the world stands in the past; play() follows the history instead). */
  advance(ms: number): void {
    if (ms <= 0) return;
    if (!this.atEnd) this.fork();
    const last = this.inputs[this.inputs.length - 1];
    this.apply({ kind: 'advance', at: this.world.now, ms }, ms);
    // Idle time between two inputs is one input, however many ticks it took.
    if (last?.kind === 'advance' && last.at + last.ms === this.world.now - ms) last.ms += ms;
    else this.inputs.push({ kind: 'advance', at: this.world.now - ms, ms });
    this.pos = this.inputs.length;
    this.end = this.world.now;
  }

  /**
   * Moves `ms` of virtual time forward: along the recorded history while the world stands in the
   * past (its inputs happen again at their times), then live (recorded) once the end is reached.
   */
  play(ms: number): void {
    if (ms <= 0) return;
    const rest = this.replayFor(ms);
    if (rest > 0) this.advance(rest);
  }

  /**
   * Runs the world's next scheduled event (a cron tick, the end of a DEBUG SLEEP ...). In the past,
   * the history is followed up to that event's time; at the end, the event runs alone and is
   * recorded. Returns false when nothing is scheduled.
   */
  stepEvent(): boolean {
    const at = nextEventTime(this.world);
    if (at === Infinity) return false;
    if (!this.atEnd) {
      // The event runs inside the recorded advance that covers its time (an event already due
      // runs in the next millisecond's).
      this.play(Math.max(at - this.world.now, 1));
      return true;
    }
    this.record({ kind: 'event', at: this.world.now });
    return true;
  }

  /**
   * In the past: follows the history up to and including its next client feed (a command). Returns
   * false at the end of the history (live commands are the host's: they wait in its queue).
   */
  stepCommand(): boolean {
    while (this.pos < this.inputs.length) {
      const input = this.inputs[this.pos];
      const ms = input.kind === 'advance' ? input.ms - this.into : 0;
      this.apply(input, ms);
      this.passed(input);
      if (input.kind === 'feed') return true;
    }
    return false;
  }

  // --- the past --------------------------------------------------------------------------------------

  /**
   * Puts the world where it was at `target` (clamped to the history). A point ahead is reached by
   * replaying on from where the world stands; a point behind by copying the nearest checkpoint
   * before it (or rebuilding the base) and replaying the inputs from there; a checkpoint between
   * where the world stands and a point ahead is a shortcut too. Either way every client is then
   * one of the past. Returns the world (a new one unless it was replayed on).
   */
  seek(target: TimelineTarget): World {
    this.attached.clear();
    const time = 'time' in target ? Math.floor(target.time) : null;
    const index = 'time' in target ? -1 : this.indexOf(target);
    const ahead = time !== null ? time >= this.world.now : index > this.pos || (index === this.pos && this.into === 0);
    const checkpoint = time !== null ? this.checkpoints.before(time) : this.checkpoints.atOrBefore(index);
    if (checkpoint && (!ahead || checkpoint.position > this.pos)) {
      const restored = this.checkpoints.restore(checkpoint);
      this.world = restored.world;
      this.clients.clear();
      for (const [id, c] of restored.clients) this.clients.set(id, c);
      this.pos = checkpoint.position;
      this.into = 0;
      this.commandsBefore = checkpoint.commandsBefore;
      this.work = checkpoint.work;
    } else if (!ahead) {
      this.world = this.build();
      this.clients.clear();
      this.pos = this.into = this.commandsBefore = this.work = 0;
    }
    this.muted = true;
    try {
      if (time !== null) {
        this.replayFor(time - this.world.now);
      } else {
        while (this.pos < index) {
          const input = this.inputs[this.pos];
          this.apply(input, input.kind === 'advance' ? input.ms - this.into : 0);
          this.passed(input);
        }
      }
    } finally {
      this.muted = false;
    }
    return this.world;
  }

  /** The input index a target names (clamped to the history). */
  private indexOf(target: { index: number } | { command: number }): number {
    const index = 'index' in target ? target.index : this.indexOfCommand(target.command);
    return Math.max(0, Math.min(index, this.inputs.length));
  }

  /** The input index of the `n`-th feed (0-based); the length if there are fewer. */
  private indexOfCommand(n: number): number {
    let seen = 0;
    for (let i = 0; i < this.inputs.length; i++) {
      if (this.inputs[i].kind !== 'feed') continue;
      if (seen === n) return i;
      seen++;
    }
    return this.inputs.length;
  }

  /**
   * Replays recorded inputs for `ms` of virtual time (stopping inside an advance if need be);
   * inputs at exactly the target time wait. Returns the ms left over once the end was reached.
   */
  private replayFor(ms: number): number {
    const target = this.world.now + ms;
    while (this.pos < this.inputs.length) {
      const input = this.inputs[this.pos];
      if (input.kind === 'advance') {
        const left = input.ms - this.into;
        const step = Math.min(left, target - this.world.now);
        if (step <= 0) return 0;
        this.apply(input, step);
        if (step < left) {
          this.into += step;
          return 0;
        }
        this.passed(input);
      } else {
        if (this.world.now >= target) return 0;
        this.apply(input, 0);
        this.passed(input);
      }
    }
    return Math.max(0, target - this.world.now);
  }

  /**
   * Before a live client input: if the world stands in the past, the history after this point is
   * dropped (a fork); the clients of the past still connected hang up (recorded), so the world
   * goes on with the live connections only.
   */
  private act(): void {
    if (!this.atEnd) this.fork();
    if (this.clients.size === this.attached.size) return; // (attached is a subset of clients)
    for (const id of [...this.clients.keys()]) {
      if (!this.attached.has(id)) this.record({ kind: 'disconnect', at: this.world.now, client: id });
    }
  }

  /** Cuts the history at the world's point: what was after it is gone. */
  private fork(): void {
    // (Before the split below: a checkpoint after the advance split here is not one after its first part.)
    this.checkpoints.dropAfter(this.pos);
    if (this.into > 0) {
      // In the middle of an idle stretch: the part already lived stays, as an input of its own.
      const a = this.inputs[this.pos] as Extract<TimelineInput, { kind: 'advance' }>;
      this.inputs[this.pos] = { kind: 'advance', at: a.at, ms: this.into };
      this.pos++;
      this.into = 0;
    }
    this.inputs.length = this.pos;
    this.forkList = this.forkList.filter((f) => f.index <= this.pos);
    this.forkList.push({ index: this.pos, time: this.world.now });
    this.commandsTotal = this.commandsBefore;
    this.end = this.world.now;
  }

  // --- what the timeline's connections report (TimelineConnection) ----------------------------------

  /** Output reached a client's program. (A client that hung up gets nothing more: replies still on their way are lost.) */
  connectionOutput(connection: TimelineConnection, data: string): void {
    if (!this.muted && this.clients.get(connection.id)?.client.connection === connection) this.sink?.write(connection.id, data);
  }

  /** The server closed a client's connection, or dropped it when the engine failed on its input (`error`). */
  connectionClosed(connection: TimelineConnection, error?: unknown): void {
    const id = connection.id;
    if (this.clients.get(id)?.client.connection !== connection) return;
    this.clients.delete(id);
    this.attached.delete(id);
    if (!this.muted) {
      if (error === undefined) this.sink?.closed(id);
      else this.sink?.closed(id, error);
    }
  }

  /** Appends an input at the end and applies it. */
  private record(input: TimelineInput): void {
    this.inputs.push(input);
    if (input.kind === 'feed') this.commandsTotal++;
    this.apply(input, input.kind === 'advance' ? input.ms : 0);
    this.pos = this.inputs.length;
    this.end = this.world.now;
    this.checkpointAfter(input);
  }

  /** The input at the position was applied in full: the world stands after it. */
  private passed(input: TimelineInput): void {
    this.pos++;
    this.into = 0;
    this.checkpointAfter(input);
  }

  /** Keeps a copy of the world as it stands after `input`, if one is due there (checkpoints.ts). */
  private checkpointAfter(input: TimelineInput): void {
    if (!this.checkpoints.due(this.pos, this.work, input.kind, this.world)) return;
    this.checkpoints.take(this.world, this.clients, { position: this.pos, commandsBefore: this.commandsBefore, work: this.work });
  }

  /** Applies one input (see applyInput), adding the work it made the world do to `work`. */
  private apply(input: TimelineInput, ms: number): void {
    if (this.checkpoints.policy.max <= 0) {
      this.applyInput(input, ms);
      return;
    }
    const before = workDone(this.world);
    this.applyInput(input, ms);
    this.work += Math.max(0, workDone(this.world) - before);
  }

  /** Applies one input to the world: live and replayed alike (`ms`: of an advance, how much). */
  private applyInput(input: TimelineInput, ms: number): void {
    const world = this.world;
    if (input.at !== world.now && !(input.kind === 'advance' && this.into > 0)) {
      throw new Error(`timeline out of step: input at ${input.at} replayed at ${world.now}`);
    }
    // Every server's cached time as of this input: whatever read the clock in between (a save, a
    // snapshot) leaves no trace in how the input runs.
    for (const s of world.servers.values()) s.updateCachedTime();
    switch (input.kind) {
      case 'connect': {
        const server = world.servers.get(input.server);
        if (!server || this.clients.has(input.client)) return;
        const connection = new TimelineConnection(this, world, input.client, input.peer, input.local);
        const client = server.connect(connection);
        connection.client = client;
        this.clients.set(input.client, { client, server });
        return;
      }
      case 'feed': {
        this.commandsBefore++;
        const c = this.clients.get(input.client);
        if (!c) return; // closed meanwhile: the bytes go nowhere, as on a dead socket
        world.sendToServer(c.client, input.bytes);
        return;
      }
      case 'disconnect': {
        const c = this.clients.get(input.client);
        this.clients.delete(input.client);
        this.attached.delete(input.client);
        if (c) world.sendToServer(c.client, null);
        return;
      }
      case 'latency':
        world.setLatency(input.ms);
        return;
      case 'advance':
        world.advance(ms);
        return;
      case 'event':
        runNextEvent(world);
        return;
    }
  }
}

/**
 * The client program's end of a connection the timeline made. Data (its timeline, its world, the
 * client's id) with methods, not closures: a world holding it can be copied (clone.ts copies it
 * with the world and keeps the timeline).
 */
class TimelineConnection implements ClientConnection {
  /** The server's client for this connection (set once connected). */
  client: Client | null = null;

  constructor(private readonly timeline: Timeline, private readonly world: World, readonly id: string, readonly peer: string, readonly local: string) {}

  // What the server writes crosses the world's network (World.sendToClient) to receive().
  write(data: string): void { this.world.sendToClient(this.client!, data); }
  close(): void { this.world.sendToClient(this.client!, null); }

  receive(data: string): void { this.timeline.connectionOutput(this, data); }

  /** The server hung up on it (QUIT, CLIENT KILL ...). */
  receiveClosed(): void { this.timeline.connectionClosed(this); }

  /**
   * A bug in the engine dropped this connection, not the world (as server mode does). It happens
   * again, the same way, when the input is replayed.
   */
  failed(error: unknown): void { this.timeline.connectionClosed(this, error); }
}

/** The time of the world's next scheduled event that is not cancelled, or Infinity. */
export function nextEventTime(world: World): number {
  world.scheduler.popDue(-Infinity); // drops cancelled events at the head; runs nothing
  return world.scheduler.nextAt;
}

/** Runs the world's next scheduled event alone, moving the clock to its time. */
function runNextEvent(world: World): void {
  const at = nextEventTime(world);
  if (at === Infinity) return;
  const ev = world.scheduler.popDue(at)!;
  if (ev.at > world.now) world.clock.set(ev.at);
  world.runEvent(ev.event);
}

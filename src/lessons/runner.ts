// The headless lesson runner: a lesson's world on a timeline (as the app's worker runs it), its
// clients 1..n connected, command lines typed into them as redis-cli would send them, virtual time
// passed on request, the journal kept from the replies, and the current step checked after every
// command — the app's rule (stepper.ts). The tests play every lesson's reference solution with it.
import { Timeline } from '../engine/sim/timeline.ts';
import { lessonFacts, type LessonFacts } from '../engine/trace/lessonFacts.ts';
import type { RedisServer } from '../engine/server/redisServer.ts';
import { ReplyReader, type Reply } from '../ui/engine/replyReader.ts';
import { MAIN_SERVER, mainServer } from '../worker/engineHost.ts';
import { checkStep, stepPredicates, factsFor, type StepResult } from './evaluate.ts';
import { commandName, isDisabled, journalEntry, type JournalEntry } from './journal.ts';
import type { Lesson, SolutionLine } from './schema.ts';
import { LessonStepper, type StepCheck } from './stepper.ts';
import { buildLessonWorld, encodeRequest, splitCommandLine } from './world.ts';

/** Lesson client n's address: what CLIENT LIST shows, and how facts name it. */
export function lessonClientAddr(n: number): string {
  return `127.0.0.1:${52000 + n}`;
}

const SUBSCRIBE_FAMILY = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']);
const MESSAGE_KINDS = new Set(['message', 'pmessage', 'smessage']);
/** Scheduler events run at most while waiting for one command's replies (a runaway guard). */
const MAX_WAIT_EVENTS = 100_000;

/** The first element of an array/push reply, if it is a string. */
function head(reply: Reply): string | null {
  if (reply.kind !== 'array' && reply.kind !== 'push') return null;
  const first = reply.items[0];
  return first && first.kind === 'bulk' ? first.text.toLowerCase() : null;
}

export class LessonRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LessonRunError';
  }
}

interface ClientState {
  reader: ReplyReader;
  /** Commands sent whose reply has not come yet (a blocked BLPOP, a reply still on the network). */
  pending: string[][];
  /** Subscription confirmations still to come for a command already journaled. */
  extraConfirmations: number;
  closed: boolean;
}

export class LessonRunner {
  readonly timeline: Timeline;
  readonly stepper: LessonStepper;
  private readonly clients = new Map<number, ClientState>();
  /** Clients that received bytes since the last collect, in the order the bytes came. */
  private readonly arrivals: number[] = [];
  /** Every check made, in order (after each command and each wait). */
  readonly checks: StepCheck[] = [];

  constructor(readonly lesson: Lesson) {
    this.timeline = new Timeline(() => buildLessonWorld(lesson.setup));
    mainServer(this.timeline.world);
    this.stepper = new LessonStepper(lesson);
    this.timeline.sink = {
      write: (id, data) => {
        const state = this.clients.get(Number(id));
        if (!state) return;
        this.arrivals.push(Number(id));
        const bytes = new Uint8Array(data.length);
        for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i);
        state.reader.feed(bytes);
      },
      closed: (id, error) => {
        const state = this.clients.get(Number(id));
        if (state) state.closed = true;
        if (error !== undefined) throw new LessonRunError(`client ${id}: the engine failed: ${String(error)}`);
      },
    };
    for (let n = 1; n <= this.stepper.clients; n++) {
      this.clients.set(n, { reader: new ReplyReader(), pending: [], extraConfirmations: 0, closed: false });
      this.timeline.connect(String(n), MAIN_SERVER, lessonClientAddr(n), '127.0.0.1:6379');
    }
  }

  get server(): RedisServer { return mainServer(this.timeline.world); }
  get journal(): readonly JournalEntry[] { return this.stepper.journal; }

  /** The facts the current step needs (or those of `predicates`), read from the world now. */
  facts(query = this.stepper.factsQuery()): LessonFacts {
    const q = query ?? factsFor([]);
    return lessonFacts(this.server, { ...q, clients: q.clients.map((c) => ({ n: c.n, addr: lessonClientAddr(c.n) })) });
  }

  /** Judges the current step as things stand, without moving on (null once finished). */
  judge(): StepResult | null {
    const step = this.stepper.step;
    if (!step) return null;
    return checkStep(step, this.facts(factsFor(stepPredicates(step))), this.stepper.stepJournal());
  }

  /** Checks the current step as the app does after a command: moves on when it is done. */
  check(): StepCheck | null {
    if (this.stepper.finished) return null;
    const result = this.stepper.check(this.facts());
    if (result) this.checks.push(result);
    return result;
  }

  /**
   * Types a command line into client n (redis-cli's splitting; a repeat count sends it that many
   * times) and checks the current step after each command, as the app does. `check` is the last.
   */
  type(client: number, line: string): { entries: JournalEntry[]; checks: (StepCheck | null)[]; check: StepCheck | null } {
    const state = this.clients.get(client);
    if (!state) throw new LessonRunError(`the lesson has no client ${client} (clients: ${this.stepper.clients})`);
    if (state.closed) throw new LessonRunError(`client ${client} was disconnected by the server`);
    const { argv, repeat } = splitCommandLine(line);
    const name = commandName(argv, this.server.commands);
    if (isDisabled(this.lesson.disabled, name)) throw new LessonRunError(`${JSON.stringify(line)}: '${name}' is disabled in this lesson`);
    const before = this.stepper.journal.length;
    const checks: (StepCheck | null)[] = [];
    for (let i = 0; i < repeat; i++) {
      state.pending.push(argv);
      this.timeline.feed(String(client), encodeRequest(argv));
      this.settle(client);
      checks.push(this.check());
    }
    const entries = this.stepper.journal.slice(before);
    return { entries, checks, check: checks[checks.length - 1] ?? null };
  }

  /** Lets `ms` of virtual time pass (cron, expiries, timeouts, late replies), then checks. */
  wait(ms: number): StepCheck | null {
    this.timeline.advance(ms);
    this.collect();
    return this.check();
  }

  /** Plays one line of a reference solution. */
  play(line: SolutionLine): StepCheck | null {
    if (typeof line === 'string') return this.type(1, line).check;
    if ('waitMs' in line) return this.wait(line.waitMs);
    return this.type(line.client, line.command).check;
  }

  /**
   * Reads the replies that arrived; while `client` still waits for one that is on its way (on the
   * network, or held by a busy server), runs the world's next events until it comes. A command
   * that blocks (BLPOP ...) stays pending: its reply is journaled when it arrives.
   */
  private settle(client: number): void {
    const state = this.clients.get(client)!;
    const world = () => this.timeline.world;
    for (let events = 0; ; events++) {
      this.collect();
      if (state.pending.length === 0 || state.closed) return;
      const net = world().inFlight;
      const onTheWay = net.requests + net.replies > 0 || this.server.busyUntil > 0;
      if (!onTheWay) return;
      if (events >= MAX_WAIT_EVENTS || !this.timeline.stepEvent()) {
        throw new LessonRunError(`client ${client}: no reply to ${JSON.stringify(state.pending[0].join(' '))} after ${events} scheduler events`);
      }
    }
  }

  /** Journals every complete reply the clients have received, clients in the order their bytes came. */
  private collect(): void {
    const order = [...new Set(this.arrivals.splice(0))];
    for (const n of order) {
      const state = this.clients.get(n)!;
      for (let reply = state.reader.next(); reply; reply = state.reader.next()) {
        const kind = head(reply);
        if (kind !== null && MESSAGE_KINDS.has(kind)) continue; // a published message, not a reply
        if (kind !== null && SUBSCRIBE_FAMILY.has(kind)) {
          // SUBSCRIBE a b answers once per channel: the first answer is the command's reply.
          if (state.extraConfirmations > 0) { state.extraConfirmations--; continue; }
          const next = state.pending[0];
          if (!next || !SUBSCRIBE_FAMILY.has(commandName(next))) continue; // the rest of an UNSUBSCRIBE of all
        } else if (reply.kind === 'push') {
          continue; // RESP3 out-of-band data (tracking invalidation ...)
        }
        const argv = state.pending.shift();
        if (!argv) continue; // nothing asked: a push (tracking invalidation, MONITOR line ...)
        const entry = journalEntry(n, argv, reply, this.server.commands);
        if (SUBSCRIBE_FAMILY.has(entry.name) && argv.length > 2) state.extraConfirmations += argv.length - 2;
        this.stepper.record(entry);
      }
    }
  }
}

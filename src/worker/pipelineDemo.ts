// The event loop panel's pipeline demo: a client of its own sends N commands either as N round
// trips (the next one once the previous reply arrived) or as one pipeline (all in one write). The
// host sends what this says, as real client input through the timeline, and hands it what arrives;
// this only decides what to send next and counts complete replies with the virtual time each came.
import { binaryToBytes } from '../engine/bytes.ts';

export type PipelineDemoMode = 'round-trips' | 'pipeline';

export interface PipelineDemoRequest {
  /** How many commands (1..MAX_DEMO_COMMANDS). */
  count: number;
  /** The command, as arguments (byte strings); its name must be one of DEMO_COMMANDS. */
  argv: string[];
  mode: PipelineDemoMode;
}

export interface PipelineDemoResult {
  mode: PipelineDemoMode;
  count: number;
  argv: string[];
  /** CLIENT ID of the demo's connection (its lane in the panel). */
  client: number;
  /** The network's one-way latency when the run started (ms). */
  latencyMs: number;
  /** Virtual ms: the first command sent, the last reply arrived; and their difference. */
  startedAt: number;
  endedAt: number;
  totalMs: number;
  /** When each reply arrived (virtual ms), in order. */
  replyTimes: number[];
}

export const MAX_DEMO_COMMANDS = 1000;
/** Commands the demo runs: they never block, so a run always ends. */
export const DEMO_COMMANDS = new Set(['ping', 'echo', 'incr', 'get', 'set', 'exists', 'sadd', 'lpush', 'rpush', 'hset', 'zadd', 'dbsize']);

/** Why a request cannot run, or null. */
export function checkDemoRequest(r: PipelineDemoRequest): string | null {
  if (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_DEMO_COMMANDS) return `the count must be 1 to ${MAX_DEMO_COMMANDS}`;
  if (r.mode !== 'round-trips' && r.mode !== 'pipeline') return `unknown mode '${String(r.mode)}'`;
  if (!Array.isArray(r.argv) || r.argv.length === 0 || !r.argv.every((a) => typeof a === 'string')) return 'no command';
  if (!DEMO_COMMANDS.has(r.argv[0].toLowerCase())) return `the demo does not run '${r.argv[0]}'`;
  return null;
}

/** A RESP request for `argv` (byte strings) as a byte string. */
function frame(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/**
 * Where the complete RESP2/RESP3 reply starting at `pos` ends, or -1 if it is not complete yet.
 * (An attribute map comes before the reply it describes and is part of it.)
 */
export function replyEnd(buf: string, pos: number): number {
  if (pos >= buf.length) return -1;
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return -1;
  const type = buf[pos];
  const n = Number(buf.slice(pos + 1, eol));
  let at = eol + 2;
  switch (type) {
    case '$': case '!': case '=':
      if (n < 0) return at;
      return buf.length >= at + n + 2 ? at + n + 2 : -1;
    case '*': case '~': case '>': case '%': case '|': {
      const items = n < 0 ? 0 : type === '%' || type === '|' ? 2 * n : n;
      for (let i = 0; i < items; i++) {
        at = replyEnd(buf, at);
        if (at < 0) return -1;
      }
      return type === '|' ? replyEnd(buf, at) : at;
    }
    default:
      return at; // + - : _ , # ( : one line
  }
}

/** One run of the demo. */
export class PipelineDemo {
  private sent = 0;
  private due = true;
  private buffer = '';
  readonly replyTimes: number[] = [];
  /** Virtual ms the first command was sent, once it was. */
  startedAt: number | null = null;

  constructor(
    readonly id: number,
    /** The host's connection id for it (a timeline client). */
    readonly connection: string,
    readonly request: PipelineDemoRequest,
    readonly latencyMs: number,
    readonly client: number,
  ) {}

  /** The bytes to send now (`now`: virtual ms), or null while it waits for replies. */
  next(now: number): Uint8Array | null {
    if (!this.due || this.sent >= this.request.count) return null;
    this.due = false;
    this.startedAt ??= now;
    const one = frame(this.request.argv);
    const n = this.request.mode === 'pipeline' ? this.request.count : 1;
    this.sent += n;
    return binaryToBytes(one.repeat(n));
  }

  /** Bytes that reached the demo's client at virtual ms `now`. */
  received(data: string, now: number): void {
    this.buffer += data;
    let pos = 0;
    for (let end = replyEnd(this.buffer, pos); end >= 0; end = replyEnd(this.buffer, pos)) {
      pos = end;
      this.replyTimes.push(now);
    }
    this.buffer = this.buffer.slice(pos);
    // Round trips: every reply so far is in, the next command goes.
    if (this.replyTimes.length >= this.sent) this.due = true;
  }

  get done(): boolean {
    return this.replyTimes.length >= this.request.count;
  }

  result(): PipelineDemoResult {
    const startedAt = this.startedAt ?? 0;
    const endedAt = this.replyTimes[this.replyTimes.length - 1] ?? startedAt;
    return {
      mode: this.request.mode, count: this.request.count, argv: this.request.argv.slice(), client: this.client,
      latencyMs: this.latencyMs, startedAt, endedAt, totalMs: endedAt - startedAt, replyTimes: this.replyTimes.slice(),
    };
  }
}

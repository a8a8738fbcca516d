// SLOWLOG (slowlog.c): the latest commands whose duration reached slowlog-log-slower-than
// microseconds, newest first, at most slowlog-max-len of them. Durations are the engine's modelled
// ones (cost.ts), so "slow" means "did a lot of work", not "JavaScript was slow".
import type { Client } from './client.ts';
import type { Command } from './commandTable.ts';
import type { RedisServer } from './redisServer.ts';
import { clientPeerId } from './clientInfo.ts';

/** SLOWLOG_ENTRY_MAX_ARGC: arguments kept per entry (the last one says how many were left out). */
export const SLOWLOG_ENTRY_MAX_ARGC = 32;
/** SLOWLOG_ENTRY_MAX_STRING: bytes kept per argument. */
export const SLOWLOG_ENTRY_MAX_STRING = 128;

export interface SlowLogEntry {
  readonly id: number;
  /** Unix time in seconds when the command finished. */
  readonly time: number;
  /** Modelled microseconds. */
  readonly duration: number;
  readonly argv: readonly string[];
  /** The client's address ("ip:port") and name ('' without one), as they were then. */
  readonly peer: string;
  readonly name: string;
}

/** slowlogCreateEntry's copy of the arguments: at most 32, each at most 128 bytes. */
export function slowlogArgv(argv: readonly string[]): string[] {
  const argc = Math.min(argv.length, SLOWLOG_ENTRY_MAX_ARGC);
  const out: string[] = [];
  for (let j = 0; j < argc; j++) {
    if (argc !== argv.length && j === argc - 1) {
      out.push(`... (${argv.length - argc + 1} more arguments)`);
    } else if (argv[j].length > SLOWLOG_ENTRY_MAX_STRING) {
      out.push(argv[j].slice(0, SLOWLOG_ENTRY_MAX_STRING) + `... (${argv[j].length - SLOWLOG_ENTRY_MAX_STRING} more bytes)`);
    } else {
      out.push(argv[j]);
    }
  }
  return out;
}

export class SlowLog {
  /** Newest first. */
  entries: SlowLogEntry[] = [];
  private nextId = 0;

  constructor(readonly server: RedisServer) {}

  /** slowlogPushCurrentCommand: commands flagged skip_slowlog (EXEC) are never logged. */
  push(c: Client, cmd: Command, argv: readonly string[], durationUs: number): void {
    if (cmd.flags.has('skip_slowlog')) return;
    this.pushEntryIfNeeded(c, argv, durationUs);
  }

  /** slowlogPushEntryIfNeeded */
  pushEntryIfNeeded(c: Client, argv: readonly string[], durationUs: number): void {
    const config = this.server.config;
    const slowerThan = config.num('slowlog-log-slower-than');
    if (slowerThan < 0) return;
    if (durationUs >= slowerThan) {
      this.entries.unshift({
        id: this.nextId++,
        time: Math.floor(this.server.clock.now() / 1000),
        duration: durationUs,
        argv: slowlogArgv(argv),
        peer: clientPeerId(c),
        name: c.name ?? '',
      });
    }
    const maxLen = config.num('slowlog-max-len');
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  /** slowlogReset: the entries go, the id counter stays. */
  reset(): void {
    this.entries = [];
  }
}

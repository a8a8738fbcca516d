// Runs commands against an in-process engine server (no sockets) on a virtual clock and returns
// raw or parsed replies, so unit tests can also look at the stored objects (encodings, dict
// tables), the server's state and its hooks directly.
import { RedisServer } from '../../src/engine/server/redisServer.ts';
import type { Client } from '../../src/engine/server/client.ts';
import type { RedisObject } from '../../src/engine/server/object.ts';
import { VirtualClock } from '../../src/engine/sim/clock.ts';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { parseResp, type RespValue } from './respValue.ts';

/** A command as the RESP bytes a client sends, from byte-string arguments (chars 0..255). */
export function commandFrame(argv: readonly string[]): Uint8Array {
  let frame = `*${argv.length}\r\n`;
  for (const a of argv) frame += `$${a.length}\r\n${a}\r\n`;
  return Uint8Array.from(frame, (ch) => ch.charCodeAt(0));
}

export class EngineHarness {
  readonly clock = new VirtualClock();
  readonly server: RedisServer;
  readonly client: Client;
  private output = '';

  constructor(options: { seed?: number; config?: Record<string, string> } = {}) {
    this.server = new RedisServer({
      clock: this.clock,
      random: new SeededRandom(options.seed ?? 1),
      config: options.config,
    });
    this.client = this.server.connect({
      write: (data) => { this.output += data; },
      close: () => {},
    });
  }

  /**
   * Runs one command and returns its raw reply (a byte string). A command that keeps the server's
   * thread busy past the current millisecond (a slow command, or the last of a long run of
   * commands at one instant: RedisServer.threadFreeUs) holds its reply until the clock gets there,
   * so virtual time moves on to that point, as it would in a world.
   */
  raw(...argv: string[]): string {
    this.output = '';
    this.client.feed(commandFrame(argv));
    this.waitWhileBusy();
    return this.output;
  }

  /** Moves the clock to the end of the server's busy spell (and any that follows), resuming it. */
  waitWhileBusy(): void {
    while (this.server.busyUntil > 0) {
      if (this.clock.now() < this.server.busyUntil) this.clock.set(this.server.busyUntil);
      this.server.resume();
    }
  }

  run(...argv: string[]): RespValue {
    return parseResp(this.raw(...argv));
  }

  /** The stored object at key in db 0, without touching stats or LRU. */
  object(key: string): RedisObject | null {
    return this.server.dbs[0].dict.get(key) ?? null;
  }

  encoding(key: string): string | null {
    return this.object(key)?.encoding ?? null;
  }

  setProtocol(p: 2 | 3): void {
    this.client.reply.protocol = p;
  }

  /**
   * Replaces the server's keyspace-event and modified-key hooks with recorders; returns the list
   * they fill, in call order, as "event:key" and "signal:key".
   */
  recordEvents(): string[] {
    const events: string[] = [];
    this.server.notifyKeyspaceEvent = (_type, event, key) => { events.push(`${event}:${key}`); };
    this.server.signalModifiedKey = (_client, _db, key) => { events.push(`signal:${key}`); };
    return events;
  }
}

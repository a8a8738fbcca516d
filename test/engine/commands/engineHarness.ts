// Runs commands against an in-process engine server (no sockets) and returns parsed replies, so
// unit tests can also look at the stored objects (encodings, dict tables) directly.
import { RedisServer } from '../../../src/engine/server/redisServer.ts';
import type { Client } from '../../../src/engine/server/client.ts';
import type { RedisObject } from '../../../src/engine/server/object.ts';
import { VirtualClock } from '../../../src/engine/sim/clock.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import { parseResp, type RespValue } from '../../support/respParse.ts';

export class EngineHarness {
  readonly server: RedisServer;
  readonly client: Client;
  private output = '';

  constructor(options: { seed?: number; config?: Record<string, string> } = {}) {
    this.server = new RedisServer({
      clock: new VirtualClock(),
      random: new SeededRandom(options.seed ?? 1),
      config: options.config,
    });
    this.client = this.server.connect({
      write: (data) => { this.output += data; },
      close: () => {},
    });
  }

  /** Runs one command and returns its raw reply (a byte string). */
  raw(...argv: string[]): string {
    this.output = '';
    let frame = `*${argv.length}\r\n`;
    for (const a of argv) frame += `$${a.length}\r\n${a}\r\n`;
    const bytes = new Uint8Array(frame.length);
    for (let i = 0; i < frame.length; i++) bytes[i] = frame.charCodeAt(i);
    this.client.feed(bytes);
    return this.output;
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
}

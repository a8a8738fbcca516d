// Differential testing: the same commands go to a real redis-server 7.0 and to the engine's server
// mode, and the raw reply bytes must be identical. Real Redis is the oracle.
import { expect } from 'vitest';
import { startRespServer, type RunningServer } from '../../src/node/respServer.ts';
import { RespClient } from '../support/respClient.ts';
import { parseResp, unordered, unorderedPairs, type RespValue } from '../support/respValue.ts';
import { startRealRedis, type RealRedis } from '../support/realRedis.ts';

export type Command = (string | Buffer)[];

/** Shows a reply's bytes readably in a failure message. */
export function show(b: Buffer): string {
  return JSON.stringify(b.toString('latin1'));
}

/** A command for a failure message: binary arguments by their length, the whole cut short. */
export function describeCommand(cmd: Command): string {
  return cmd.map((a) => (typeof a === 'string' ? a : `<${a.length} bytes>`)).join(' ').slice(0, 300);
}

/**
 * Tests write binary values as byte strings (chars 0..255); those must go out as those bytes, not
 * as UTF-8, so arguments with chars above 0x7f become latin1 Buffers.
 */
export function wire(cmd: Command): Command {
  return cmd.map((a) => (typeof a === 'string' && /[^\x00-\x7f]/.test(a) ? Buffer.from(a, 'latin1') : a));
}

/** Like ClientPair.checkAll, for commands written with byte strings (see wire). */
export function checkAllBytes(p: ClientPair, commands: Command[]): Promise<void> {
  return p.checkAll(commands.map(wire));
}

/**
 * Sends cmd (through wire) to both; the replies must have the same canonical form (errors: the
 * same bytes). Returns the real reply, parsed.
 */
async function checkCanonical(p: ClientPair, canonical: (v: RespValue) => string, cmd: Command): Promise<RespValue> {
  const [r, e] = await p.both(...wire(cmd));
  if (r[0] === 0x2d || e[0] === 0x2d) expect(show(e), describeCommand(cmd)).toBe(show(r));
  else expect(canonical(parseResp(e)), describeCommand(cmd)).toBe(canonical(parseResp(r)));
  return parseResp(r);
}

/** Replies compared in any order, at every depth (Redis's order is a hashtable's). */
export function checkUnordered(p: ClientPair, ...cmd: Command): Promise<RespValue> {
  return checkCanonical(p, unordered, cmd);
}

/** Like checkUnordered, with a RESP2 flat array read as pairs that stay together (HGETALL). */
export function checkUnorderedPairs(p: ClientPair, ...cmd: Command): Promise<RespValue> {
  return checkCanonical(p, unorderedPairs, cmd);
}

/**
 * Returns a `keys(...names)` that gives fresh key names on every call (prefix, call number,
 * name), so no test depends on another's leftovers.
 */
export function uniqueKeys(prefix: string): (...names: string[]) => string[] {
  let calls = 0;
  return (...names) => {
    calls++;
    return names.map((n) => `${prefix}${calls}:${n}`);
  };
}

/** A connection to each side, used in lockstep. */
export class ClientPair {
  constructor(readonly real: RespClient, readonly engine: RespClient) {}

  /** Sends cmd to both and returns both replies, unchecked. */
  async both(...cmd: Command): Promise<[Buffer, Buffer]> {
    return Promise.all([this.real.call(...cmd), this.engine.call(...cmd)]);
  }

  /** Sends cmd to both; the replies must be byte-identical. Returns the reply. */
  async check(...cmd: Command): Promise<string> {
    const [r, e] = await this.both(...cmd);
    expect(show(e), `reply to: ${describeCommand(cmd)}`).toBe(show(r));
    return r.toString('latin1');
  }

  /** Sends many commands (pipelined) and checks every reply. */
  async checkAll(commands: Command[]): Promise<void> {
    const [rs, es] = await Promise.all([this.real.pipeline(commands), this.engine.pipeline(commands)]);
    for (let i = 0; i < commands.length; i++) {
      expect(show(es[i]), `reply #${i} to: ${describeCommand(commands[i])}`).toBe(show(rs[i]));
    }
  }

  /** Sends cmd to both and lets the caller compare replies that may differ by nature. */
  async compare(cmd: Command, check: (real: Buffer, engine: Buffer) => void): Promise<void> {
    const [r, e] = await this.both(...cmd);
    check(r, e);
  }

  /** Sends raw bytes (e.g. malformed protocol) and checks what comes back until the reply. */
  async checkRaw(data: string | Buffer): Promise<string> {
    this.real.sendRaw(data);
    this.engine.sendRaw(data);
    const [r, e] = await Promise.all([this.real.next(), this.engine.next()]);
    expect(show(e), `reply to raw: ${JSON.stringify(data.toString())}`).toBe(show(r));
    return r.toString('latin1');
  }

  close(): void { this.real.close(); this.engine.close(); }
}

export class DifferentialPair {
  private pairs: ClientPair[] = [];

  private constructor(readonly real: RealRedis, readonly engine: RunningServer, readonly main: ClientPair) {}

  /** Starts both servers with the same settings and connects one client to each. */
  static async start(config: Record<string, string> = {}): Promise<DifferentialPair> {
    const [real, engine] = await Promise.all([startRealRedis(config), startRespServer({ port: 0, config, seed: 1 })]);
    const main = new ClientPair(await RespClient.connect(real.port), await RespClient.connect(engine.port));
    const pair = new DifferentialPair(real, engine, main);
    pair.pairs.push(main);
    return pair;
  }

  /** Another connection to each side (for multi-client cases). */
  async connect(): Promise<ClientPair> {
    const p = new ClientPair(await RespClient.connect(this.real.port), await RespClient.connect(this.engine.port));
    this.pairs.push(p);
    return p;
  }

  check(...cmd: Command) { return this.main.check(...cmd); }
  checkAll(commands: Command[]) { return this.main.checkAll(commands); }
  compare(cmd: Command, check: (real: Buffer, engine: Buffer) => void) { return this.main.compare(cmd, check); }
  both(...cmd: Command) { return this.main.both(...cmd); }

  /** FLUSHALL on both sides and resets the given settings (use between tests). */
  async reset(config: Record<string, string> = {}): Promise<void> {
    await this.main.both('FLUSHALL');
    for (const [k, v] of Object.entries(config)) await this.main.both('CONFIG', 'SET', k, v);
  }

  async stop(): Promise<void> {
    for (const p of this.pairs) p.close();
    await Promise.all([this.real.stop(), this.engine.close()]);
  }
}

/**
 * Runs a seeded random command stream against both sides in pipelined batches, comparing every
 * reply. `normalize` may map a reply that is random by nature to a comparable form.
 */
export async function checkRandomStream(
  pair: ClientPair,
  commands: Command[],
  options: { batch?: number; normalize?: (cmd: Command, reply: Buffer) => string } = {},
): Promise<void> {
  const batch = options.batch ?? 200;
  const norm = options.normalize ?? ((_c: Command, r: Buffer) => show(r));
  for (let i = 0; i < commands.length; i += batch) {
    const chunk = commands.slice(i, i + batch);
    const [rs, es] = await Promise.all([pair.real.pipeline(chunk), pair.engine.pipeline(chunk)]);
    for (let j = 0; j < chunk.length; j++) {
      const prefix = commands.slice(Math.max(0, i + j - 5), i + j).map(describeCommand).join(' ; ');
      expect(norm(chunk[j], es[j]), `reply #${i + j} to: ${describeCommand(chunk[j])} (after: ${prefix})`)
        .toBe(norm(chunk[j], rs[j]));
    }
  }
}

// Helpers for the introspection differential tests (CLIENT, MONITOR, SLOWLOG, AUTH): collecting
// every frame a connection receives (pushes included) up to a marker, and comparing what differs
// by nature between two servers (client ids, ports, timestamps) in normalized form.
import { expect } from 'vitest';
import { encodeCommand, type RespClient } from '../support/respClient.ts';
import { describeCommand, show, type ClientPair, type Command } from './harness.ts';

let markers = 0;

/**
 * Sends cmd, then PING with a fresh marker, and returns every frame that came before the marker's
 * reply (the command's reply, pushes, pub/sub messages, MONITOR lines), as byte strings. The
 * command must answer (not for a muted client, not inside MULTI where the marker would be queued).
 */
export async function framesUntilMarker(c: RespClient, cmd: Command | null, marker = `marker:${++markers}`): Promise<string[]> {
  const out: string[] = [];
  if (cmd) {
    // The marker goes out only once something came back, so the server has finished the command's
    // event loop cycle (BCAST invalidations are sent at its end) before it reads the marker.
    c.sendRaw(encodeCommand(cmd));
    out.push((await c.next()).toString('latin1'));
  }
  // PING with an argument answers even in RESP2 subscribed mode (as ["pong", marker]).
  c.sendRaw(encodeCommand(['PING', marker]));
  const echo = `$${marker.length}\r\n${marker}\r\n`;
  const subscribedEcho = `*2\r\n$4\r\npong\r\n${echo}`;
  for (;;) {
    const f = (await c.next()).toString('latin1');
    if (f === echo || f === subscribedEcho) return out;
    out.push(f);
  }
}

/** framesUntilMarker on both sides. */
export async function bothFrames(p: ClientPair, ...cmd: Command): Promise<[string[], string[]]> {
  const marker = `marker:${++markers}`;
  const c = cmd.length ? cmd : null;
  return Promise.all([framesUntilMarker(p.real, c, marker), framesUntilMarker(p.engine, c, marker)]);
}

/** Runs cmd on both sides; every frame received until then must be identical. */
export async function checkFrames(p: ClientPair, ...cmd: Command): Promise<string[]> {
  const [r, e] = await bothFrames(p, ...cmd);
  expect(e.map((f) => JSON.stringify(f)), `frames after: ${describeCommand(cmd)}`).toEqual(r.map((f) => JSON.stringify(f)));
  return r;
}

/** Each side's CLIENT ID for this connection pair. */
export async function clientIds(p: ClientPair): Promise<[number, number]> {
  const [r, e] = await p.both('CLIENT', 'ID');
  return [Number(r.toString().slice(1, -2)), Number(e.toString().slice(1, -2))];
}

/** Sends a command that differs per side (e.g. carries that side's client id); replies must match. */
export async function checkPerSide(p: ClientPair, make: (side: 'real' | 'engine') => Command, mask?: (s: string) => string): Promise<string> {
  const [r, e] = await Promise.all([p.real.call(...make('real')), p.engine.call(...make('engine'))]);
  const m = mask ?? ((s: string) => s);
  expect(m(show(e)), `reply to: ${describeCommand(make('real'))}`).toBe(m(show(r)));
  return r.toString('latin1');
}

/** The text of a CLIENT LIST / CLIENT INFO reply (bulk in RESP2, verbatim "txt:" in RESP3). */
export function clientListText(reply: Buffer | string): string {
  const s = typeof reply === 'string' ? reply : reply.toString('latin1');
  const header = s.indexOf('\r\n');
  const body = s.slice(header + 2, s.length - 2);
  return s[0] === '=' ? body.slice(4) : body;
}

/** One CLIENT LIST line as its fields in order. */
export function clientFields(line: string): [string, string][] {
  return line.split(' ').map((kv) => {
    const eq = kv.indexOf('=');
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  });
}

/** CLIENT LIST's lines (the text ends with a newline after each). */
export function clientLines(reply: Buffer | string): [string, string][][] {
  const text = clientListText(reply);
  expect(text === '' || text.endsWith('\n'), 'CLIENT LIST text ends with a newline').toBe(true);
  return text.split('\n').filter((l) => l !== '').map(clientFields);
}

/**
 * Gives each distinct address a stable label in order of first appearance, so two servers'
 * addresses (different ports) can be compared.
 */
export class AddressLabels {
  private readonly labels = new Map<string, string>();
  label(addr: string): string {
    let l = this.labels.get(addr);
    if (!l) this.labels.set(addr, (l = `addr${this.labels.size + 1}`));
    return l;
  }
}

/** Redis's CLIENT LIST fields, in the order 7.0 prints them. */
export const CLIENT_LIST_FIELDS = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf',
  'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user',
  'redir', 'resp',
];

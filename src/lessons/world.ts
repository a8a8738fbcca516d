// A lesson's starting world, built from its setup: a fresh world from the lesson's seed, the
// config set with CONFIG SET, the setup commands run by a client that then disconnects (so the
// lesson's own clients start clean, and nothing of the setup is in the journal), then time
// passing (the keys age, the cron runs), then the network's latency. The same setup builds the
// same world every time (fixed start time, seeded randomness): the app's timeline rebuilds it as
// the base a rewind goes back to, and the headless runner (runner.ts) plays reference solutions
// on it.
import { utf8ToBinary } from '../engine/bytes.ts';
import type { RedisServer } from '../engine/server/redisServer.ts';
import type { World } from '../engine/sim/world.ts';
import { ReplyReader, type Reply } from '../ui/engine/replyReader.ts';
import { parseLine } from '../ui/terminal/commandLine.ts';
import { createWorld, mainServer } from '../worker/engineHost.ts';
import type { Setup } from './schema.ts';

/** Every lesson world starts at this virtual time (unix ms): 2026-01-01T00:00:00Z. */
export const LESSON_START_TIME = Date.UTC(2026, 0, 1);
export const DEFAULT_LESSON_SEED = 1;
/** The setup client's address (CLIENT LIST addr=, while it is connected). */
export const SETUP_CLIENT_ADDR = '127.0.0.1:50000';

export class LessonSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LessonSetupError';
  }
}

/** A command line as redis-cli sends it: RESP multibulk of the split arguments (byte strings). */
export function encodeRequest(argv: readonly string[]): Uint8Array {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/**
 * A typed command line (text, as in a lesson file) as redis-cli makes it: UTF-8 bytes split like
 * sdssplitargs, with an optional repeat count ("3 INCR n"). Throws on a line redis-cli refuses.
 */
export function splitCommandLine(line: string): { argv: string[]; repeat: number } {
  const parsed = parseLine(utf8ToBinary(line));
  switch (parsed.kind) {
    case 'command': return { argv: parsed.command, repeat: parsed.repeat };
    case 'blank': throw new LessonSetupError(`empty command line`);
    case 'invalid': throw new LessonSetupError(`unbalanced quotes in ${JSON.stringify(line)}`);
    case 'badRepeat': throw new LessonSetupError(`bad repeat count in ${JSON.stringify(line)}`);
  }
}

/**
 * Runs command lines on `server` through a short-lived client; returns each reply. Errors throw. A
 * command that keeps the server busy holds its reply until the world's clock gets past it, so time
 * moves on to there (as it would for a learner typing it).
 */
function runSetupCommands(world: World, server: RedisServer, lines: { line: string; argv: string[] }[]): Reply[] {
  const reader = new ReplyReader();
  const client = server.connect({
    peer: SETUP_CLIENT_ADDR,
    local: '127.0.0.1:6379',
    write: (data) => { const b = new Uint8Array(data.length); for (let i = 0; i < data.length; i++) b[i] = data.charCodeAt(i); reader.feed(b); },
    close: () => {},
  });
  const replies: Reply[] = [];
  try {
    for (const { line, argv } of lines) {
      client.feed(encodeRequest(argv));
      let reply = reader.next();
      while (!reply && server.busyUntil > 0) {
        world.advance(Math.max(1, Math.ceil(server.busyUntil - world.now)));
        reply = reader.next();
      }
      if (!reply) throw new LessonSetupError(`setup command ${JSON.stringify(line)} got no reply (a blocking command?)`);
      if (reply.kind === 'error') throw new LessonSetupError(`setup command ${JSON.stringify(line)} failed: ${reply.text}`);
      replies.push(reply);
    }
  } finally {
    server.disconnect(client);
  }
  return replies;
}

/**
 * The lesson's starting world: one server ('main', as the worker runs it, DEBUG allowed), with the
 * setup applied. Throws LessonSetupError naming the command when part of the setup is refused.
 */
export function buildLessonWorld(setup: Setup, startTime = LESSON_START_TIME): World {
  const world = createWorld(setup.seed ?? DEFAULT_LESSON_SEED, startTime);
  const server = mainServer(world);
  const lines: { line: string; argv: string[] }[] = [];
  for (const [name, value] of Object.entries(setup.config ?? {})) {
    lines.push({ line: `CONFIG SET ${name} ${value}`, argv: ['CONFIG', 'SET', utf8ToBinary(name), utf8ToBinary(value)] });
  }
  for (const line of setup.commands ?? []) {
    const { argv, repeat } = splitCommandLine(line);
    for (let i = 0; i < repeat; i++) lines.push({ line, argv });
  }
  if (lines.length) runSetupCommands(world, server, lines);
  if (setup.advanceMs) world.advance(setup.advanceMs);
  if (setup.latencyMs) world.setLatency(setup.latencyMs);
  return world;
}

// MONITOR (replicationFeedMonitors): every command run, as a status line, to monitoring clients:
//   +<unix seconds>.<micros> [<db> <client addr>] "arg" "arg" ...
// call() feeds it after each command that is neither admin nor skip_monitor (EXEC's commands
// first, then EXEC); a refused EXEC is fed too, so the MULTI seen before it is closed.
import { reprBytes } from '../bytes.ts';
import type { Client } from './client.ts';
import { clientPeerId } from './clientInfo.ts';
import type { RedisServer } from './redisServer.ts';

/** The MONITOR line for a command (without the leading "+" and trailing CRLF). */
export function monitorLine(server: RedisServer, c: Client, argv: readonly string[]): string {
  const us = Math.floor(server.clock.now() * 1000);
  const seconds = Math.floor(us / 1e6);
  const micros = String(us - seconds * 1e6).padStart(6, '0');
  return `${seconds}.${micros} [${c.db.id} ${clientPeerId(c)}] ${argv.map(reprBytes).join(' ')}`;
}

/** replicationFeedMonitors. */
export function feedMonitors(server: RedisServer, c: Client, argv: readonly string[]): void {
  if (server.monitors.size === 0) return;
  const line = '+' + monitorLine(server, c, argv) + '\r\n';
  for (const monitor of server.monitors) {
    // A muted monitor (CLIENT REPLY OFF) gets nothing: these lines are plain replies, not pushes.
    if (monitor.replyOff) continue;
    monitor.reply.raw(line);
    server.queueWrite(monitor);
  }
}

// MONITOR (replicationFeedMonitors): every command run, as a status line, to monitoring clients.
// SCAFFOLD: the introspection helper replaces this file's bodies.
import type { Client } from './client.ts';
import type { RedisServer } from './redisServer.ts';

/** replicationFeedMonitors. */
export function feedMonitors(_server: RedisServer, _c: Client, _argv: readonly string[]): void {}

// SLOWLOG (slowlog.c): commands slower than slowlog-log-slower-than, by modelled duration.
// SCAFFOLD: the introspection helper replaces this file's bodies.
import type { Client } from './client.ts';
import type { Command } from './commandTable.ts';
import type { RedisServer } from './redisServer.ts';

export class SlowLog {
  constructor(readonly server: RedisServer) {}

  /** slowlogPushCurrentCommand. */
  push(_c: Client, _cmd: Command, _argv: readonly string[], _durationUs: number): void {}
}

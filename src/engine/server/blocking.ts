// Blocking operations (blocked.c): clients waiting for keys (BLPOP & co.), their timeouts on the
// virtual clock, and clients postponed by CLIENT PAUSE.
// SCAFFOLD: the blocking helper replaces this file's bodies.
import type { Client } from './client.ts';
import type { Db } from './db.ts';
import type { RedisServer } from './redisServer.ts';

export interface BlockedState {
  readonly type: 'list' | 'zset' | 'postpone';
  /** Absolute engine-clock time (ms) when the wait times out; 0 = forever. */
  readonly timeout: number;
}

export class Blocking {
  constructor(readonly server: RedisServer) {}

  /** Whether keys were signalled ready since the last handleClientsBlockedOnKeys. */
  get hasReadyKeys(): boolean { return false; }

  /** signalKeyAsReady: a list/zset key got elements (dbAdd of such a key, pushes). */
  signalKeyAsReady(_db: Db, _key: string): void {}

  /** handleClientsBlockedOnKeys: serves clients waiting on keys that got data. */
  handleClientsBlockedOnKeys(): void {}

  /** unblockClient: the client stops waiting (disconnect, CLIENT UNBLOCK, served, timed out). */
  unblockClient(_c: Client): void {}

  /** Replies to and unblocks clients whose timeout has passed; runs in beforeSleep. */
  handleTimeouts(): void {}
}

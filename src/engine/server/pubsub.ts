// Pub/Sub (pubsub.c) and keyspace notifications (notify.c).
// SCAFFOLD: the pub/sub helper replaces this file's bodies.
import type { Client } from './client.ts';
import type { NotifyClass } from './notify.ts';
import type { RedisServer } from './redisServer.ts';

export class PubSub {
  constructor(readonly server: RedisServer) {}

  /** pubsubUnsubscribeAllChannels + patterns, without replies (RESET, disconnect). */
  unsubscribeAll(c: Client): void {
    c.pubsubChannels.clear();
    c.pubsubPatterns.clear();
  }

  /** notifyKeyspaceEvent: publishes __keyspace@<db>__:<key> and __keyevent@<db>__:<event>. */
  notifyKeyspaceEvent(_type: NotifyClass, _event: string, _key: string, _dbid: number): void {}
}

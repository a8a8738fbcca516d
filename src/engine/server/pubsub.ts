// Pub/Sub (pubsub.c) and keyspace notifications (notify.c): the server's channel and pattern
// tables, the frames subscribers get, and publishing.
//
// Where Redis walks a hash table (the server's patterns when publishing, PUBSUB CHANNELS, a
// client's channels on a bare UNSUBSCRIBE) its order depends on a hash seed chosen at random when
// the process starts; these tables keep insertion order instead, which is one order Redis could
// give and is the same on every run. Subscribers of one channel or one pattern are served in the
// order they subscribed, as from Redis's per-channel client lists.
import type { Client } from './client.ts';
import { globMatch } from './glob.ts';
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, type NotifyClass } from './notify.ts';
import type { RedisServer } from './redisServer.ts';

/** One element of a push frame: a bulk string, an integer, or null (a bare UNSUBSCRIBE's channel). */
type FramePart = string | number | null;

/** Encodes a push frame as bytes: `*` in RESP2, `>` in RESP3. */
function encodeFrame(protocol: 2 | 3, parts: readonly FramePart[]): string {
  let s = (protocol === 3 ? '>' : '*') + parts.length + '\r\n';
  for (const p of parts) {
    if (p === null) s += protocol === 3 ? '_\r\n' : '$-1\r\n';
    else if (typeof p === 'number') s += ':' + p + '\r\n';
    else s += '$' + p.length + '\r\n' + p + '\r\n';
  }
  return s;
}

export class PubSub {
  /** server.pubsub_channels: channel -> its subscribers, in subscription order. */
  readonly channels = new Map<string, Set<Client>>();
  /** server.pubsub_patterns: pattern -> its subscribers, in subscription order. */
  readonly patterns = new Map<string, Set<Client>>();
  /** notify-keyspace-events as flags, re-read when the config changed. */
  private notifyFlags = 0;
  private notifyFlagsAt = -1;

  constructor(readonly server: RedisServer) {}

  /** clientSubscriptionsCount: channels plus patterns (shard channels are not implemented). */
  static subscriptionCount(c: Client): number {
    return c.pubsubChannels.size + c.pubsubPatterns.size;
  }

  /**
   * Writes a push frame to a client (addReplyPubsub*). Pushes are sent even while CLIENT REPLY
   * OFF/SKIP mutes the client's replies (CLIENT_PUSHING); for a muted client's own command the
   * frame is also kept aside so processInput can put it back after dropping the replies.
   */
  private push(c: Client, parts: readonly FramePart[]): void {
    if (c.closed || c.closeAfterReply) return;
    const r = c.reply;
    r.push(parts.length);
    for (const p of parts) {
      if (p === null) r.null();
      else if (typeof p === 'number') r.integer(p);
      else r.bulk(p);
    }
    if (c.mutedPushes !== null) c.mutedPushes.push(encodeFrame(c.protocol, parts));
    this.server.queueWrite(c);
  }

  // --- subscribing -----------------------------------------------------------------------------

  /** pubsubSubscribeChannel: confirms even when already subscribed. Returns whether it is new. */
  subscribeChannel(c: Client, channel: string): boolean {
    const added = !c.pubsubChannels.has(channel);
    if (added) {
      c.pubsubChannels.add(channel);
      let clients = this.channels.get(channel);
      if (!clients) this.channels.set(channel, (clients = new Set()));
      clients.add(c);
    }
    this.push(c, ['subscribe', channel, PubSub.subscriptionCount(c)]);
    return added;
  }

  /** pubsubUnsubscribeChannel: with notify, confirms even when not subscribed. */
  unsubscribeChannel(c: Client, channel: string, notify: boolean): boolean {
    const removed = c.pubsubChannels.delete(channel);
    if (removed) this.forget(this.channels, channel, c);
    if (notify) this.push(c, ['unsubscribe', channel, PubSub.subscriptionCount(c)]);
    return removed;
  }

  /** pubsubSubscribePattern */
  subscribePattern(c: Client, pattern: string): boolean {
    const added = !c.pubsubPatterns.has(pattern);
    if (added) {
      c.pubsubPatterns.add(pattern);
      let clients = this.patterns.get(pattern);
      if (!clients) this.patterns.set(pattern, (clients = new Set()));
      clients.add(c);
    }
    this.push(c, ['psubscribe', pattern, PubSub.subscriptionCount(c)]);
    return added;
  }

  /** pubsubUnsubscribePattern */
  unsubscribePattern(c: Client, pattern: string, notify: boolean): boolean {
    const removed = c.pubsubPatterns.delete(pattern);
    if (removed) this.forget(this.patterns, pattern, c);
    if (notify) this.push(c, ['punsubscribe', pattern, PubSub.subscriptionCount(c)]);
    return removed;
  }

  /** Drops a client from a channel's or pattern's subscribers, and the entry once nobody is left. */
  private forget(table: Map<string, Set<Client>>, name: string, c: Client): void {
    const clients = table.get(name)!;
    clients.delete(c);
    if (clients.size === 0) table.delete(name);
  }

  /**
   * pubsubUnsubscribeAllChannels: with notify, one frame per channel, or a single frame with a
   * null channel when the client had none. Returns how many there were.
   */
  unsubscribeAllChannels(c: Client, notify: boolean): number {
    let count = 0;
    for (const channel of [...c.pubsubChannels]) if (this.unsubscribeChannel(c, channel, notify)) count++;
    if (notify && count === 0) this.push(c, ['unsubscribe', null, PubSub.subscriptionCount(c)]);
    return count;
  }

  /** pubsubUnsubscribeAllPatterns: like unsubscribeAllChannels, in subscription order. */
  unsubscribeAllPatterns(c: Client, notify: boolean): number {
    let count = 0;
    for (const pattern of [...c.pubsubPatterns]) if (this.unsubscribePattern(c, pattern, notify)) count++;
    if (notify && count === 0) this.push(c, ['punsubscribe', null, PubSub.subscriptionCount(c)]);
    return count;
  }

  /** Everything, without frames (RESET, disconnect). */
  unsubscribeAll(c: Client): void {
    this.unsubscribeAllChannels(c, false);
    this.unsubscribeAllPatterns(c, false);
  }

  // --- publishing ------------------------------------------------------------------------------

  /**
   * pubsubPublishMessage: a "message" frame to each subscriber of the channel, then a "pmessage"
   * frame to each subscriber of each matching pattern. Returns the number of frames sent (a
   * client matching twice counts twice).
   */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers) {
      for (const c of subscribers) {
        this.push(c, ['message', channel, message]);
        receivers++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const c of clients) {
        this.push(c, ['pmessage', pattern, channel, message]);
        receivers++;
      }
    }
    return receivers;
  }

  // --- keyspace notifications ------------------------------------------------------------------

  /** server.notify_keyspace_events */
  private get notifyKeyspaceEvents(): number {
    const config = this.server.config;
    if (this.notifyFlagsAt !== config.generation) {
      this.notifyFlagsAt = config.generation;
      this.notifyFlags = config.num('notify-keyspace-events');
    }
    return this.notifyFlags;
  }

  /**
   * notifyKeyspaceEvent: when the event's class is enabled, publishes the event name to
   * __keyspace@<db>__:<key> (K) and the key to __keyevent@<db>__:<event> (E), in that order.
   */
  notifyKeyspaceEvent(type: NotifyClass, event: string, key: string, dbid: number): void {
    const flags = this.notifyKeyspaceEvents;
    if (!(flags & type)) return;
    // Publishing to nobody has no effect at all.
    if (this.channels.size === 0 && this.patterns.size === 0) return;
    if (flags & NOTIFY_KEYSPACE) this.publish(`__keyspace@${dbid}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) this.publish(`__keyevent@${dbid}__:${event}`, key);
  }
}

// Client-side caching support (tracking.c): CLIENT TRACKING remembers which keys a client read, and
// when one changes the server tells that client (or the client it redirects to) to drop it. In
// BCAST mode clients subscribe to key prefixes instead, and get every changed key under them once
// per event loop cycle. RESP3 clients get push messages; a RESP2 client needs a redirect to a
// connection subscribed in RESP2 mode, which gets them as messages on __redis__:invalidate.
import type { Client } from './client.ts';
import { getKeysFromCommand } from './keySpecs.ts';
import type { Command } from './commandTable.ts';
import type { RedisServer } from './redisServer.ts';

const TRACKING_CHANNEL = '__redis__:invalidate';

/** A client's tracking settings (the CLIENT_TRACKING_* flags and its prefixes). */
export class ClientTracking {
  /** Client id invalidations go to; 0 = this connection. */
  redirect = 0;
  bcast = false;
  optin = false;
  optout = false;
  noloop = false;
  /** CLIENT CACHING yes/no was given for the next command (CLIENT_TRACKING_CACHING). */
  caching = false;
  /** The redirect client went away (CLIENT_TRACKING_BROKEN_REDIR). */
  brokenRedirect = false;
  /** BCAST prefixes, in byte order as Redis's radix tree keeps them. */
  readonly prefixes: string[] = [];
}

/** The clients listening to one prefix and the keys under it changed in this cycle (bcastState). */
interface BcastState {
  /** Changed key -> the client that changed it last (NOLOOP clients skip their own). */
  keys: Map<string, Client | null>;
  clients: Set<Client>;
}

/** memcmp order (one char per byte, so plain string comparison). */
function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Radix trees iterate in byte order. */
function sortedKeys<T>(m: Map<string, T>): string[] {
  return [...m.keys()].sort(byteCompare);
}

/**
 * Client ids are radix tree keys as their 8 in-memory (little-endian) bytes, so Redis visits them
 * by lowest byte first.
 */
function compareIdBytes(a: number, b: number): number {
  let x = BigInt(a), y = BigInt(b);
  for (let i = 0; i < 8; i++) {
    const d = Number(x & 0xffn) - Number(y & 0xffn);
    if (d !== 0) return d;
    x >>= 8n;
    y >>= 8n;
  }
  return 0;
}

/** A RESP array of one bulk string. */
function keyArray(key: string): string {
  return `*1\r\n$${key.length}\r\n${key}\r\n`;
}

export class Tracking {
  /** TrackingTable: key -> ids of clients that may have it cached; null until tracking is first used. */
  private table: Map<string, Set<number>> | null = null;
  /** PrefixTable: BCAST prefixes. */
  private readonly prefixTable = new Map<string, BcastState>();
  /** TrackingTableTotalItems: client ids summed over the table. */
  totalItems = 0;
  /** server.tracking_clients */
  clientCount = 0;
  /** server.current_client while a command runs (invalidations for it wait for its reply). */
  private current: Client | null = null;
  /** tracking_pending_keys: invalidations for the running client, sent after its reply (null = flush). */
  private readonly pending: (string | null)[] = [];

  constructor(private readonly server: RedisServer) {}

  get totalKeys(): number { return this.table ? this.table.size : 0; }
  get totalPrefixes(): number { return this.prefixTable.size; }

  /** enableTracking: turns tracking on (again) with new options. */
  enable(c: Client, redirect: number, opts: { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }, prefixes: string[]): void {
    if (!c.tracking) {
      this.clientCount++;
      c.tracking = new ClientTracking();
    }
    const t = c.tracking;
    t.brokenRedirect = false;
    t.redirect = redirect;
    this.table ??= new Map();
    t.bcast = opts.bcast;
    if (opts.bcast) {
      if (prefixes.length === 0) this.enableBcastPrefix(c, '');
      for (const p of prefixes) this.enableBcastPrefix(c, p);
    }
    t.optin = opts.optin;
    t.optout = opts.optout;
    t.noloop = opts.noloop;
  }

  private enableBcastPrefix(c: Client, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (!bs) this.prefixTable.set(prefix, (bs = { keys: new Map(), clients: new Set() }));
    if (bs.clients.has(c)) return;
    bs.clients.add(c);
    const prefixes = c.tracking!.prefixes;
    prefixes.push(prefix);
    prefixes.sort(byteCompare);
  }

  /** disableTracking (CLIENT TRACKING off, RESET, disconnect). */
  disable(c: Client): void {
    const t = c.tracking;
    if (!t) return;
    if (t.bcast) {
      for (const p of t.prefixes) {
        const bs = this.prefixTable.get(p);
        if (!bs) continue;
        bs.clients.delete(c);
        if (bs.clients.size === 0) this.prefixTable.delete(p);
      }
    }
    c.tracking = null;
    this.clientCount--;
  }

  /**
   * checkPrefixCollisionsOrReply: no prefix may be a prefix of another, among the new ones and
   * those the client has. Replies with the error and returns false on a collision (but see below).
   */
  checkPrefixCollisions(c: Client, prefixes: readonly string[]): boolean {
    const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
    const cstr = (s: string) => { const nul = s.indexOf('\0'); return nul < 0 ? s : s.slice(0, nul); };
    for (let i = 0; i < prefixes.length; i++) {
      for (const existing of c.tracking?.prefixes ?? []) {
        if (overlaps(existing, prefixes[i])) {
          c.reply.error(`Prefix '${cstr(prefixes[i])}' overlaps with an existing prefix '${cstr(existing)}'. ` +
            'Prefixes for a single client must not overlap.');
          return false;
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(prefixes[i], prefixes[j])) {
          c.reply.error(`Prefix '${cstr(prefixes[i])}' overlaps with another provided prefix '${cstr(prefixes[j])}'. ` +
            'Prefixes for a single client must not overlap.');
          // Redis 7.0 returns the index here, so a collision found past the first prefix counts as
          // success: the error is sent and tracking is enabled anyway (followed by +OK).
          return i !== 0;
        }
      }
    }
    return true;
  }

  /** Marks the start and end of a top-level command (server.current_client, fixed_time_expire). */
  enterCommand(c: Client): void { this.current = c; }

  /** The client whose top-level command is running (server.current_client), or null between commands. */
  get currentClient(): Client | null { return this.current; }

  /**
   * What call() does for tracking after a command: a read-only command of a tracking (non-BCAST)
   * client remembers the keys it read; at the top level, pending invalidations for the client
   * that ran it go out after its reply.
   */
  afterCall(c: Client, cmd: Command, argv: readonly string[], topLevel: boolean): void {
    const t = c.tracking;
    if (t && !t.bcast && cmd.flags.has('readonly')) this.rememberKeys(c, t, cmd, argv);
    if (topLevel) {
      this.current = null;
      this.handlePending(c);
    }
  }

  /** trackingRememberKeys */
  private rememberKeys(c: Client, t: ClientTracking, cmd: Command, argv: readonly string[]): void {
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    if (cmd.flags.has('pubsub')) return; // shard channels are keys, but never cached
    for (const k of getKeysFromCommand(cmd, argv)) {
      const key = argv[k.pos];
      let ids = this.table!.get(key);
      if (!ids) this.table!.set(key, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.totalItems++;
      }
    }
  }

  /** resetClient's part: CLIENT CACHING holds for the next command (or transaction) only. */
  afterProcessed(c: Client): void {
    const t = c.tracking;
    if (t && !c.tx.multi && c.cmd?.parent?.name !== 'client') t.caching = false;
  }

  /** trackingInvalidateKey: `key` changed (by `by`, or by the server itself when null). */
  invalidateKey(by: Client | null, key: string, bcast = true): void {
    if (this.table === null) return;
    if (bcast && this.prefixTable.size > 0) this.rememberKeyToBroadcast(by, key);
    const ids = this.table.get(key);
    if (!ids) return;
    for (const id of [...ids].sort(compareIdBytes)) {
      const target = this.server.clients.get(id);
      if (!target || !target.tracking || target.tracking.bcast) continue;
      if (target.tracking.noloop && target === this.current) continue;
      if (target === this.current) this.pending.push(key);
      else this.sendMessage(target, keyArray(key));
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
  }

  private rememberKeyToBroadcast(by: Client | null, key: string): void {
    for (const [prefix, bs] of this.prefixTable) {
      if (key.startsWith(prefix)) bs.keys.set(key, by);
    }
  }

  /**
   * trackingInvalidateKeysOnFlush: every tracking client is told to drop everything, with a null
   * in the tracking client's protocol (RESP2's is "$-1", even when it goes to a redirect).
   */
  invalidateKeysOnFlush(): void {
    if (this.clientCount > 0) {
      for (const c of this.server.clients.values()) {
        if (!c.tracking) continue;
        if (c === this.current) this.pending.push(null);
        else this.sendMessage(c, c.protocol === 3 ? '_\r\n' : '$-1\r\n');
      }
    }
    if (this.table) {
      this.table = new Map();
      this.totalItems = 0;
    }
  }

  /** trackingHandlePendingKeyInvalidations */
  private handlePending(c: Client): void {
    if (this.pending.length === 0) return;
    for (const key of this.pending.splice(0)) {
      if (c.closed) continue;
      this.sendMessage(c, key === null ? (c.protocol === 3 ? '_\r\n' : '$-1\r\n') : keyArray(key));
    }
  }

  /** trackingBroadcastInvalidationMessages: runs in beforeSleep. */
  broadcastInvalidations(): void {
    if (this.table === null || this.clientCount === 0) return;
    for (const prefix of sortedKeys(this.prefixTable)) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size > 0) {
        const keys = sortedKeys(bs.keys);
        const all = this.broadcastReply(keys, bs.keys, null)!;
        for (const c of bs.clients) {
          if (c.tracking?.noloop) {
            const adhoc = this.broadcastReply(keys, bs.keys, c);
            if (adhoc) this.sendMessage(c, adhoc);
          } else {
            this.sendMessage(c, all);
          }
        }
      }
      bs.keys = new Map();
    }
  }

  /** trackingBuildBroadcastReply: the keys as a RESP array, without `skip`'s own changes. */
  private broadcastReply(keys: string[], by: Map<string, Client | null>, skip: Client | null): string | null {
    const sent = skip ? keys.filter((k) => by.get(k) !== skip) : keys;
    if (skip && sent.length === 0) return null;
    let proto = `*${sent.length}\r\n`;
    for (const k of sent) proto += `$${k.length}\r\n${k}\r\n`;
    return proto;
  }

  /**
   * sendTrackingMessage: an invalidation (`payload` is the RESP of the key array, or of null for a
   * flush) to the client or to the one it redirects to.
   */
  private sendMessage(c: Client, payload: string): void {
    const t = c.tracking!;
    let target = c;
    let redirected = false;
    if (t.redirect) {
      const redir = this.server.clients.get(t.redirect);
      if (!redir) {
        t.brokenRedirect = true;
        if (c.protocol === 3) {
          const id = String(t.redirect);
          this.push(c, `>2\r\n$21\r\ntracking-redir-broken\r\n:${id}\r\n`);
        }
        return;
      }
      target = redir;
      redirected = true;
    }
    if (target.protocol === 3) {
      this.push(target, '>2\r\n$10\r\ninvalidate\r\n' + payload);
    } else if (redirected && target.inPubSub) {
      this.push(target, `*3\r\n$7\r\nmessage\r\n$${TRACKING_CHANNEL.length}\r\n${TRACKING_CHANNEL}\r\n` + payload);
    }
    // Otherwise nothing: RESP2 has no way to push to the same connection.
  }

  /** Writes a push frame; like pub/sub messages it reaches a muted client too (CLIENT_PUSHING). */
  private push(target: Client, frame: string): void {
    target.reply.raw(frame);
    if (target.mutedPushes !== null) target.mutedPushes.push(frame);
    this.server.queueWrite(target);
  }
}

// Blocking operations (blocked.c, timeout.c and the client pause part of networking.c): clients
// waiting for keys (BLPOP & co.), their timeouts on the engine clock, and clients whose commands
// are postponed by CLIENT PAUSE.
//
// A blocking command that finds nothing to pop calls blockForKeys() with a `serve` object that
// knows how to finish it (an object, not a closure: a world holding it can be copied, sim/clone.ts). Creating a list or sorted set key (Db.add) signals the key as ready; after
// the command (or the whole EXEC) that did it, handleClientsBlockedOnKeys() serves the waiting
// clients of each ready key first come, first served, one pop each. A served, timed-out or
// unblocked client goes to a queue; beforeSleep runs the input it pipelined meanwhile.
import { type LongDouble, parseInteger, parseLongDouble } from '../numbers.ts';
import { getLongLongOrReply, isOption } from './args.ts';
import type { Client } from './client.ts';
import { mayReplicate, type Command } from './commandTable.ts';
import { modelledDurationUs } from './cost.ts';
import { LOOKUP_NONOTIFY, LOOKUP_NOSTATS, type Db } from './db.ts';
import type { RedisObject, RedisType } from './object.ts';
import type { RedisServer } from './redisServer.ts';

/** BLOCKED_LIST, BLOCKED_ZSET, BLOCKED_POSTPONE (CLIENT PAUSE). */
export type BlockType = 'list' | 'zset' | 'postpone';

/** How to finish a blocking command (with what it was given: which end, how many ...). */
export interface ServeBlocked {
  /**
   * Finishes the command for a client waiting on `key`, which now holds `o` (of the type the
   * client waits for): pops, replies, fires the events. Returns whether it deleted the key.
   */
  serve(c: Client, key: string, o: RedisObject): boolean;
}

/** What a blocked client waits for (client->bpop). */
export class BlockedState {
  /** Modelled duration of the call that blocked (c->duration), for the stats when it ends. */
  durationUs = 0;

  constructor(
    readonly type: BlockType,
    /** Absolute engine-clock time (ms) when the wait times out; 0 = forever. */
    readonly timeout: number,
    /** The database of the keys (the client's when it blocked). */
    readonly db: Db,
    /** The keys waited for, each once, in the order given. */
    readonly keys: readonly string[],
    readonly serve: ServeBlocked | null,
    /** The blocking command and its arguments (for the stats and the slow log). */
    readonly cmd: Command | null,
    readonly argv: readonly string[],
  ) {}
}


/** CLIENT PAUSE modes, ordered by how much they hold (CLIENT_PAUSE_OFF/WRITE/ALL). */
export const PAUSE_OFF = 0;
export const PAUSE_WRITE = 1;
export const PAUSE_ALL = 2;
export type PauseType = typeof PAUSE_OFF | typeof PAUSE_WRITE | typeof PAUSE_ALL;

export class Blocking {
  /** server.blocked_clients_by_type */
  private readonly blockedByType: Record<BlockType, number> = { list: 0, zset: 0, postpone: 0 };
  /** db->blocking_keys: per database, each key's waiting clients in the order they blocked. */
  private readonly waiting = new Map<Db, Map<string, Client[]>>();
  /** server.ready_keys: keys signalled since the last handleClientsBlockedOnKeys, in order. */
  private readyKeys: { db: Db; key: string }[] = [];
  /** db->ready_keys: the same keys per database, so each is listed once. */
  private readonly readySets = new Map<Db, Set<string>>();
  /** clients_timeout_table: blocked clients with a timeout, by (timeout, client id). */
  private readonly timeoutTable: Client[] = [];
  /** server.unblocked_clients: clients whose pending input runs in beforeSleep, in order. */
  private readonly unblocked = new Set<Client>();
  /** server.postponed_clients */
  private readonly postponed = new Set<Client>();
  /** The pause CLIENT PAUSE asked for, until it ends or CLIENT UNPAUSE (a pause_event). */
  private pauseEvent: { type: PauseType; end: number } | null = null;
  /** server.client_pause_type and client_pause_end_time: in force until the next update. */
  pauseType: PauseType = PAUSE_OFF;
  pauseEndTime = 0;

  constructor(readonly server: RedisServer) {}

  /** server.blocked_clients (INFO clients), postponed clients included. */
  get blockedClients(): number {
    return this.blockedByType.list + this.blockedByType.zset + this.blockedByType.postpone;
  }

  /** INFO clients' clients_in_timeout_table. */
  get clientsInTimeoutTable(): number { return this.timeoutTable.length; }

  /** Whether keys were signalled ready since the last handleClientsBlockedOnKeys. */
  get hasReadyKeys(): boolean { return this.readyKeys.length > 0; }

  // --- blocking and unblocking -------------------------------------------------------------------

  /**
   * blockForKeys: the client waits until one of the keys gets data (serve then finishes its
   * command) or the timeout passes (0: forever). Its further input waits too.
   */
  blockForKeys(c: Client, type: 'list' | 'zset', keys: readonly string[], timeout: number, serve: ServeBlocked): void {
    const db = c.db;
    let byKey = this.waiting.get(db);
    if (!byKey) this.waiting.set(db, (byKey = new Map()));
    const distinct = [...new Set(keys)];
    for (const key of distinct) {
      let clients = byKey.get(key);
      if (!clients) byKey.set(key, (clients = []));
      clients.push(c);
    }
    this.blockClient(c, new BlockedState(type, timeout, db, distinct, serve, c.cmd, c.argv));
  }

  /** blockPostponeClient: CLIENT PAUSE holds the command; it runs again once the pause is over. */
  blockPostponeClient(c: Client): void {
    this.blockClient(c, new BlockedState('postpone', 0, c.db, [], null, c.cmd, c.argv));
    this.postponed.add(c);
    c.pendingCommand = true;
  }

  /** blockClient */
  private blockClient(c: Client, state: BlockedState): void {
    c.blocked = state;
    this.blockedByType[state.type]++;
    if (state.timeout !== 0) this.addToTimeoutTable(c);
  }

  /**
   * unblockClient: the client stops waiting (served, timed out, CLIENT UNBLOCK, disconnected, the
   * pause ended). What it pipelined meanwhile runs in beforeSleep (processUnblockedClients).
   */
  unblockClient(c: Client): void {
    const state = c.blocked;
    if (!state) return;
    if (state.type === 'postpone') {
      this.postponed.delete(c);
    } else {
      const byKey = this.waiting.get(state.db)!;
      for (const key of state.keys) {
        const clients = byKey.get(key)!;
        clients.splice(clients.indexOf(c), 1);
        if (clients.length === 0) byKey.delete(key);
      }
    }
    this.blockedByType[state.type]--;
    c.blocked = null;
    if (state.timeout !== 0) this.removeFromTimeoutTable(c);
    this.unblocked.add(c);
  }

  /**
   * Writes the final reply of a client blocked on keys and unblocks it. The reply obeys CLIENT REPLY
   * OFF/SKIP as of when the command ran, which then ends (resetClient's part).
   */
  private replyAndUnblock(c: Client, write: () => void): void {
    const mark = c.reply.pendingBytes;
    write();
    if (c.replyOff || c.replySkip) c.reply.dropSince(mark);
    c.replySkip = c.replySkipNext;
    c.replySkipNext = false;
    this.server.queueWrite(c);
    this.unblockClient(c);
  }

  /** CLIENT_UNBLOCKED: unblocked, its pending input not run yet (CLIENT LIST flag 'u'). */
  isQueuedForReprocessing(c: Client): boolean {
    return this.unblocked.has(c);
  }

  /**
   * processUnblockedClients (beforeSleep): runs the pending input of clients that were unblocked,
   * including a command CLIENT PAUSE postponed. Clients unblocked meanwhile are run too.
   */
  processUnblockedClients(): void {
    while (this.unblocked.size > 0) {
      const c: Client = this.unblocked.values().next().value!;
      this.unblocked.delete(c);
      if (!c.blocked && !c.closed) c.processInput();
    }
  }

  // --- keys getting ready ------------------------------------------------------------------------

  /**
   * signalKeyAsReady: a key of `type` was created (dbAdd) or appeared (SWAPDB). Queued for
   * handleClientsBlockedOnKeys if clients wait on it for that type.
   */
  signalKeyAsReady(db: Db, key: string, type: RedisType): void {
    if (type !== 'list' && type !== 'zset') return; // other types never block a client
    if (this.blockedByType[type] === 0) return;
    if (!this.waiting.get(db)?.has(key)) return;
    let ready = this.readySets.get(db);
    if (!ready) this.readySets.set(db, (ready = new Set()));
    if (ready.has(key)) return;
    ready.add(key);
    this.readyKeys.push({ db, key });
  }

  /** scanDatabaseForReadyKeys (SWAPDB): keys waited for that exist in db's new contents. */
  scanDatabaseForReadyKeys(db: Db): void {
    const byKey = this.waiting.get(db);
    if (!byKey) return;
    for (const key of byKey.keys()) {
      const o = db.dict.get(key);
      if (o) this.signalKeyAsReady(db, key, o.type);
    }
  }

  /**
   * handleClientsBlockedOnKeys: after a command, an EXEC or in beforeSleep, serves the clients
   * waiting on the keys that got ready. Serving a BLMOVE may make more keys ready: they are served
   * in the next round, until nothing is left.
   */
  handleClientsBlockedOnKeys(): void {
    while (this.readyKeys.length > 0) {
      const round = this.readyKeys;
      this.readyKeys = [];
      for (const { db, key } of round) {
        // From now on the key may be signalled again (by the BLMOVEs served below).
        this.readySets.get(db)!.delete(key);
        this.server.updateCachedTime();
        // The key may be gone again (deleted in the same transaction, expired) or of another type.
        const o = db.lookupKeyRead(key, LOOKUP_NONOTIFY | LOOKUP_NOSTATS);
        if (o && (o.type === 'list' || o.type === 'zset')) this.serveClientsBlockedOnKey(db, key, o, o.type);
      }
    }
  }

  /**
   * serveClientsBlockedOnListKey / serveClientsBlockedOnSortedSetKey: one pop per client, first
   * blocked first served, until the key is gone. Clients waiting for the other type stay blocked.
   */
  private serveClientsBlockedOnKey(db: Db, key: string, o: RedisObject, type: 'list' | 'zset'): void {
    if (this.blockedByType[type] === 0) return;
    const clients = this.waiting.get(db)?.get(key);
    if (!clients) return;
    for (const receiver of [...clients]) {
      const state = receiver.blocked;
      if (!state || state.type !== type) continue;
      let deleted = false;
      const before = receiver.reply.pendingBytes;
      receiver.reply.errorAt = -1;
      this.replyAndUnblock(receiver, () => {
        deleted = state.serve!.serve(receiver, key, o);
        const failed = receiver.reply.errorAt >= 0;
        if (failed) this.countErrorReply(receiver.reply.lastError);
        const replyUs = modelledDurationUs(0, receiver.reply.pendingBytes - before);
        this.updateStatsOnUnblock(state, replyUs, failed, state.argv, receiver);
      });
      if (deleted) break;
    }
  }

  /**
   * updateStatsOnUnblock: the command's time (the call that blocked plus the reply) and failure
   * count in INFO commandstats, and the slow log.
   */
  private updateStatsOnUnblock(state: BlockedState, replyUs: number, failed: boolean, argv: readonly string[], c: Client): void {
    if (!state.cmd) return;
    const total = state.durationUs + replyUs;
    const stats = this.server.stats.commandCalls.get(state.cmd.fullName);
    if (stats) {
      stats.usec += total;
      if (failed) stats.failed++;
    }
    this.server.slowlog.push(c, state.cmd, argv, total);
  }

  /** An error reply outside call() still counts in INFO errorstats (afterErrorReply). */
  private countErrorReply(line: string): void {
    const space = line.indexOf(' ');
    const code = space < 0 ? line : line.slice(0, space);
    const errors = this.server.stats.errorReplies;
    errors.set(code, (errors.get(code) ?? 0) + 1);
  }

  /**
   * CLIENT UNBLOCK's part: the client gets the reply of a timeout, or an UNBLOCKED error, and stops
   * waiting.
   */
  unblockByCommand(c: Client, state: BlockedState, withError: boolean): void {
    this.replyAndUnblock(c, () => {
      if (withError) {
        c.reply.error('-UNBLOCKED client unblocked via CLIENT UNBLOCK');
        this.countErrorReply(c.reply.lastError);
      } else {
        c.reply.nullArray();
      }
    });
    // Counted as failed whatever the reason, and logged once the client was reset, so with no
    // arguments (Redis updates the stats after unblockClient here).
    this.updateStatsOnUnblock(state, 0, true, [], c);
  }

  // --- timeouts ----------------------------------------------------------------------------------

  private addToTimeoutTable(c: Client): void {
    const t = this.timeoutTable;
    const timeout = c.blocked!.timeout;
    let lo = 0, hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = t[mid].blocked!.timeout;
      if (m < timeout || (m === timeout && t[mid].id < c.id)) lo = mid + 1;
      else hi = mid;
    }
    t.splice(lo, 0, c);
  }

  private removeFromTimeoutTable(c: Client): void {
    const i = this.timeoutTable.indexOf(c);
    if (i >= 0) this.timeoutTable.splice(i, 1);
  }

  /**
   * handleBlockedClientsTimeout (beforeSleep): clients whose timeout has passed get the null
   * reply of a timeout and are unblocked, earliest first.
   */
  handleTimeouts(): void {
    if (this.timeoutTable.length === 0) return;
    const now = Math.floor(this.server.clock.now());
    while (this.timeoutTable.length > 0) {
      const c = this.timeoutTable[0];
      if (c.blocked!.timeout >= now) break; // the rest are later
      this.replyAndUnblock(c, () => c.reply.nullArray());
    }
  }

  // --- CLIENT PAUSE ------------------------------------------------------------------------------

  /**
   * processCommand's pause check: under PAUSE ALL every command waits, under PAUSE WRITE those
   * that may write or replicate (EXEC by its queued commands).
   */
  mustPostpone(c: Client, cmd: Command): boolean {
    if (this.pauseType === PAUSE_OFF) return false;
    if (this.pauseType === PAUSE_ALL) return true;
    if (mayReplicate(cmd)) return true;
    return cmd.fullName === 'exec' && c.tx.multi !== null && c.tx.multi.commands.some((q) => mayReplicate(q.cmd));
  }

  /** pauseClients: a pause until `end` (ms); with one in force, the longer and stricter wins. */
  pauseClients(end: number, type: PauseType): void {
    const p = this.pauseEvent;
    if (!p) this.pauseEvent = { type, end };
    else {
      p.type = Math.max(p.type, type) as PauseType;
      p.end = Math.max(p.end, end);
    }
    this.updatePauseTypeAndEndTime();
  }

  /** unpauseClients */
  unpauseClients(): void {
    if (!this.pauseEvent) return;
    this.pauseEvent = null;
    this.updatePauseTypeAndEndTime();
  }

  /**
   * updateClientPauseTypeAndEndTime: drops a pause whose end has passed; when the pause got less
   * strict, the postponed clients are unblocked and try their command again.
   */
  private updatePauseTypeAndEndTime(): void {
    const old = this.pauseType;
    if (this.pauseEvent && this.pauseEvent.end < Math.floor(this.server.mstime)) this.pauseEvent = null;
    this.pauseType = this.pauseEvent?.type ?? PAUSE_OFF;
    this.pauseEndTime = this.pauseEvent?.end ?? 0;
    if (this.pauseType < old) {
      for (const c of [...this.postponed]) this.unblockClient(c);
    }
  }

  /**
   * checkClientPauseTimeoutAndReturnIfPaused: ends a pause whose time is over; whether clients are
   * still paused. The cron calls it, and expiry and eviction, which leave the data alone meanwhile.
   */
  checkPauseTimeoutAndReturnIfPaused(): boolean {
    if (!this.paused) return false;
    if (this.pauseEndTime < Math.floor(this.server.mstime)) this.updatePauseTypeAndEndTime();
    return this.paused;
  }

  /** areClientsPaused */
  get paused(): boolean { return this.pauseType !== PAUSE_OFF; }
}

// --- timeout arguments ---------------------------------------------------------------------------

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
const LD_MANT_BITS = 64;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * (long long) ceill(v * 1000.0) on x86-64: the product rounded to a 64-bit mantissa (nearest,
 * ties to even), rounded up to an integer; a value outside long long converts to LLONG_MIN.
 */
function secondsToMs(v: LongDouble): bigint {
  if (v.kind !== 'finite') return LLONG_MIN;
  let mant = v.mant * 1000n;
  let exp = v.exp;
  const extra = bitLength(mant) - LD_MANT_BITS;
  if (extra > 0) {
    const shift = BigInt(extra);
    let q = mant >> shift;
    const rem = mant & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    mant = q;
    exp += extra;
  }
  let magnitude: bigint;
  if (exp >= 0) {
    magnitude = mant << BigInt(exp);
  } else {
    const shift = BigInt(-exp);
    const whole = mant >> shift;
    const fraction = mant & ((1n << shift) - 1n);
    // Rounding up moves a positive value away from zero, a negative one towards it.
    magnitude = !v.neg && fraction !== 0n ? whole + 1n : whole;
  }
  const ms = v.neg ? -magnitude : magnitude;
  return ms < LLONG_MIN || ms > LLONG_MAX ? LLONG_MIN : ms;
}

/**
 * getTimeoutFromObjectOrReply: a timeout in seconds (a float: BLPOP & co.) or milliseconds (an
 * integer: CLIENT PAUSE), as the absolute engine-clock time (ms) it ends, or 0 for none. Null
 * after replying the error.
 */
export function getTimeoutOrReply(c: Client, arg: string, unit: 'seconds' | 'milliseconds'): number | null {
  let ms: bigint;
  if (unit === 'seconds') {
    const v = parseLongDouble(arg);
    if (v === null) {
      c.reply.error('timeout is not a float or out of range');
      return null;
    }
    ms = secondsToMs(v);
  } else {
    const n = parseInteger(arg);
    if (n === null) {
      c.reply.error('timeout is not an integer or out of range');
      return null;
    }
    ms = BigInt(n);
  }
  if (ms < 0n) {
    c.reply.error('timeout is negative');
    return null;
  }
  // Far-future timeouts lose precision as numbers; they never come anyway.
  return ms > 0n ? Number(ms) + Math.floor(c.server.clock.now()) : 0;
}

// --- CLIENT UNBLOCK / PAUSE / UNPAUSE --------------------------------------------------------------

/** addReplySubcommandSyntaxError */
function subcommandSyntaxError(c: Client): void {
  c.reply.error(`unknown subcommand or wrong number of arguments for '${c.argv[1].slice(0, 128)}'. ` +
    `Try ${c.argv[0].toUpperCase()} HELP.`);
}

/** CLIENT UNBLOCK client-id [TIMEOUT|ERROR] */
export function clientUnblockCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length !== 3 && argv.length !== 4) {
    subcommandSyntaxError(c);
    return;
  }
  let unblockError = false;
  if (argv.length === 4) {
    if (isOption(argv[3], 'timeout')) unblockError = false;
    else if (isOption(argv[3], 'error')) unblockError = true;
    else {
      c.reply.error('CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  }
  const id = getLongLongOrReply(c, argv[2]);
  if (id === null) return;
  const target = c.server.clients.get(id);
  const state = target?.blocked;
  // Redis 7.0 crashes when asked to unblock a client held by CLIENT PAUSE (it has no timeout
  // reply for it); later versions leave such a client alone, as here.
  if (!target || !state || state.type === 'postpone') {
    c.reply.integer(0);
    return;
  }
  c.server.blocking.unblockByCommand(target, state, unblockError);
  c.reply.integer(1);
}

/** CLIENT PAUSE timeout [WRITE|ALL] */
export function clientPauseCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length !== 3 && argv.length !== 4) {
    subcommandSyntaxError(c);
    return;
  }
  let type: PauseType = PAUSE_ALL;
  if (argv.length === 4) {
    if (isOption(argv[3], 'write')) type = PAUSE_WRITE;
    else if (isOption(argv[3], 'all')) type = PAUSE_ALL;
    else {
      c.reply.error('CLIENT PAUSE mode must be WRITE or ALL');
      return;
    }
  }
  const end = getTimeoutOrReply(c, argv[2], 'milliseconds');
  if (end === null) return;
  c.server.blocking.pauseClients(end, type);
  c.reply.ok();
}

/** CLIENT UNPAUSE */
export function clientUnpauseCommand(c: Client): void {
  if (c.argv.length !== 2) {
    subcommandSyntaxError(c);
    return;
  }
  c.server.blocking.unpauseClients();
  c.reply.ok();
}

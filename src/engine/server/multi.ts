// Transactions and optimistic locking (multi.c): a client in MULTI queues commands until EXEC runs
// them back to back; WATCHed keys that change before EXEC make it fail (check-and-set).
import type { Client } from './client.ts';
import type { Command } from './commandTable.ts';
import type { Db } from './db.ts';

export interface QueuedCommand {
  readonly argv: string[];
  readonly cmd: Command;
}

/** A client's transaction: present from MULTI until EXEC or DISCARD. */
export class MultiState {
  readonly commands: QueuedCommand[] = [];
  /** Flags of the queued commands together (mstate.cmd_flags): EXEC counts as write if any is. */
  readonly flags = new Set<string>();
}

/** One key a client WATCHes (watchedKey), listed both on the client and on its database. */
export class WatchedKey {
  constructor(
    readonly client: Client,
    readonly db: Db,
    readonly key: string,
    /** The key was already logically expired when WATCHed: its deletion is no change. */
    public expired: boolean,
  ) {}
}

/** Extra state per client: MULTI, the CAS flags, watched keys. */
export class ClientTransaction {
  multi: MultiState | null = null;
  /** CLIENT_DIRTY_CAS: a watched key changed, EXEC will fail with a null reply. */
  dirtyCas = false;
  /** CLIENT_DIRTY_EXEC: a command was refused while queueing, EXEC will fail with EXECABORT. */
  dirtyExec = false;
  readonly watched: WatchedKey[] = [];
}

/** queueMultiCommand: not worth keeping once the transaction is bound to fail. */
export function queueMultiCommand(c: Client): void {
  const tx = c.tx;
  if (tx.dirtyCas || tx.dirtyExec) return;
  tx.multi!.commands.push({ argv: c.argv, cmd: c.cmd! });
  for (const f of c.cmd!.flags) tx.multi!.flags.add(f);
}

/** flagTransaction: a command was refused inside MULTI, so EXEC must abort. */
export function flagTransaction(c: Client): void {
  if (c.tx.multi) c.tx.dirtyExec = true;
}

/** discardTransaction: leaves MULTI, forgets the queue and the CAS flags, unwatches. */
export function discardTransaction(c: Client): void {
  c.tx.multi = null;
  c.tx.dirtyCas = false;
  c.tx.dirtyExec = false;
  unwatchAllKeys(c);
}

/** watchForKey: watches key in the client's current database (once). */
export function watchForKey(c: Client, key: string): void {
  const db = c.db;
  if (c.tx.watched.some((wk) => wk.db === db && wk.key === key)) return;
  const wk = new WatchedKey(c, db, key, db.keyIsExpired(key));
  let list = db.watchedKeys.get(key);
  if (!list) db.watchedKeys.set(key, (list = []));
  list.push(wk);
  c.tx.watched.push(wk);
}

export function unwatchAllKeys(c: Client): void {
  for (const wk of c.tx.watched) {
    const list = wk.db.watchedKeys.get(wk.key)!;
    list.splice(list.indexOf(wk), 1);
    if (list.length === 0) wk.db.watchedKeys.delete(wk.key);
  }
  c.tx.watched.length = 0;
}

/** isWatchedKeyExpired: a key that was live when WATCHed has expired since (EXEC fails). */
export function isWatchedKeyExpired(c: Client): boolean {
  return c.tx.watched.some((wk) => !wk.expired && wk.db.keyIsExpired(wk.key));
}

/** touchWatchedKey: every client watching key in db gets its EXEC invalidated. */
export function touchWatchedKey(db: Db, key: string): void {
  if (db.watchedKeys.size === 0) return;
  const list = db.watchedKeys.get(key);
  if (!list) return;
  // unwatchAllKeys() below edits the list we walk: walk a copy.
  for (const wk of [...list]) {
    if (wk.expired) {
      if (!db.dict.has(key)) {
        // The already expired key was deleted: logically nothing changed. Any later change counts.
        wk.expired = false;
        continue;
      }
      // Redis 7.0.15 stops here (a `break` in touchWatchedKey): the other clients watching this
      // key are not flagged by this change. We keep its behaviour, which is what learners observe.
      break;
    }
    wk.client.tx.dirtyCas = true;
    // A dirty client's EXEC fails anyway: no need to keep watching.
    unwatchAllKeys(wk.client);
  }
}

/**
 * touchAllWatchedKeysInDb: `emptied` was flushed (replacedWith null) or swapped with
 * `replacedWith` (SWAPDB): watched keys that existed in either are changed, with the same care
 * for keys that were already expired.
 */
export function touchAllWatchedKeysInDb(emptied: Db, replacedWith: Db | null): void {
  if (emptied.watchedKeys.size === 0) return;
  for (const [key, list] of emptied.watchedKeys) {
    const existsInEmptied = emptied.dict.has(key);
    const existsInReplacement = replacedWith !== null && replacedWith.dict.has(key);
    if (!existsInEmptied && !existsInReplacement) continue;
    for (const wk of list) {
      if (wk.expired) {
        if (!existsInReplacement) {
          wk.expired = false; // the expired key is gone: no logical change
          continue;
        } else if (replacedWith!.keyIsExpired(key)) {
          continue; // still (logically) absent
        }
      } else if (!existsInEmptied && replacedWith!.keyIsExpired(key)) {
        wk.expired = true; // a missing key replaced by an expired one: still missing
        continue;
      }
      wk.client.tx.dirtyCas = true;
    }
  }
}

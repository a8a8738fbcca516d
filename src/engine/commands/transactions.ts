// Transaction commands (multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH. The state and the WATCH
// bookkeeping live in server/multi.ts; queueing happens in processCommand.
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { discardTransaction, isWatchedKeyExpired, MultiState, unwatchAllKeys, watchForKey } from '../server/multi.ts';

function multiCommand(c: Client): void {
  if (c.tx.multi) {
    c.reply.error('MULTI calls can not be nested');
    return;
  }
  c.tx.multi = new MultiState();
  c.reply.ok();
}

function discardCommand(c: Client): void {
  if (!c.tx.multi) {
    c.reply.error('DISCARD without MULTI');
    return;
  }
  discardTransaction(c);
  c.reply.ok();
}

function execCommand(c: Client): void {
  const tx = c.tx;
  if (!tx.multi) {
    c.reply.error('EXEC without MULTI');
    return;
  }
  // A key that was live when WATCHed and has expired since counts as changed.
  if (isWatchedKeyExpired(c)) tx.dirtyCas = true;
  if (tx.dirtyCas || tx.dirtyExec) {
    if (tx.dirtyExec) c.reply.error('-EXECABORT Transaction discarded because of previous errors.');
    else c.reply.nullArray();
    discardTransaction(c);
    return;
  }
  const server = c.server;
  const queued = tx.multi.commands;
  const [argv, cmd, denyBlocking] = [c.argv, c.cmd, c.denyBlocking];
  // Blocking commands inside a transaction act as if they timed out at once.
  c.denyBlocking = true;
  unwatchAllKeys(c); // nothing to watch any more: the commands run now, back to back
  server.inExec = true;
  c.reply.array(queued.length);
  for (const q of queued) {
    c.argv = q.argv;
    c.cmd = q.cmd;
    server.call(c);
  }
  c.denyBlocking = denyBlocking;
  c.argv = argv;
  c.cmd = cmd;
  discardTransaction(c);
  server.inExec = false;
}

function watchCommand(c: Client): void {
  if (c.tx.multi) {
    c.reply.error('WATCH inside MULTI is not allowed');
    return;
  }
  // Already dirty: EXEC will fail whatever happens, no need to watch more.
  if (!c.tx.dirtyCas) {
    for (let j = 1; j < c.argv.length; j++) watchForKey(c, c.argv[j]);
  }
  c.reply.ok();
}

function unwatchCommand(c: Client): void {
  unwatchAllKeys(c);
  c.tx.dirtyCas = false;
  c.reply.ok();
}

export const transactionCommands: CommandImplementations = {
  multi: multiCommand,
  exec: execCommand,
  discard: discardCommand,
  watch: watchCommand,
  unwatch: unwatchCommand,
};

// What CLIENT LIST / CLIENT INFO say about a connection (networking.c's catClientInfoString), with
// the fields in Redis 7.0's order. Identity and state fields (id, name, db, sub, psub, multi, flags,
// cmd, user, redir, resp, age, idle) are exact. The memory fields are a model of Redis's buffers,
// documented in docs/cost-model.md ("CLIENT LIST memory fields"):
//  - qbuf: the query buffer's length. Redis trims it only after running every command of a read, so
//    the running client's qbuf is what was buffered when its current batch started.
//  - qbuf-free: the spare room of the query buffer, which a read sizes for 16 KB (20474 usable
//    bytes). Redis's cron gives it back once the client has been idle more than 2 seconds.
//  - argv-mem: the running (or blocked) command's argument bytes; multi-mem: MULTI's queue.
//  - rbs/rbp: the static reply buffer (16 KB at first) and the most it held since its peak was last
//    reset. As in Redis's clientsCron, the cron shrinks a buffer whose peak stayed under half of it
//    (to the peak, at least 1 KB), doubles a full one (up to 16 KB), and resets the peak every 5
//    seconds; the peak is sampled each time pending output is handed to the transport.
//    obl/oll/omem: pending output in that buffer, the 16 KB reply blocks beyond it and their bytes.
//  - tot-mem: the sum Redis's getClientMemoryUsage makes of the above plus the client struct.
//  - fd: the lowest free descriptor from FIRST_CLIENT_FD, as the kernel hands them out.
//  - events: "r" (a read handler is always installed; the engine has no write handler to show).
import { sdsMakeRoomFor, sdsNewLen, sdsRemoveFreeSpace } from '../ds/sds.ts';
import type { Client } from './client.ts';
import type { RedisServer } from './redisServer.ts';
import { SideTable } from '../sideTable.ts';

/** First descriptor a client gets: 0-2 are stdio, then the event loop and listening sockets. */
export const FIRST_CLIENT_FD = 8;
/** zmalloc_size(client): sizeof(client) rounded to its jemalloc size class. */
const CLIENT_STRUCT_BYTES = 768;
/** PROTO_REPLY_CHUNK_BYTES: the static reply buffer and reply list blocks. */
const REPLY_CHUNK_BYTES = 16 * 1024;
/** PROTO_IOBUF_LEN: how much a read makes room for in the query buffer. */
const IOBUF_LEN = 16 * 1024;
/** The query buffer after a read into an empty one (sdsMakeRoomForNonGreedy). */
const READ_QUERYBUF = sdsMakeRoomFor(sdsNewLen(0), IOBUF_LEN, false);
/** sizeof(robj*), sizeof(multiCmd), sizeof(listNode), sizeof(dictEntry), sizeof(dictEntry*). */
const POINTER = 8, MULTI_CMD = 24, LIST_NODE = 24, DICT_ENTRY = 24;

export type ClientType = 'normal' | 'slave' | 'pubsub' | 'master';

const fds = new SideTable<Client, number>('clientInfo.fd');

/** PROTO_REPLY_MIN_BYTES: the smallest the cron shrinks a reply buffer to. */
const REPLY_MIN_BYTES = 1024;
/** reply-buffer-peak-reset-time (ms). */
const REPLY_PEAK_RESET_MS = 5000;

/** c->buf_usable_size, c->buf_peak, c->buf_peak_last_reset_time. */
interface ReplyBuffer { size: number; peak: number; peakResetAt: number }

const replyBuffers = new SideTable<Client, ReplyBuffer>('clientInfo.replyBuffer');

function replyBuffer(c: Client): ReplyBuffer {
  let b = replyBuffers.get(c);
  if (!b) {
    // createClient stamps the reset time in seconds while the cron compares milliseconds, so the
    // first cron visit always resets the peak.
    b = { size: REPLY_CHUNK_BYTES, peak: REPLY_CHUNK_BYTES, peakResetAt: Math.floor(c.createdAt / 1000) };
    replyBuffers.set(c, b);
  }
  return b;
}

/** _addReplyToBuffer's peak: what sits in the static buffer when output is handed over. */
export function noteReplyBufferUse(c: Client, pendingBytes: number): void {
  const b = replyBuffer(c);
  const used = Math.min(pendingBytes, b.size);
  if (used > b.peak) b.peak = used;
}

/** clientsCronResizeOutputBuffer for every client (Redis visits them all when there are few). */
export function clientsCronResizeOutputBuffers(server: RedisServer): void {
  const now = server.mstime;
  for (const c of server.clients.values()) {
    const b = replyBuffer(c);
    let newSize = 0;
    if (b.size / 2 >= REPLY_MIN_BYTES && b.peak < b.size / 2) newSize = Math.max(REPLY_MIN_BYTES, b.peak + 1);
    else if (b.size * 2 < REPLY_CHUNK_BYTES * 2 && b.peak === b.size) newSize = Math.min(REPLY_CHUNK_BYTES, b.size * 2);
    if (now - b.peakResetAt >= REPLY_PEAK_RESET_MS) {
      b.peak = Math.min(c.reply.pendingBytes, b.size);
      b.peakResetAt = now;
    }
    if (newSize) b.size = newSize;
  }
}

/** Gives a new connection the lowest descriptor no other client holds (call once, at connect). */
export function assignFd(server: RedisServer, c: Client): void {
  const used = new Set<number>();
  for (const other of server.clients.values()) {
    const fd = fds.get(other);
    if (fd !== undefined && other !== c) used.add(fd);
  }
  let fd = FIRST_CLIENT_FD;
  while (used.has(fd)) fd++;
  fds.set(c, fd);
}

export function clientFd(c: Client): number {
  return fds.get(c) ?? -1;
}

/** getClientPeerId: "ip:port" of the peer ("?:0" when the transport does not say). */
export function clientPeerId(c: Client): string {
  return c.connection.peer ?? '?:0';
}

/** getClientSockname: the local end, "ip:port". */
export function clientSockName(c: Client): string {
  return c.connection.local ?? '?:0';
}

/** getClientType: MONITOR clients count as normal ones. The engine has no replicas or masters. */
export function clientType(c: Client): ClientType {
  return c.inPubSub ? 'pubsub' : 'normal';
}

/** getClientTypeByName: null for an unknown name. */
export function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case 'normal': return 'normal';
    case 'slave': case 'replica': return 'slave';
    case 'pubsub': return 'pubsub';
    case 'master': return 'master';
    default: return null;
  }
}

/** The flags letters of CLIENT LIST, in Redis's order; "N" when none applies. */
export function clientFlags(c: Client): string {
  let f = '';
  if (c.server.monitors.has(c)) f += 'O';
  if (c.inPubSub) f += 'P';
  if (c.tx.multi) f += 'x';
  if (c.blocked) f += 'b';
  const t = c.tracking;
  if (t) {
    f += 't';
    if (t.brokenRedirect) f += 'R';
    if (t.bcast) f += 'B';
  }
  if (c.tx.dirtyCas) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (c.noEvict) f += 'e';
  return f === '' ? 'N' : f;
}

function argvBytes(argv: readonly string[]): number {
  let n = 0;
  for (const a of argv) n += a.length;
  return n;
}

/** Whether Redis's clientsCron would have given back the idle query buffer's spare room. */
function querybufShrunk(c: Client, nowSeconds: number): boolean {
  return nowSeconds - Math.floor(c.lastInteraction / 1000) > 2;
}

/** catClientInfoString: one CLIENT LIST line (without its newline). */
export function clientInfoString(c: Client, current: Client | null): string {
  const server = c.server;
  const now = Math.floor(server.clock.now() / 1000);
  const running = c === current || c.blocked !== null;
  const qbuf = c === current ? c.querybufAtStart : c.parser.buffered;
  const querybuf = qbuf === 0 && querybufShrunk(c, now)
    ? sdsRemoveFreeSpace({ ...READ_QUERYBUF, len: 0 })
    : qbuf <= READ_QUERYBUF.alloc ? { ...READ_QUERYBUF, len: qbuf } : sdsNewLen(qbuf);
  const argvMem = running ? argvBytes(c.argv) : 0;
  const argvOverhead = running ? argvMem + POINTER * c.argv.length : 0;
  let multiMem = 0, multiOverhead = 0;
  if (c.tx.multi) {
    for (const q of c.tx.multi.commands) multiMem += argvBytes(q.argv) + POINTER * q.argv.length;
    multiOverhead = multiMem + MULTI_CMD * c.tx.multi.commands.length;
  }
  const rb = replyBuffer(c);
  const pending = c.reply.pendingBytes;
  const obl = Math.min(pending, rb.size);
  const omem = pending - obl;
  const oll = Math.ceil(omem / REPLY_CHUNK_BYTES);
  const channels = c.pubsubChannels.size;
  const channelSlots = channels === 0 ? 0 : Math.max(4, 2 ** Math.ceil(Math.log2(channels)));
  const totMem = omem + querybuf.zmalloc + CLIENT_STRUCT_BYTES + rb.size + argvOverhead +
    multiOverhead + c.pubsubPatterns.size * LIST_NODE + channels * DICT_ENTRY + channelSlots * POINTER;
  const sub = c.pubsubChannels.size;
  const psub = c.pubsubPatterns.size;
  return `id=${c.id} addr=${clientPeerId(c)} laddr=${clientSockName(c)} fd=${clientFd(c)} name=${c.name ?? ''}` +
    ` age=${now - Math.floor(c.createdAt / 1000)} idle=${now - Math.floor(c.lastInteraction / 1000)}` +
    ` flags=${clientFlags(c)} db=${c.db.id} sub=${sub} psub=${psub} ssub=0` +
    ` multi=${c.tx.multi ? c.tx.multi.commands.length : -1}` +
    ` qbuf=${qbuf} qbuf-free=${querybuf.alloc - qbuf} argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=${rb.size} rbp=${rb.peak} obl=${obl} oll=${oll} omem=${omem} tot-mem=${totMem}` +
    ` events=r cmd=${c.lastCmd ? c.lastCmd.fullName : 'NULL'} user=default` +
    ` redir=${c.tracking ? c.tracking.redirect : -1} resp=${c.protocol}`;
}

// The world's saved state: every server's keyspaces as a real Redis 7.0 RDB file (rdb.ts) plus the
// settings it was started or configured with, the world's seed and the virtual time of the save.
// The app keeps it in IndexedDB (restored on reload or after a worker crash) and exports it as a
// file: JSON with each RDB in base64. A bare dump.rdb imports as a one-server world.
import { z } from 'zod';
import { binaryToBytes, binaryToUtf8, bytesToBinary, utf8ToBinary } from '../bytes.ts';
import { CONFIG_TABLE, Config } from '../server/config.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { World } from '../sim/world.ts';
import { loadRdb, parseRdb, persistenceState, RdbError, saveRdb } from './rdb.ts';

export const WORLD_FILE_FORMAT = 'rediscope-world';
export const WORLD_FILE_VERSION = 1;

export interface SavedServer { name: string; port: number; config: Record<string, string>; rdb: Uint8Array }

export interface WorldSnapshot {
  format: typeof WORLD_FILE_FORMAT;
  version: number;
  seed: number;
  /** Virtual unix ms of the save: the restored world's clock starts here. */
  savedAt: number;
  /** The world's one-way client/server network latency (ms); absent in files from before it existed: 0. */
  latencyMs?: number;
  servers: SavedServer[];
}

export class WorldFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorldFileError';
  }
}

/** A bare RDB file imported on its own becomes this server. */
export const IMPORTED_SERVER_NAME = 'main';
export const IMPORTED_SERVER_PORT = 6379;
/** The seed of a world made from a bare RDB file (which carries none). */
export const IMPORTED_WORLD_SEED = 1;

/** Settings not saved in `config`: the port is SavedServer.port. */
const NOT_IN_CONFIG = new Set(['port']);

let defaults: Config | null = null;

/**
 * The settings that differ from Redis's defaults, by canonical name, as CONFIG REWRITE would write
 * them to redis.conf: startup-only ones (enable-debug-command, databases) included, the port not.
 */
export function changedConfig(server: RedisServer): Record<string, string> {
  defaults ??= new Config();
  const out: Record<string, string> = {};
  for (const spec of CONFIG_TABLE) {
    if (NOT_IN_CONFIG.has(spec.name)) continue;
    const value = server.config.get(spec.name);
    if (value !== defaults.get(spec.name)) out[spec.name] = value;
  }
  return out;
}

export function snapshotWorld(world: World): WorldSnapshot {
  const servers: SavedServer[] = [];
  for (const [name, server] of world.servers) {
    servers.push({ name, port: server.port, config: changedConfig(server), rdb: saveRdb(server) });
  }
  return { format: WORLD_FILE_FORMAT, version: WORLD_FILE_VERSION, seed: world.options.seed, savedAt: world.now, latencyMs: world.latencyMs, servers };
}

// --- validation ----------------------------------------------------------------------------------

const serverShape = {
  name: z.string().min(1, 'a server name must not be empty'),
  port: z.number().int().min(0).max(65535),
  config: z.record(z.string(), z.string()),
};

const snapshotShape = {
  format: z.literal(WORLD_FILE_FORMAT, { error: `not a Rediscope world file (format must be '${WORLD_FILE_FORMAT}')` }),
  version: z.number().int(),
  seed: z.number().int().min(0).max(0xffffffff),
  savedAt: z.number().finite().min(0),
  latencyMs: z.number().int().min(0).optional(),
};

/** A snapshot in memory (IndexedDB keeps Uint8Arrays as they are). */
const snapshotSchema = z.object({
  ...snapshotShape,
  servers: z.array(z.object({ ...serverShape, rdb: z.instanceof(Uint8Array, { error: 'rdb must be bytes' }) })),
});

/** The file: the same with each RDB in base64. */
const fileSchema = z.object({
  ...snapshotShape,
  servers: z.array(z.object({ ...serverShape, rdb: z.string() })),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`).join('; ');
}

/** What every snapshot must satisfy beyond its shape. */
function checkSnapshot(s: WorldSnapshot): void {
  if (s.version !== WORLD_FILE_VERSION) {
    throw new WorldFileError(`world file version ${s.version} is not supported (this Rediscope reads version ${WORLD_FILE_VERSION})`);
  }
  if (s.servers.length === 0) throw new WorldFileError('the world has no servers');
  const names = new Set<string>();
  for (const server of s.servers) {
    if (names.has(server.name)) throw new WorldFileError(`two servers are named '${server.name}'`);
    names.add(server.name);
    if ('port' in server.config) throw new WorldFileError(`server '${server.name}': the port belongs in 'port', not in config`);
  }
}

function validSnapshot(input: unknown): WorldSnapshot {
  const parsed = snapshotSchema.safeParse(input);
  if (!parsed.success) throw new WorldFileError(`invalid world snapshot: ${describeIssues(parsed.error)}`);
  const s = parsed.data as WorldSnapshot;
  checkSnapshot(s);
  return s;
}

// --- restore -------------------------------------------------------------------------------------

export function restoreWorld(snapshot: WorldSnapshot): World {
  const s = validSnapshot(snapshot);
  const world = new World({ seed: s.seed, startTime: s.savedAt });
  world.setLatency(s.latencyMs ?? 0);
  for (const saved of s.servers) {
    let server: RedisServer;
    try {
      server = world.addServer(saved.name, { config: saved.config, port: saved.port });
    } catch (e) {
      throw new WorldFileError(`server '${saved.name}': ${(e as Error).message}`);
    }
    try {
      loadRdb(server, saved.rdb);
      // The server restarted from this file: it is what DEBUG RELOAD NOSAVE finds on disk.
      persistenceState(server).file = saved.rdb;
    } catch (e) {
      if (e instanceof RdbError) throw new WorldFileError(`server '${saved.name}': ${e.message}`);
      throw e;
    }
  }
  return world;
}

// --- the file ------------------------------------------------------------------------------------

export function encodeWorldFile(snapshot: WorldSnapshot): Uint8Array {
  const file = {
    format: snapshot.format,
    version: snapshot.version,
    seed: snapshot.seed,
    savedAt: snapshot.savedAt,
    latencyMs: snapshot.latencyMs ?? 0,
    servers: snapshot.servers.map((s) => ({ name: s.name, port: s.port, config: s.config, rdb: toBase64(s.rdb) })),
  };
  // Config values are byte strings (1 char = 1 byte): JSON escapes nothing above 0x7f, and the
  // UTF-8 round trip gives the same chars back.
  return encodeUtf8(JSON.stringify(file, null, 2) + '\n');
}

const RDB_MAGIC = 'REDIS00';

export function decodeWorldFile(bytes: Uint8Array): WorldSnapshot {
  if (bytes.length >= RDB_MAGIC.length && bytesToBinary(bytes, 0, RDB_MAGIC.length) === RDB_MAGIC) {
    return snapshotFromRdb(bytes);
  }
  let json: unknown;
  try {
    json = JSON.parse(decodeUtf8(bytes));
  } catch {
    throw new WorldFileError('not a Rediscope world file or an RDB file (neither JSON nor starting with "REDIS00")');
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new WorldFileError(`invalid world file: ${describeIssues(parsed.error)}`);
  const f = parsed.data;
  const servers: SavedServer[] = f.servers.map((s) => {
    const rdb = fromBase64(s.rdb);
    if (!rdb) throw new WorldFileError(`server '${s.name}': rdb is not valid base64`);
    checkRdb(rdb, `server '${s.name}': `);
    return { name: s.name, port: s.port, config: s.config, rdb };
  });
  const snapshot: WorldSnapshot = { format: WORLD_FILE_FORMAT, version: f.version, seed: f.seed, savedAt: f.savedAt, latencyMs: f.latencyMs ?? 0, servers };
  checkSnapshot(snapshot);
  return snapshot;
}

/** A bare RDB file: one server named 'main' on 6379 with default settings; the clock starts at the
 * time the file was saved (its ctime aux field), as if the server restarted right away. */
function snapshotFromRdb(bytes: Uint8Array): WorldSnapshot {
  const parsed = checkRdb(bytes, '');
  const ctime = Number(parsed.aux.get('ctime') ?? '0');
  const savedAt = Number.isFinite(ctime) && ctime > 0 ? ctime * 1000 : 0;
  return {
    format: WORLD_FILE_FORMAT, version: WORLD_FILE_VERSION, seed: IMPORTED_WORLD_SEED, savedAt,
    servers: [{ name: IMPORTED_SERVER_NAME, port: IMPORTED_SERVER_PORT, config: {}, rdb: bytes }],
  };
}

function checkRdb(bytes: Uint8Array, prefix: string): ReturnType<typeof parseRdb> {
  try {
    return parseRdb(bytes);
  } catch (e) {
    if (e instanceof RdbError) throw new WorldFileError(`${prefix}${e.message}`);
    throw e;
  }
}

// --- UTF-8 and base64 (the engine has no TextEncoder, btoa or Buffer) ----------------------------
// World files are mostly base64 (ASCII): ASCII runs are copied in bulk, other characters (server
// names, config values) go through the exact converters in bytes.ts.

function encodeUtf8(text: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) { ascii = false; break; }
  }
  if (ascii) return binaryToBytes(text);
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x80) continue;
    parts.push(text.slice(start, i));
    // A surrogate pair is one character.
    const pair = text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff && i + 1 < text.length;
    const end = pair ? i + 2 : i + 1;
    parts.push(utf8ToBinary(text.slice(i, end)));
    start = end;
    i = end - 1;
  }
  parts.push(text.slice(start));
  return binaryToBytes(parts.join(''));
}

function decodeUtf8(bytes: Uint8Array): string {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] < 0x80) { i++; continue; }
    parts.push(bytesToBinary(bytes, start, i));
    let end = i + 1;
    while (end < bytes.length && bytes[end] >= 0x80) end++;
    parts.push(binaryToUtf8(bytesToBinary(bytes, i, end)));
    start = i = end;
  }
  parts.push(bytesToBinary(bytes, start, bytes.length));
  return parts.join('');
}

// --- base64 -----------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;
const B64_CODES = Uint8Array.from(B64, (ch) => ch.charCodeAt(0));

export function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[n >> 18];
    out[o++] = B64_CODES[(n >> 12) & 63];
    out[o++] = B64_CODES[(n >> 6) & 63];
    out[o++] = B64_CODES[n & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = B64_CODES[n >> 18];
    out[o++] = B64_CODES[(n >> 12) & 63];
    out[o++] = rest === 2 ? B64_CODES[(n >> 6) & 63] : 61;
    out[o++] = 61; // '='
  }
  return bytesToBinary(out);
}

/** Strict base64 (padding required, whitespace ignored); null when malformed. */
export function fromBase64(text: string): Uint8Array | null {
  const s = text.replace(/\s+/g, '');
  if (s.length % 4 !== 0) return null;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = s.charCodeAt(i + j);
      const last = i + 4 === s.length;
      let v: number;
      if (ch === 61 /* '=' */ && last && j >= 4 - pad) v = 0;
      else {
        v = ch < 128 ? B64_INDEX[ch] : -1;
        if (v < 0) return null;
      }
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

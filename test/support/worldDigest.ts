// A digest of a whole world's state, read from its structures, for "these two worlds are the same"
// checks (time control: a rewound world against the original run at that point). It covers every
// key's type, encoding, LRU/LFU field, TTL and value (the RDB bytes, in dict iteration order), the
// dict tables (sizes, rehashidx), INFO keyspace, the PRNG's state, the clients, the stats, the
// memory model and the scheduler. Reading it changes nothing a later input could see (the server's
// cached time is reset before every timeline input).
import { saveRdb } from '../../src/engine/persist/rdb.ts';
import type { Dict } from '../../src/engine/ds/dict.ts';
import type { RedisServer } from '../../src/engine/server/redisServer.ts';
import type { SeededRandom } from '../../src/engine/sim/random.ts';
import type { World } from '../../src/engine/sim/world.ts';

function dictShape(d: Dict<unknown>): string {
  return `${d.size}/${d.tables[0]?.length ?? 0}/${d.tables[1]?.length ?? 0}/${d.rehashIndex}`;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function serverDigest(server: RedisServer): Record<string, unknown> {
  const dbs = server.dbs.map((db) => {
    const keys: string[] = [];
    for (const e of db.dict.entries()) {
      const o = e.value;
      keys.push(`${e.key} ${o.type}/${o.encoding} lru=${o.lru} ttl=${String(db.expires.get(e.key) ?? -1)}`);
    }
    return {
      keys, dict: dictShape(db.dict), expires: dictShape(db.expires as Dict<unknown>),
      avgTtl: db.avgTtl, expiresCursor: db.expiresCursor, keyBytes: db.keyBytes,
    };
  }).filter((d) => d.keys.length > 0 || d.dict !== '0/0/0/-1');
  const keyspace = server.dbs
    .filter((db) => db.dict.size || db.expires.size)
    .map((db) => `db${db.id}:keys=${db.dict.size},expires=${db.expires.size},avg_ttl=${Math.trunc(db.avgTtl)}`);
  const clients = [...server.clients.values()].map((c) =>
    `${c.id} db=${c.db.id} name=${c.name ?? ''} created=${c.createdAt} last=${c.lastInteraction} multi=${c.tx.multi ? 1 : 0} blocked=${c.blocked ? 1 : 0} sub=${c.pubsubChannels.size}`);
  const stats = JSON.stringify(server.stats, (_k, v) => (v instanceof Map ? [...v.entries()] : v));
  return {
    random: (server.random as SeededRandom).state(),
    hashSeed: server.hashSeed, runId: server.runId, dirty: server.dirty, cronLoops: server.cronLoops,
    busyUntil: server.busyUntil, threadFreeUs: server.threadFreeUs, held: [...server.heldClients].map((c) => c.id), lastSave: server.lastSave,
    dbs, keyspace, clients, stats,
    memory: [server.memory.usedMemory(), server.memory.peak, server.memory.dirtyBytes],
    slowlog: JSON.stringify(server.slowlog.entries, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
    rdb: hex(saveRdb(server)),
  };
}

export function worldDigest(world: World): Record<string, unknown> {
  const servers: Record<string, unknown> = {};
  for (const [name, server] of world.servers) servers[name] = serverDigest(server);
  return { now: world.now, latencyMs: world.latencyMs, pendingEvents: world.scheduler.pending, nextEventAt: world.scheduler.nextAt, servers };
}

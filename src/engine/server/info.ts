// INFO (server.c's genRedisInfoString): sections and fields with Redis 7.0's names and order. A
// field appears only when the engine can give it an honest value: facts about the host process
// (os, pid, gcc version, CPU usage), memory figures before the memory model exists, and latency
// percentiles are left out rather than invented (docs/compatibility.md lists what is missing).
// Values that describe things this engine never does (fork, save, AOF, replicas) are the true
// values for it: zero, "ok", -1.
import type { RedisServer } from './redisServer.ts';
import { REDIS_VERSION } from './version.ts';
import { persistenceState } from '../persist/rdb.ts';

/** The sections INFO (and INFO default) prints. */
export const DEFAULT_INFO_SECTIONS = [
  'server', 'clients', 'memory', 'persistence', 'stats', 'replication',
  'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace',
] as const;

/** Which sections a request asks for (genInfoSectionDict). */
export interface InfoRequest {
  sections: Set<string>;
  all: boolean;
  everything: boolean;
}

/** genInfoSectionDict: INFO's arguments (case-insensitive) as a request. */
export function parseInfoRequest(args: readonly string[]): InfoRequest {
  const req: InfoRequest = { sections: new Set(), all: false, everything: false };
  if (args.length === 0) {
    for (const s of DEFAULT_INFO_SECTIONS) req.sections.add(s);
    return req;
  }
  for (const arg of args) {
    const name = arg.toLowerCase();
    if (name === 'default') for (const s of DEFAULT_INFO_SECTIONS) req.sections.add(s);
    else if (name === 'all') req.all = true;
    else if (name === 'everything') req.everything = req.all = true;
    else req.sections.add(name);
  }
  return req;
}

/**
 * C's printf("%.<digits>f") of a double: the exact binary value rounded half to even (JS's
 * toFixed rounds exact ties like 0.125 away from zero).
 */
export function formatFixed(d: number, digits: number): string {
  if (!Number.isFinite(d)) return Number.isNaN(d) ? 'nan' : d > 0 ? 'inf' : '-inf';
  const negative = d < 0 || Object.is(d, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else { mantissa |= 1n << 52n; exponent = biased - 1075; }
  let num = mantissa * 10n ** BigInt(digits);
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  let q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  const s = q.toString().padStart(digits + 1, '0');
  const int = s.slice(0, s.length - digits);
  return (negative ? '-' : '') + int + (digits > 0 ? '.' + s.slice(s.length - digits) : '');
}

/** bytesToHuman: 100B, 1.50K, 2.00M ... */
export function bytesToHuman(n: bigint): string {
  const units: [bigint, string][] = [
    [1024n, 'K'], [1024n ** 2n, 'M'], [1024n ** 3n, 'G'], [1024n ** 4n, 'T'], [1024n ** 5n, 'P'],
  ];
  if (n < 1024n || n >= 1024n ** 6n) return `${n}B`;
  for (let i = units.length - 1; i >= 0; i--) {
    if (n >= units[i][0]) return formatFixed(Number(n) / Number(units[i][0]), 2) + units[i][1];
  }
  return `${n}B`;
}

/** Characters INFO replaces in names it prints (getSafeInfoString). */
function safeInfoString(s: string): string {
  return s.replace(/[#:\r\n]/g, '_');
}

type Fields = [string, string | number][];

function section(title: string, fields: Fields): string {
  let out = `# ${title}\r\n`;
  for (const [k, v] of fields) out += `${k}:${v}\r\n`;
  return out;
}

function serverSection(server: RedisServer): string {
  const nowMs = server.clock.now();
  const uptime = Math.floor(nowMs / 1000) - Math.floor(server.startedAt / 1000);
  return section('Server', [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_mode', 'standalone'],
    ['arch_bits', 64], // the memory model is a 64-bit build's
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', server.port],
    ['server_time_usec', Math.floor(nowMs * 1000)],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', server.hz],
    ['configured_hz', server.hz],
    ['lru_clock', server.lruClock()],
    ['config_file', ''],
    ['io_threads_active', 0],
  ]);
}

function clientsSection(server: RedisServer): string {
  return section('Clients', [
    ['connected_clients', server.clients.size],
    ['cluster_connections', 0],
    // maxclients and client_recent_max_*_buffer are left out: the engine has no client limit, and
    // its buffer sizes are a model (CLIENT LIST), not what a cron sampled.
    ['blocked_clients', server.blocking.blockedClients],
    ['tracking_clients', server.tracking.clientCount],
    ['clients_in_timeout_table', server.blocking.clientsInTimeoutTable],
  ]);
}

/** %zu of a byte count that may have gone negative in C's size_t arithmetic (it wraps). */
function sizeT(n: number): string {
  return n >= 0 ? String(n) : (BigInt(n) + (1n << 64n)).toString();
}

function memorySection(server: RedisServer): string {
  // The memory model (memory.ts): used_memory from the engine's structures with jemalloc's size
  // classes; RSS and the allocator figures are modelled too, sampled by the cron as Redis does.
  // Left out: total_system_memory (a fact of the host) and the Lua / functions fields (the
  // engine has no scripting).
  const mem = server.memory;
  const mh = mem.overhead();
  const used = mh.totalAllocated;
  const ms = mem.mallocStats;
  const maxmemory = BigInt(server.config.get('maxmemory'));
  const pct = (f: number) => `${formatFixed(f, 2)}%`;
  return section('Memory', [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(BigInt(used))],
    ['used_memory_rss', ms.processRss],
    ['used_memory_rss_human', bytesToHuman(BigInt(ms.processRss))],
    ['used_memory_peak', mem.peak],
    ['used_memory_peak_human', bytesToHuman(BigInt(mem.peak))],
    ['used_memory_peak_perc', pct(mh.peakPerc)],
    ['used_memory_overhead', mh.overheadTotal],
    ['used_memory_startup', mh.startupAllocated],
    ['used_memory_dataset', sizeT(mh.dataset)],
    ['used_memory_dataset_perc', pct(mh.datasetPerc)],
    ['allocator_allocated', ms.allocatorAllocated],
    ['allocator_active', ms.allocatorActive],
    ['allocator_resident', ms.allocatorResident],
    // printed with %lld, so a limit above 2^63 shows negative, as in Redis
    ['maxmemory', (maxmemory > 9223372036854775807n ? maxmemory - (1n << 64n) : maxmemory).toString()],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.get('maxmemory-policy')],
    ['allocator_frag_ratio', formatFixed(mh.allocatorFrag, 2)],
    ['allocator_frag_bytes', sizeT(mh.allocatorFragBytes)],
    ['allocator_rss_ratio', formatFixed(mh.allocatorRss, 2)],
    ['allocator_rss_bytes', mh.allocatorRssBytes],
    ['rss_overhead_ratio', formatFixed(mh.rssExtra, 2)],
    ['rss_overhead_bytes', mh.rssExtraBytes],
    ['mem_fragmentation_ratio', formatFixed(mh.totalFrag, 2)],
    ['mem_fragmentation_bytes', mh.totalFragBytes],
    // Nothing is left out of eviction's count: there is no AOF and no replica buffer.
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0],
    ['mem_clients_normal', mh.clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'jemalloc-5.3.0'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', server.lazyfree.pendingObjects],
    ['lazyfreed_objects', server.lazyfree.freedObjects],
  ]);
}

function persistenceSection(server: RedisServer): string {
  // The engine never forks or writes an AOF; saves and loads are DEBUG RELOAD's (persist/rdb.ts).
  return section('Persistence', [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', server.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', server.lastSave],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', persistenceState(server).saves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', persistenceState(server).keysExpired],
    ['rdb_last_load_keys_loaded', persistenceState(server).keysLoaded],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ]);
}

/** (float)bytes_per_sec / 1024 printed with %.2f. */
function kbps(bytesPerSec: number): string {
  return formatFixed(Math.fround(Math.fround(bytesPerSec) / 1024), 2);
}

function statsSection(server: RedisServer): string {
  const s = server.stats;
  const expire = server.activeExpire;
  let errors = 0;
  for (const n of s.errorReplies.values()) errors += n;
  return section('Stats', [
    ['total_connections_received', s.totalConnectionsReceived],
    ['total_commands_processed', s.totalCommandsProcessed],
    ['instantaneous_ops_per_sec', server.instantaneous.commands.value],
    ['total_net_input_bytes', s.netInputBytes],
    ['total_net_output_bytes', s.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', kbps(server.instantaneous.netInput.value)],
    ['instantaneous_output_kbps', kbps(server.instantaneous.netOutput.value)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', 0],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', s.expiredKeys],
    // The expire cycle's time is modelled (server/expire.ts), not measured.
    ['expired_stale_perc', formatFixed(expire.stalePerc * 100, 2)],
    ['expired_time_cap_reached_count', expire.timeCapReachedCount],
    ['expire_cycle_cpu_milliseconds', expire.cycleCpuMs],
    // Eviction (evict.ts); clients are never evicted (no maxmemory-clients).
    ['evicted_keys', server.evictions.evictedKeys],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', server.evictions.totalExceededMsAt(server.mstime)],
    ['current_eviction_exceeded_time', server.evictions.currentExceededMs(server.mstime)],
    ['keyspace_hits', s.keyspaceHits],
    ['keyspace_misses', s.keyspaceMisses],
    ['pubsub_channels', server.pubsub.channels.size],
    ['pubsub_patterns', server.pubsub.patterns.size],
    ['pubsubshard_channels', 0],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', server.tracking.totalKeys],
    ['tracking_total_items', server.tracking.totalItems],
    ['tracking_total_prefixes', server.tracking.totalPrefixes],
    ['unexpected_error_replies', 0],
    ['total_error_replies', errors],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', s.readsProcessed],
    ['total_writes_processed', s.writesProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
  ]);
}

function replicationSection(server: RedisServer): string {
  // A standalone master without replicas and without a backlog (none is created until a replica
  // connects).
  return section('Replication', [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', server.replId],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ]);
}

function commandStatsSection(server: RedisServer): string {
  // usec is the modelled duration (cost.ts), not time measured in JavaScript.
  let out = '# Commandstats\r\n';
  for (const cmd of server.commands.all()) {
    const st = server.stats.commandCalls.get(cmd.fullName);
    if (!st || (st.calls === 0 && st.failed === 0 && st.rejected === 0)) continue;
    const usec = Math.round(st.usec);
    const perCall = st.calls ? (usec / st.calls).toFixed(2) : '0.00';
    out += `cmdstat_${safeInfoString(cmd.fullName)}:calls=${st.calls},usec=${usec},usec_per_call=${perCall},` +
      `rejected_calls=${st.rejected},failed_calls=${st.failed}\r\n`;
  }
  return out;
}

function errorStatsSection(server: RedisServer): string {
  // Sorted by byte order of the code, as Redis's radix tree keeps them.
  const codes = [...server.stats.errorReplies.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = '# Errorstats\r\n';
  for (const code of codes) out += `errorstat_${safeInfoString(code)}:count=${server.stats.errorReplies.get(code)}\r\n`;
  return out;
}

function keyspaceSection(server: RedisServer): string {
  let out = '# Keyspace\r\n';
  for (const db of server.dbs) {
    const keys = db.dict.size;
    const expires = db.expires.size;
    if (keys || expires) out += `db${db.id}:keys=${keys},expires=${expires},avg_ttl=${Math.trunc(db.avgTtl)}\r\n`;
  }
  return out;
}

/** genRedisInfoString: the INFO text for a request (sections separated by an empty line). */
export function genInfoString(server: RedisServer, req: InfoRequest): string {
  const all = req.all || req.everything;
  const wants = (name: string) => all || req.sections.has(name);
  const parts: string[] = [];
  if (wants('server')) parts.push(serverSection(server));
  if (wants('clients')) parts.push(clientsSection(server));
  if (wants('memory')) parts.push(memorySection(server));
  if (wants('persistence')) parts.push(persistenceSection(server));
  if (wants('stats')) parts.push(statsSection(server));
  if (wants('replication')) parts.push(replicationSection(server));
  // cpu: process CPU time is a fact of the host, not of the simulated server; left out.
  if (all || req.sections.has('module_list') || req.sections.has('modules')) parts.push('# Modules\r\n');
  if (wants('commandstats')) parts.push(commandStatsSection(server));
  if (wants('errorstats')) parts.push(errorStatsSection(server));
  // latencystats: per-command latency percentiles are not measured; left out.
  if (wants('cluster')) parts.push('# Cluster\r\ncluster_enabled:0\r\n');
  if (wants('keyspace')) parts.push(keyspaceSection(server));
  return parts.join('\r\n');
}

// MEMORY (object.c's memoryCommand, Redis 7.0): the memory model (server/memory.ts) as Redis lets
// you look at it. USAGE follows objectComputeSize's rules and matches Redis byte for byte wherever
// the structures are the same (strings, listpacks, intsets, quicklists, hashtables with the same
// element sizes); STATS, DOCTOR and MALLOC-STATS report the model's figures.
import { getLongLongOrReply, isOption } from '../server/args.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { memoryUsage, OBJ_COMPUTE_SIZE_DEF_SAMPLES, type MemoryOverhead } from '../server/memory.ts';
import { SYNTAX_ERR } from '../server/shared.ts';
import { replyHelp } from './generic.ts';

/** MEMORY USAGE key [SAMPLES count]: the key's estimated bytes, or null when it does not exist. */
function memoryUsageCommand(c: Client): void {
  let samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES;
  for (let j = 3; j < c.argv.length; j++) {
    if (isOption(c.argv[j], 'samples') && j + 1 < c.argv.length) {
      const n = getLongLongOrReply(c, c.argv[j + 1]);
      if (n === null) return;
      if (n < 0) {
        c.reply.error(SYNTAX_ERR);
        return;
      }
      samples = n === 0 ? Infinity : n;
      j++;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  // A plain dictFind: no expiry check, no access-time update.
  const o = c.db.dict.get(c.argv[2]);
  if (!o) {
    c.reply.null();
    return;
  }
  c.reply.integer(memoryUsage(c.argv[2], o, samples));
}

/** MEMORY STATS: getMemoryOverheadData's figures as a map (27 fields and one per non-empty db). */
function memoryStatsCommand(c: Client): void {
  const mh = c.server.memory.overhead();
  const ms = c.server.memory.mallocStats;
  const r = c.reply;
  r.map(27 + mh.dbs.length);
  const int = (name: string, v: number) => { r.bulk(name); r.integer(v); };
  const dbl = (name: string, v: number) => { r.bulk(name); r.double(v); };
  int('peak.allocated', mh.peakAllocated);
  int('total.allocated', mh.totalAllocated);
  int('startup.allocated', mh.startupAllocated);
  int('replication.backlog', 0);
  int('clients.slaves', 0);
  int('clients.normal', mh.clientsNormal);
  int('cluster.links', 0);
  int('aof.buffer', 0);
  int('lua.caches', 0);
  int('functions.caches', 0);
  for (const db of mh.dbs) {
    r.bulk(`db.${db.db}`);
    r.map(3);
    int('overhead.hashtable.main', db.overheadMain);
    int('overhead.hashtable.expires', db.overheadExpires);
    int('overhead.hashtable.slot-to-keys', 0);
  }
  int('overhead.total', mh.overheadTotal);
  int('keys.count', mh.totalKeys);
  int('keys.bytes-per-key', mh.bytesPerKey);
  int('dataset.bytes', mh.dataset);
  dbl('dataset.percentage', mh.datasetPerc);
  dbl('peak.percentage', mh.peakPerc);
  int('allocator.allocated', ms.allocatorAllocated);
  int('allocator.active', ms.allocatorActive);
  int('allocator.resident', ms.allocatorResident);
  dbl('allocator-fragmentation.ratio', mh.allocatorFrag);
  int('allocator-fragmentation.bytes', mh.allocatorFragBytes);
  dbl('allocator-rss.ratio', mh.allocatorRss);
  int('allocator-rss.bytes', mh.allocatorRssBytes);
  dbl('rss-overhead.ratio', mh.rssExtra);
  int('rss-overhead.bytes', mh.rssExtraBytes);
  dbl('fragmentation', mh.totalFrag);
  int('fragmentation.bytes', mh.totalFragBytes);
}

/** Below this much memory MEMORY DOCTOR declines to judge. */
const DOCTOR_MIN_BYTES = 5 * 1024 * 1024;
/** Ratios and byte counts past which the doctor reports a problem. */
const DOCTOR_BIG_BYTES = 10 << 20;

/**
 * getMemoryDoctorReport: Redis's checks on the model's figures. The two verdicts without findings
 * are Redis's own sentences; each finding is a short line of our own.
 */
export function memoryDoctorReport(mh: MemoryOverhead, clients: number): string {
  if (mh.totalAllocated < DOCTOR_MIN_BYTES) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used " +
      'in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam ' +
      'and I will be back to our programming as soon as I finished rebooting.\n';
  }
  const findings: string[] = [];
  if (mh.peakAllocated / mh.totalAllocated > 1.5) {
    findings.push(' * Peak memory: the peak was more than 150% of the memory used now; the allocator keeps ' +
      'much of it, so expect a high fragmentation ratio until new data reuses it (MEMORY PURGE may help).');
  }
  if (mh.totalFrag > 1.4 && mh.totalFragBytes > DOCTOR_BIG_BYTES) {
    findings.push(' * High total RSS: the process RSS is over 1.4 times the memory allocated.');
  }
  if (mh.allocatorFrag > 1.1 && mh.allocatorFragBytes > DOCTOR_BIG_BYTES) {
    findings.push(' * High allocator fragmentation: active pages hold over 10% more than what is allocated.');
  }
  if (mh.allocatorRss > 1.1 && mh.allocatorRssBytes > DOCTOR_BIG_BYTES) {
    findings.push(' * High allocator RSS overhead: the allocator keeps over 10% more resident than active ' +
      '(MEMORY PURGE may help).');
  }
  if (mh.rssExtra > 1.1 && mh.rssExtraBytes > DOCTOR_BIG_BYTES) {
    findings.push(' * High process RSS overhead: memory outside the allocator is over 10% of its RSS.');
  }
  if (clients > 0 && mh.clientsNormal / clients > 1024 * 200) {
    findings.push(' * Big client buffers: clients use more than 200K each on average.');
  }
  if (findings.length === 0) {
    return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
  }
  return `Sam, I detected a few issues in this Redis instance memory implants:\n\n${findings.join('\n\n')}\n\n` +
    "I'm here to keep you safe, Sam. I want to help you.\n";
}

function memoryDoctorCommand(c: Client): void {
  c.reply.verbatim(memoryDoctorReport(c.server.memory.overhead(), c.server.clients.size));
}

/**
 * MEMORY MALLOC-STATS: jemalloc's report would describe the host's allocator; this one gives the
 * model's totals, framed like jemalloc's.
 */
function memoryMallocStatsCommand(c: Client): void {
  const ms = c.server.memory.mallocStats;
  const text = '___ Begin jemalloc statistics ___\n' +
    'Version: "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c" (modelled by the simulator)\n' +
    `Allocated: ${ms.allocatorAllocated}, active: ${ms.allocatorActive}, resident: ${ms.allocatorResident}\n` +
    `zmalloc used: ${ms.zmallocUsed}, dirty (not yet purged): ${c.server.memory.dirtyBytes}, ` +
    `process RSS: ${ms.processRss}\n` +
    '--- End jemalloc statistics ---\n';
  c.reply.verbatim(text);
}

/** MEMORY PURGE: jemalloc gives its dirty pages back to the system. */
function memoryPurgeCommand(c: Client): void {
  c.server.memory.purge();
  c.reply.ok();
}

function memoryHelpCommand(c: Client): void {
  replyHelp(c, [
    'DOCTOR',
    '    Return memory problems reports.',
    'MALLOC-STATS',
    '    Return internal statistics report from the memory allocator.',
    'PURGE',
    '    Attempt to purge dirty pages for reclamation by the allocator.',
    'STATS',
    '    Return information about the memory usage of the server.',
    'USAGE <key> [SAMPLES <count>]',
    '    Return memory in bytes used by <key> and its value. Nested values are',
    '    sampled up to <count> times (default: 5, 0 means sample all).',
  ]);
}

export const memoryCommands: CommandImplementations = {
  'memory|usage': memoryUsageCommand,
  'memory|stats': memoryStatsCommand,
  'memory|doctor': memoryDoctorCommand,
  'memory|malloc-stats': memoryMallocStatsCommand,
  'memory|purge': memoryPurgeCommand,
  'memory|help': memoryHelpCommand,
};

// Server commands (Redis's server.c, config.c and debug.c parts): CONFIG, INFO, TIME, COMMAND and
// DEBUG.
import type { Client } from '../server/client.ts';
import type { Command, CommandArgument, CommandImplementations, KeySpec } from '../server/commandTable.ts';
import { getLongLongOrReply, getPositiveLongOrReply } from '../server/args.ts';
import type { ConfigEntry } from '../server/config.ts';
import { Dict, DICT_STATS_VECTLEN } from '../ds/dict.ts';
import { globMatch } from '../server/glob.ts';
import { genInfoString, parseInfoRequest, formatFixed } from '../server/info.ts';
import { commandHasKeys, getKeysFromCommand } from '../server/keySpecs.ts';
import { rdbObjectSize } from '../server/rdbSize.ts';
import { objectRefcount, createStringObject, stringObjectSds, type StringObject } from '../server/stringObject.ts';
import { sdsAvail, sdsNewLen } from '../ds/sds.ts';
import type { Quicklist } from '../ds/quicklist.ts';
import type { RedisObject } from '../server/object.ts';
import { NO_SUCH_KEY, SYNTAX_ERR } from '../server/shared.ts';
import { replyHelp } from './generic.ts';
import { microsToWork } from '../server/cost.ts';
import { emptyAllDatabases, loadRdb, persistenceState, RdbError, saveRdbToDisk } from '../persist/rdb.ts';
import { emitReloadConversions, encodingsBeforeReload } from '../trace/conversions.ts';
import { SideTable } from '../sideTable.ts';
import { valueDict } from '../trace/dictTrace.ts';
import { LOOKUP_NONOTIFY, LOOKUP_NOTOUCH } from '../server/db.ts';
import type { RedisServer } from '../server/redisServer.ts';

// =================================================================================================
// CONFIG

/** CONFIG GET pattern [pattern ...]: several patterns in one call (7.0); each name once. */
function configGetCommand(c: Client): void {
  const config = c.server.config;
  // Keyed by lowercase name (Redis's case-insensitive dict), iterated in hash order like Redis's
  // reply; a name asked for exactly is echoed as typed.
  const matches = new Dict<{ shown: string; entry: ConfigEntry }>(c.server.hashSeed);
  for (const arg of c.argv.slice(2)) {
    const nul = arg.indexOf('\0');
    const isPattern = /[[*?]/.test(nul < 0 ? arg : arg.slice(0, nul));
    if (!isPattern) {
      const key = arg.toLowerCase();
      if (matches.has(key)) continue;
      const entry = config.lookup(arg);
      if (entry) matches.add(key, { shown: arg, entry });
      continue;
    }
    for (const entry of config.allEntries()) {
      if (matches.has(entry.name)) continue;
      if (globMatch(arg, entry.name, true)) matches.add(entry.name, { shown: entry.name, entry });
    }
  }
  c.reply.map(matches.size);
  for (const { value } of matches.entries()) {
    c.reply.bulk(value.shown);
    c.reply.bulk(config.get(value.entry.spec.name));
  }
}

/** CONFIG SET name value [name value ...]: all or nothing. */
function configSetCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length % 2 === 1) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const config = c.server.config;
  const count = (argv.length - 2) / 2;
  const entries: ConfigEntry[] = [];
  let unknownName: string | null = null;
  let errName: string | null = null;
  let errText: string | null = null;
  // Every name is looked at first; the first problem found decides the error.
  for (let i = 0; i < count; i++) {
    const name = argv[2 + i * 2];
    const entry = config.lookup(name);
    if (!entry) {
      if (errName === null && unknownName === null) unknownName = name;
      continue;
    }
    if (unknownName !== null || errName !== null) continue;
    if (entry.spec.immutable) {
      errName = name;
      errText = "can't set immutable config";
      continue;
    }
    // The same entry twice (an alias and its name are different entries, as in Redis).
    if (entries.includes(entry)) {
      errName = name;
      errText = 'duplicate parameter';
    }
    entries.push(entry);
  }
  if (unknownName !== null) {
    c.reply.error(`Unknown option or number of arguments for CONFIG SET - '${unknownName}'`);
    return;
  }
  if (errName === null) {
    const backup = entries.map((e) => config.get(e.spec.name));
    for (let i = 0; i < count; i++) {
      const err = config.set(entries[i].spec, argv[3 + i * 2]);
      if (err !== null) {
        for (let j = 0; j <= i; j++) config.set(entries[j].spec, backup[j]);
        errName = entries[i].name;
        errText = err;
        break;
      }
    }
  }
  if (errName !== null) {
    c.reply.error(`CONFIG SET failed (possibly related to argument '${errName}') - ${errText}`);
    return;
  }
  c.reply.ok();
}

function configResetStatCommand(c: Client): void {
  c.server.resetStats();
  c.reply.ok();
}

/** There is no config file to rewrite (the simulator is configured in memory), as for a Redis
 * started without one. */
function configRewriteCommand(c: Client): void {
  c.reply.error('The server is running without a config file');
}

function configHelpCommand(c: Client): void {
  replyHelp(c, [
    'GET <pattern>',
    '    Return parameters matching the glob-like <pattern> and their values.',
    'SET <directive> <value>',
    '    Set the configuration <directive> to <value>.',
    'RESETSTAT',
    '    Reset statistics reported by the INFO command.',
    'REWRITE',
    '    Rewrite the configuration file.',
  ]);
}

// =================================================================================================
// INFO, TIME

function infoCommand(c: Client): void {
  const text = genInfoString(c.server, parseInfoRequest(c.argv.slice(1)));
  c.reply.verbatim(text, 'txt');
}

/** TIME: the engine clock's unix time as seconds and microseconds. */
function timeCommand(c: Client): void {
  const us = Math.floor(c.server.clock.now() * 1000);
  c.reply.array(2);
  c.reply.bulk(String(Math.floor(us / 1e6)));
  c.reply.bulk(String(us % 1e6));
}

// =================================================================================================
// COMMAND

/** A number in the facts is an integer reply; anything else a bulk string. */
function replyScalar(c: Client, v: unknown): void {
  if (typeof v === 'number') c.reply.integer(v);
  else c.reply.bulk(String(v));
}

function replyStatusSet(c: Client, items: readonly string[]): void {
  c.reply.set(items.length);
  for (const s of items) c.reply.status(s);
}

/** A begin_search or find_keys part of a key spec: its type and its spec fields. */
function replyKeySpecPart(c: Client, part: { type: string; spec: Record<string, unknown> }): void {
  c.reply.map(2);
  c.reply.bulk('type');
  c.reply.bulk(part.type);
  c.reply.bulk('spec');
  const fields = Object.entries(part.spec);
  c.reply.map(fields.length);
  for (const [k, v] of fields) {
    c.reply.bulk(k);
    replyScalar(c, v);
  }
}

function replyKeySpecs(c: Client, specs: readonly KeySpec[]): void {
  c.reply.set(specs.length);
  for (const spec of specs) {
    c.reply.map(spec.notes !== undefined ? 4 : 3);
    if (spec.notes !== undefined) {
      c.reply.bulk('notes');
      c.reply.bulk(spec.notes);
    }
    c.reply.bulk('flags');
    replyStatusSet(c, spec.flags);
    c.reply.bulk('begin_search');
    replyKeySpecPart(c, spec.begin_search);
    c.reply.bulk('find_keys');
    replyKeySpecPart(c, spec.find_keys);
  }
}

/** addReplyCommandInfo: the 10-element description; null for an unknown command. */
function replyCommandInfo(c: Client, cmd: Command | null): void {
  if (!cmd) {
    c.reply.null();
    return;
  }
  c.reply.array(10);
  c.reply.bulk(cmd.fullName);
  c.reply.integer(cmd.arity);
  replyStatusSet(c, [...cmd.flags]);
  c.reply.integer(cmd.firstKey);
  c.reply.integer(cmd.lastKey);
  c.reply.integer(cmd.step);
  replyStatusSet(c, cmd.aclCategories);
  c.reply.set(cmd.tips.length);
  for (const tip of cmd.tips) c.reply.bulk(tip);
  replyKeySpecs(c, cmd.keySpecs);
  // A command without subcommands has an empty set here; a container an array of its own.
  if (cmd.subcommands.size === 0) {
    c.reply.set(0);
  } else {
    c.reply.array(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) replyCommandInfo(c, sub);
  }
}

function replyArguments(c: Client, args: readonly CommandArgument[]): void {
  c.reply.array(args.length);
  for (const arg of args) {
    const fields = Object.entries(arg);
    c.reply.map(fields.length);
    for (const [k, v] of fields) {
      c.reply.bulk(k);
      if (k === 'flags') replyStatusSet(c, v as string[]);
      else if (k === 'arguments') replyArguments(c, v as CommandArgument[]);
      else replyScalar(c, v);
    }
  }
}

/** addReplyCommandDocs: our summary first, then Redis's documented facts in Redis's order. */
function replyCommandDocs(c: Client, cmd: Command): void {
  const facts = Object.entries(cmd.docs);
  const hasSummary = cmd.summary !== '';
  c.reply.map(facts.length + (hasSummary ? 1 : 0) + (cmd.subcommands.size > 0 ? 1 : 0));
  if (hasSummary) {
    c.reply.bulk('summary');
    c.reply.bulk(cmd.summary);
  }
  for (const [k, v] of facts) {
    c.reply.bulk(k);
    if (k === 'doc_flags') {
      replyStatusSet(c, v as string[]);
    } else if (k === 'history') {
      const history = v as [string, string][];
      c.reply.set(history.length);
      for (const [since, change] of history) {
        c.reply.array(2);
        c.reply.bulk(since);
        c.reply.bulk(change);
      }
    } else if (k === 'arguments') {
      replyArguments(c, v as CommandArgument[]);
    } else {
      replyScalar(c, v);
    }
  }
  if (cmd.subcommands.size > 0) {
    c.reply.bulk('subcommands');
    c.reply.map(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) {
      c.reply.bulk(sub.fullName);
      replyCommandDocs(c, sub);
    }
  }
}

/** lookupCommandBySds: "get" or "config|get" (one level of subcommands; exact, case-insensitive). */
function lookupByName(c: Client, name: string): Command | null {
  if (name.length === 0) return null;
  const parts = name.split('|');
  if (parts.length > 2) return null;
  const base = c.server.commands.commands.get(parts[0].toLowerCase()) ?? null;
  if (parts.length === 1) return base;
  if (!base || base.subcommands.size === 0) return null;
  return base.subcommands.get(parts[1].toLowerCase()) ?? null;
}

/** COMMAND: every command's description. */
function commandCommand(c: Client): void {
  const all = c.server.commands.commands;
  c.reply.array(all.size);
  for (const cmd of all.values()) replyCommandInfo(c, cmd);
}

function commandCountCommand(c: Client): void {
  c.reply.integer(c.server.commands.commands.size);
}

/** COMMAND INFO [name ...] */
function commandInfoCommand(c: Client): void {
  if (c.argv.length === 2) {
    commandCommand(c);
    return;
  }
  c.reply.array(c.argv.length - 2);
  for (const name of c.argv.slice(2)) replyCommandInfo(c, lookupByName(c, name));
}

/** COMMAND DOCS [name ...]: unknown names are skipped. */
function commandDocsCommand(c: Client): void {
  const cmds = c.argv.length === 2
    ? [...c.server.commands.commands.values()]
    : c.argv.slice(2).map((n) => lookupByName(c, n)).filter((cmd): cmd is Command => cmd !== null);
  c.reply.map(cmds.length);
  for (const cmd of cmds) {
    c.reply.bulk(cmd.fullName);
    replyCommandDocs(c, cmd);
  }
}

/** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] */
function commandListCommand(c: Client): void {
  let filter: ((cmd: Command) => boolean) | null = null;
  for (let i = 2; i < c.argv.length; i++) {
    const more = c.argv.length - 1 - i;
    if (c.argv[i].toLowerCase() === 'filterby' && more === 2) {
      const type = c.argv[i + 1].toLowerCase();
      const arg = c.argv[i + 2];
      if (type === 'module') {
        filter = () => false; // no modules are loaded
      } else if (type === 'aclcat') {
        const category = '@' + arg.toLowerCase();
        filter = (cmd) => cmd.aclCategories.includes(category);
      } else if (type === 'pattern') {
        filter = (cmd) => globMatch(arg, cmd.fullName, true);
      } else {
        c.reply.error(SYNTAX_ERR);
        return;
      }
      i += 2;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const names: string[] = [];
  for (const cmd of c.server.commands.all()) if (!filter || filter(cmd)) names.push(cmd.fullName);
  c.reply.bulks(names);
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS command [arg ...] */
function getKeysSubcommand(c: Client, withFlags: boolean): void {
  const argv = c.argv.slice(2);
  const cmd = c.server.commands.lookup(argv);
  if (!cmd) {
    c.reply.error('Invalid command specified');
    return;
  }
  if (!commandHasKeys(cmd)) {
    c.reply.error('The command has no key arguments');
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    c.reply.error('Invalid number of arguments specified for command');
    return;
  }
  const keys = getKeysFromCommand(cmd, argv);
  if (keys.length === 0) {
    if (cmd.flags.has('no_mandatory_keys')) c.reply.emptyArray();
    else c.reply.error('Invalid arguments specified for command');
    return;
  }
  c.reply.array(keys.length);
  for (const k of keys) {
    if (!withFlags) {
      c.reply.bulk(argv[k.pos]);
    } else {
      c.reply.array(2);
      c.reply.bulk(argv[k.pos]);
      replyStatusSet(c, k.flags);
    }
  }
}

function commandHelpCommand(c: Client): void {
  replyHelp(c, [
    '(no subcommand)',
    '    Return details about all Redis commands.',
    'COUNT',
    '    Return the total number of commands in this Redis server.',
    'LIST',
    '    Return a list of all commands in this Redis server.',
    'INFO [<command-name> ...]',
    '    Return details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'DOCS [<command-name> ...]',
    '    Return documentation details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'GETKEYS <full-command>',
    '    Return the keys from a full Redis command.',
    'GETKEYSANDFLAGS <full-command>',
    '    Return the keys and the access flags from a full Redis command.',
  ]);
}

// =================================================================================================
// DEBUG

// Objects get a stable made-up address the first time DEBUG OBJECT shows them, the next of their
// server's (per server, so a replayed or copied world shows the same addresses).
const addresses = new SideTable<object, number>('debug.address');
const nextAddresses = new SideTable<RedisServer, number>('debug.nextAddress');

function addressOf(server: RedisServer, o: object): string {
  let a = addresses.get(o);
  if (a === undefined) {
    a = nextAddresses.get(server) ?? 0x7f3a1c000000;
    nextAddresses.set(server, a + 0x40);
    addresses.set(o, a);
  }
  return '0x' + a.toString(16);
}

/** strtod's leading number ("1.5s" is 1.5, "abc" is 0). */
function strtodPrefix(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?|nan))/i.exec(s);
  return m ? Number(m[1].replace(/^([+-]?)inf(inity)?$/i, '$1Infinity').replace(/^[+-]?nan$/i, 'NaN')) : 0;
}

/** atoi */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) | 0 : 0;
}

/** The quicklist details DEBUG OBJECT appends for lists. */
function quicklistExtra(ql: Quicklist): string {
  return ` ql_nodes:${ql.len} ql_avg_node:${formatFixed(ql.count / ql.len, 2)} ql_listpack_max:${ql.fill}` +
    ` ql_compressed:${ql.compressDepth !== 0 ? 1 : 0} ql_uncompressed_size:${ql.uncompressedSize()}`;
}

/** DEBUG OBJECT key: the value's low-level facts (no expiry check, no access-time update). */
function debugObject(c: Client): void {
  const o = c.db.dict.get(c.argv[2]) as RedisObject | undefined;
  if (!o) {
    c.reply.error(NO_SUCH_KEY);
    return;
  }
  const extra = o.encoding === 'quicklist' ? quicklistExtra(o.value as Quicklist) : '';
  const idleSeconds = Math.floor(c.server.objectIdleMs(o) / 1000);
  const serialized = rdbObjectSize(o, c.server.config.bool('rdbcompression'));
  c.reply.status(`Value at:${addressOf(c.server, o)} refcount:${objectRefcount(o)} encoding:${o.encoding} ` +
    `serializedlength:${serialized} lru:${o.lru} lru_seconds_idle:${idleSeconds}${extra}`);
}

/** DEBUG SDSLEN key: the modelled allocations behind a string key and its value. */
function debugSdslen(c: Client): void {
  const key = c.argv[2];
  const o = c.db.dict.get(key) as RedisObject | undefined;
  if (!o) {
    c.reply.error(NO_SUCH_KEY);
    return;
  }
  const val = o.type === 'string' ? stringObjectSds(o as StringObject) : null;
  if (!val) {
    c.reply.error('Not an sds encoded string.');
    return;
  }
  const keySds = sdsNewLen(key.length); // keys are exact-size copies of the argument
  c.reply.status(`key_sds_len:${keySds.len}, key_sds_avail:${sdsAvail(keySds)}, key_zmalloc: ${keySds.zmalloc}, ` +
    `val_sds_len:${val.len}, val_sds_avail:${sdsAvail(val)}, val_zmalloc: ${val.zmalloc}`);
}

/** dictGetStats's text for one dict: its main table, and the rehashing target while rehashing. */
function dictStatsText(d: Dict<unknown>): string {
  let out = tableStatsText(d, 0);
  if (d.isRehashing) out += tableStatsText(d, 1);
  return out;
}

function tableStatsText(d: Dict<unknown>, index: 0 | 1): string {
  const name = `Hash table ${index} stats (${index === 0 ? 'main hash table' : 'rehashing target'}):\n`;
  const stats = d.tableStats(index);
  if (!stats || stats.used === 0) return name + 'No stats available for empty dictionaries\n';
  // The averages and shares are C floats printed with %.02f.
  const f = Math.fround;
  let out = name +
    ` table size: ${stats.size}\n number of elements: ${stats.used}\n different slots: ${stats.slots}\n` +
    ` max chain length: ${stats.maxChain}\n` +
    ` avg chain length (counted): ${formatFixed(f(stats.totalChain / stats.slots), 2)}\n` +
    ` avg chain length (computed): ${formatFixed(f(stats.used / stats.slots), 2)}\n` +
    ' Chain length distribution:\n';
  // As in dict.c, the last bucket of the distribution (the longest chains) is never printed.
  for (let len = 0; len < DICT_STATS_VECTLEN - 1; len++) {
    const count = stats.chains[len];
    if (count !== 0) out += `   ${len}: ${count} (${formatFixed(f(f(count / stats.size) * 100), 2)}%)\n`;
  }
  return out;
}

/** DEBUG HTSTATS dbid: the chain statistics of a database's keyspace and expires dicts. */
function debugHtstats(c: Client): void {
  const id = getLongLongOrReply(c, c.argv[2]);
  if (id === null) return;
  if (id < 0 || id >= c.server.dbs.length) {
    c.reply.error('Out of range database');
    return;
  }
  const db = c.server.dbs[id];
  c.reply.verbatim(`[Dictionary HT]\n${dictStatsText(db.dict as Dict<unknown>)}[Expires HT]\n${dictStatsText(db.expires as Dict<unknown>)}`, 'txt');
}

/** DEBUG HTSTATS-KEY key: the same for the hash table inside a value (hashtable or skiplist encoding). */
function debugHtstatsKey(c: Client): void {
  const o = c.db.lookupKeyRead(c.argv[2], LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
  if (!o) {
    c.reply.error(NO_SUCH_KEY);
    return;
  }
  const d = valueDict(o);
  if (!d) c.reply.error('The value stored at the specified key is not represented using an hash table');
  else c.reply.verbatim(dictStatsText(d), 'txt');
}

/** DEBUG POPULATE count [prefix] [size]: keys prefix:N holding "value:N" (cut or zero-padded to size). */
function debugPopulate(c: Client): void {
  const count = getPositiveLongOrReply(c, c.argv[2]);
  if (count === null) return;
  // Like dictExpand (bounded here, where a huge table would only exhaust the page's memory).
  if (count <= 1 << 24) c.db.dict.expand(count);
  let size = 0;
  if (c.argv.length === 5) {
    const v = getPositiveLongOrReply(c, c.argv[4]);
    if (v === null) return;
    size = v;
  }
  let prefix = c.argv.length === 3 ? 'key' : c.argv[3];
  const nul = prefix.indexOf('\0');
  if (nul >= 0) prefix = prefix.slice(0, nul);
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`.slice(0, 127); // snprintf into a 128-byte buffer
    if (c.db.lookupKeyWrite(key) !== null) continue;
    let value = `value:${j}`;
    if (size > 0) value = size <= value.length ? value.slice(0, size) : value + '\0'.repeat(size - value.length);
    c.db.add(key, createStringObject(c.server, value));
    c.server.signalModifiedKey(c, c.db, key);
  }
  c.reply.ok();
}

/** DEBUG PROTOCOL type: a sample reply of each RESP type. */
function debugProtocol(c: Client): void {
  const r = c.reply;
  switch (c.argv[2].toLowerCase()) {
    case 'string': r.bulk('Hello World'); break;
    case 'integer': r.integer(12345); break;
    case 'double': r.double(3.141); break;
    case 'bignum':
      if (c.protocol === 3) r.raw('(1234567999999999999999999999999999999\r\n');
      else r.bulk('1234567999999999999999999999999999999');
      break;
    case 'null': r.null(); break;
    case 'array': r.array(3); for (let j = 0; j < 3; j++) r.integer(j); break;
    case 'set': r.set(3); for (let j = 0; j < 3; j++) r.integer(j); break;
    case 'map': r.map(3); for (let j = 0; j < 3; j++) { r.integer(j); r.bool(j === 1); } break;
    case 'attrib':
      if (c.protocol === 3) {
        r.raw('|1\r\n');
        r.bulk('key-popularity');
        r.array(2);
        r.bulk('key:123');
        r.integer(90);
      }
      r.bulk('Some real reply following the attribute');
      break;
    case 'push':
      if (c.protocol < 3) {
        r.error('RESP2 is not supported by this command');
        return;
      }
      r.push(2);
      r.bulk('server-cpu-usage');
      r.integer(42);
      r.bulk('Some real reply following the push reply');
      break;
    case 'true': r.bool(true); break;
    case 'false': r.bool(false); break;
    case 'verbatim': r.verbatim('This is a verbatim\nstring', 'txt'); break;
    default:
      r.error('Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
  }
}

/**
 * DEBUG SLEEP seconds: the server stops for that long. The engine cannot block: the sleep is the
 * command's modelled duration, so the thread stays busy until that clock time like after any slow
 * command: this reply, other clients' commands and the cron wait (RedisServer.busyUntil).
 */
function debugSleep(c: Client): void {
  const us = strtodPrefix(c.argv[2]) * 1e6;
  // (long long) of the product; x86 turns NaN and out-of-range values into a negative number.
  const micros = Number.isFinite(us) && Math.abs(us) < 2 ** 63 ? Math.trunc(us) : -1;
  if (micros > 0) c.server.chargeWork(microsToWork(micros)); // the sleep is the command's duration (cost.ts)
  c.reply.ok();
}

const DEBUG_HELP = [
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  '    Like HTSTATS but for the hash table stored at <key>\'s value.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB (unless NOSAVE), empty the databases
 * (unless NOFLUSH), load the file back. The "disk" is the server's last saved RDB (rdb.ts).
 */
function debugReload(c: Client): void {
  let flush = true;
  let save = true;
  let allowDuplicates = false;
  for (let j = 2; j < c.argv.length; j++) {
    const opt = c.argv[j].toLowerCase();
    if (opt === 'merge') allowDuplicates = true;
    else if (opt === 'noflush') flush = false;
    else if (opt === 'nosave') save = false;
    else {
      c.reply.error('DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      return;
    }
  }
  const server = c.server;
  if (save) saveRdbToDisk(server);
  const file = persistenceState(server).file;
  // The encodings before, to report the keys the load gives another one (only while traced).
  const before = server.trace ? encodingsBeforeReload(server) : null;
  // Redis empties the data before opening the file, so a missing file leaves it empty.
  if (flush) emptyAllDatabases(server);
  try {
    if (!file) throw new RdbError('no RDB file');
    loadRdb(server, file, { flush: false, allowDuplicates });
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    c.reply.error('Error trying to load the RDB dump');
    return;
  }
  if (before) emitReloadConversions(server, before);
  c.reply.ok();
}

/** DEBUG subcommand ...: the subcommands the engine has (debug.c has many more). */
function debugCommand(c: Client): void {
  const argc = c.argv.length;
  const sub = c.argv[1].toLowerCase();
  if (sub === 'help' && argc === 2) {
    replyHelp(c, DEBUG_HELP);
  } else if (sub === 'object' && argc === 3) {
    debugObject(c);
  } else if (sub === 'sdslen' && argc === 3) {
    debugSdslen(c);
  } else if (sub === 'populate' && argc >= 3 && argc <= 5) {
    debugPopulate(c);
  } else if (sub === 'protocol' && argc === 3) {
    debugProtocol(c);
  } else if (sub === 'htstats' && argc === 3) {
    debugHtstats(c);
  } else if (sub === 'htstats-key' && argc === 3) {
    debugHtstatsKey(c);
  } else if (sub === 'reload') {
    debugReload(c);
  } else if (sub === 'sleep' && argc === 3) {
    debugSleep(c);
  } else if (sub === 'set-active-expire' && argc === 3) {
    c.server.activeExpireEnabled = atoi(c.argv[2]) !== 0;
    c.reply.ok();
  } else {
    c.reply.error(`unknown subcommand or wrong number of arguments for '${c.argv[1].slice(0, 128)}'. Try ${c.argv[0].toUpperCase()} HELP.`);
  }
}

export const serverCommands: CommandImplementations = {
  'config|get': configGetCommand,
  'config|set': configSetCommand,
  'config|resetstat': configResetStatCommand,
  'config|rewrite': configRewriteCommand,
  'config|help': configHelpCommand,
  info: infoCommand,
  time: timeCommand,
  command: commandCommand,
  'command|count': commandCountCommand,
  'command|info': commandInfoCommand,
  'command|docs': commandDocsCommand,
  'command|list': commandListCommand,
  'command|getkeys': (c) => getKeysSubcommand(c, false),
  'command|getkeysandflags': (c) => getKeysSubcommand(c, true),
  'command|help': commandHelpCommand,
  debug: debugCommand,
};

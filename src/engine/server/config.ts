// The server's configuration: a table of typed entries (config.c's standardConfig), read with
// CONFIG GET and changed with CONFIG SET or at creation. Only settings the engine really honours
// are listed; anything else is unknown, exactly as an unknown option is to Redis (see
// docs/compatibility.md). Names, aliases, bounds, defaults, parsing rules and error texts are
// Redis 7.0's.
import {
  NOTIFY_EVICTED, NOTIFY_EXPIRED, NOTIFY_GENERIC, NOTIFY_HASH, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE,
  NOTIFY_KEY_MISS, NOTIFY_LIST, NOTIFY_MODULE, NOTIFY_NEW, NOTIFY_SET, NOTIFY_STREAM, NOTIFY_STRING,
  NOTIFY_ZSET,
} from './notify.ts';

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;
const TWO_64 = 1n << 64n;

export type ConfigKind =
  /** yes/no. */
  | { kind: 'bool' }
  /**
   * A number held in a C integer field. `unsigned` fields (size_t, unsigned long long) check their
   * bounds on the unsigned reading of the parsed long long, and print them with %llu, as Redis
   * does; `memory` values accept units (1k, 5mb, 2gb) and nothing else.
   */
  | { kind: 'int'; min: bigint; max: bigint; unsigned?: boolean; memory?: boolean }
  /** One of a fixed list of names (case-insensitive); the value prints as the canonical name. */
  | { kind: 'enum'; values: readonly string[] }
  /** notify-keyspace-events: a set of class letters, printed in Redis's canonical order. */
  | { kind: 'keyspace-events' }
  /** Free text (requirepass), taken as given. */
  | { kind: 'string' };

export interface ConfigSpec {
  name: string;
  alias?: string;
  type: ConfigKind;
  default: string;
  /** Can only be given at creation (redis.conf / command line), never with CONFIG SET. */
  immutable?: boolean;
  /** Runs after the value was stored (Redis's apply functions), e.g. to clamp it. */
  apply?: (config: Config) => void;
}

/** An entry of the lookup table: a setting under one of its names (aliases are entries too). */
export interface ConfigEntry {
  /** The name this entry is registered under, lowercase (the alias for an alias entry). */
  readonly name: string;
  readonly spec: ConfigSpec;
}

// -------------------------------------------------------------------------------------------------
// Parsing, with Redis's rules and messages.

/** C functions stop at the first NUL byte: strcasecmp, memtoull and friends see only this much. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * memtoull: digits with an optional unit (b, k, kb, m, mb, g, gb; case-insensitive). No sign, no
 * spaces. Digits overflowing 64 bits saturate (strtoull) and the multiplication wraps, as in C.
 * Returns null where Redis reports an error.
 */
export function memtoull(raw: string): bigint | null {
  const s = cString(raw);
  if (s.startsWith('-')) return null;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const units: Record<string, bigint> = {
    '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n,
  };
  const mul = units[s.slice(i).toLowerCase()];
  if (mul === undefined || i >= 128) return null;
  let digits = i === 0 ? 0n : BigInt(s.slice(0, i));
  if (digits > ULLONG_MAX) digits = ULLONG_MAX;
  return (digits * mul) % TWO_64;
}

/** An unsigned 64-bit value read as C's long long. */
function toSigned64(v: bigint): bigint {
  return v > LONG_MAX ? v - TWO_64 : v;
}

function toUnsigned64(v: bigint): bigint {
  return v < 0n ? v + TWO_64 : v;
}

/** string2ll: the strict integer syntax (no spaces, '+', or leading zeros) in 64 bits. */
function string2ll(s: string): bigint | null {
  if (s.length === 0 || s.length > 20) return null;
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -LONG_MAX - 1n && v <= LONG_MAX ? v : null;
}

/** keyspaceEventsStringToFlags: null on a letter that is no event class. */
export function keyspaceEventsToFlags(raw: string): number | null {
  let flags = 0;
  for (const ch of cString(raw)) {
    switch (ch) {
      case 'A': flags |= NOTIFY_ALL; break;
      case 'g': flags |= NOTIFY_GENERIC; break;
      case '$': flags |= NOTIFY_STRING; break;
      case 'l': flags |= NOTIFY_LIST; break;
      case 's': flags |= NOTIFY_SET; break;
      case 'h': flags |= NOTIFY_HASH; break;
      case 'z': flags |= NOTIFY_ZSET; break;
      case 'x': flags |= NOTIFY_EXPIRED; break;
      case 'e': flags |= NOTIFY_EVICTED; break;
      case 'K': flags |= NOTIFY_KEYSPACE; break;
      case 'E': flags |= NOTIFY_KEYEVENT; break;
      case 't': flags |= NOTIFY_STREAM; break;
      case 'm': flags |= NOTIFY_KEY_MISS; break;
      case 'd': flags |= NOTIFY_MODULE; break;
      case 'n': flags |= NOTIFY_NEW; break;
      default: return null;
    }
  }
  return flags;
}

/** Every class 'A' stands for: all but the key-miss and new-key classes and K/E. */
export const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH |
  NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

/** keyspaceEventsFlagsToString: 'A' when every class is on, then K, E and m in that order. */
export function keyspaceEventsToString(flags: number): string {
  let out = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    out += 'A';
  } else {
    const classes: [number, string][] = [
      [NOTIFY_GENERIC, 'g'], [NOTIFY_STRING, '$'], [NOTIFY_LIST, 'l'], [NOTIFY_SET, 's'],
      [NOTIFY_HASH, 'h'], [NOTIFY_ZSET, 'z'], [NOTIFY_EXPIRED, 'x'], [NOTIFY_EVICTED, 'e'],
      [NOTIFY_STREAM, 't'], [NOTIFY_MODULE, 'd'], [NOTIFY_NEW, 'n'],
    ];
    for (const [flag, letter] of classes) if (flags & flag) out += letter;
  }
  if (flags & NOTIFY_KEYSPACE) out += 'K';
  if (flags & NOTIFY_KEYEVENT) out += 'E';
  if (flags & NOTIFY_KEY_MISS) out += 'm';
  return out;
}

/** The outcome of parsing a value: what CONFIG GET will print and the number the engine reads. */
interface Parsed { text: string; num: number }

function parseValue(spec: ConfigSpec, raw: string): Parsed | string {
  const t = spec.type;
  switch (t.kind) {
    case 'bool': {
      const s = cString(raw).toLowerCase();
      if (s === 'yes') return { text: 'yes', num: 1 };
      if (s === 'no') return { text: 'no', num: 0 };
      return "argument must be 'yes' or 'no'";
    }
    case 'enum': {
      const s = cString(raw).toLowerCase();
      const i = t.values.indexOf(s);
      if (i < 0) return `argument(s) must be one of the following: ${t.values.join(', ')}`;
      return { text: t.values[i], num: i };
    }
    case 'string':
      return { text: raw, num: raw.length };
    case 'keyspace-events': {
      const flags = keyspaceEventsToFlags(raw);
      if (flags === null) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
      return { text: keyspaceEventsToString(flags), num: flags };
    }
    case 'int': {
      let ll: bigint | null;
      if (t.memory) {
        const v = memtoull(raw);
        ll = v === null ? null : toSigned64(v);
      } else {
        ll = string2ll(raw);
      }
      if (ll === null) return t.memory ? 'argument must be a memory value' : "argument couldn't be parsed into an integer";
      const checked = t.unsigned ? toUnsigned64(ll) : ll;
      if (checked < t.min || checked > t.max) return `argument must be between ${t.min} and ${t.max} inclusive`;
      // Memory values print unsigned (ull2string); others as the signed long long.
      const value = t.memory ? toUnsigned64(ll) : ll;
      return { text: value.toString(), num: Number(value) };
    }
  }
}

// -------------------------------------------------------------------------------------------------
// The table.

const int = (min: bigint, max: bigint) => ({ kind: 'int', min, max }) as const;
const sizeT = (min: bigint, max: bigint, memory = false) => ({ kind: 'int', min, max, unsigned: true, memory }) as const;

/** Redis clamps hz into 1..500 after accepting any non-negative int (updateHZ). */
function clampHz(config: Config): void {
  const hz = config.num('hz');
  if (hz < 1) config.storeParsed('hz', { text: '1', num: 1 });
  else if (hz > 500) config.storeParsed('hz', { text: '500', num: 500 });
}

export const MAXMEMORY_POLICIES = [
  'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
  'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction',
] as const;

/** enable-debug-command / enable-module-command values (protected_action_enum). */
export const PROTECTED_ACTION_VALUES = ['no', 'yes', 'local'] as const;

export const CONFIG_TABLE: readonly ConfigSpec[] = [
  // Facts of this instance.
  { name: 'port', type: int(0n, 65535n), default: '6379', immutable: true },
  { name: 'databases', type: int(1n, INT_MAX), default: '16', immutable: true },
  { name: 'enable-debug-command', type: { kind: 'enum', values: PROTECTED_ACTION_VALUES }, default: 'no', immutable: true },
  // Cron and background work.
  { name: 'hz', type: int(0n, INT_MAX), default: '10', apply: clampHz },
  { name: 'activerehashing', type: { kind: 'bool' }, default: 'yes' },
  { name: 'active-expire-effort', type: int(1n, 10n), default: '1' },
  // Protocol.
  { name: 'proto-max-bulk-len', type: { kind: 'int', min: 1024n * 1024n, max: LONG_MAX, memory: true }, default: '536870912' },
  // Memory and eviction.
  { name: 'maxmemory', type: sizeT(0n, ULLONG_MAX, true), default: '0' },
  { name: 'maxmemory-policy', type: { kind: 'enum', values: MAXMEMORY_POLICIES }, default: 'noeviction' },
  { name: 'maxmemory-samples', type: int(1n, INT_MAX), default: '5' },
  { name: 'maxmemory-eviction-tenacity', type: int(0n, 100n), default: '10' },
  { name: 'lfu-log-factor', type: int(0n, INT_MAX), default: '10' },
  { name: 'lfu-decay-time', type: int(0n, INT_MAX), default: '1' },
  // Lazy freeing (lazyfree.ts): which deletes hand big values to the background thread.
  { name: 'lazyfree-lazy-eviction', type: { kind: 'bool' }, default: 'no' },
  { name: 'lazyfree-lazy-expire', type: { kind: 'bool' }, default: 'no' },
  { name: 'lazyfree-lazy-server-del', type: { kind: 'bool' }, default: 'no' },
  { name: 'lazyfree-lazy-user-del', type: { kind: 'bool' }, default: 'no' },
  { name: 'lazyfree-lazy-user-flush', type: { kind: 'bool' }, default: 'no' },
  // Encodings.
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', type: int(INT_MIN, INT_MAX), default: '-2' },
  { name: 'list-compress-depth', type: int(0n, INT_MAX), default: '0' },
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', type: sizeT(0n, LONG_MAX), default: '512' },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', type: sizeT(0n, LONG_MAX, true), default: '64' },
  { name: 'set-max-intset-entries', type: sizeT(0n, LONG_MAX), default: '512' },
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', type: sizeT(0n, LONG_MAX), default: '128' },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', type: sizeT(0n, LONG_MAX, true), default: '64' },
  { name: 'hll-sparse-max-bytes', type: sizeT(0n, LONG_MAX, true), default: '3000' },
  // Persistence: only what the engine honours (DEBUG OBJECT's serializedlength compresses with LZF).
  { name: 'rdbcompression', type: { kind: 'bool' }, default: 'yes' },
  // Keyspace notifications.
  { name: 'notify-keyspace-events', type: { kind: 'keyspace-events' }, default: '' },
  // Introspection: the slow log and the latency monitor (durations are modelled, see cost.ts).
  { name: 'slowlog-log-slower-than', type: int(-1n, LONG_MAX), default: '10000' },
  { name: 'slowlog-max-len', type: sizeT(0n, LONG_MAX), default: '128' },
  { name: 'latency-monitor-threshold', type: int(0n, LONG_MAX), default: '0' },
  { name: 'latency-tracking', type: { kind: 'bool' }, default: 'yes' },
  // Security: the default user's password ('' = nopass).
  { name: 'requirepass', type: { kind: 'string' }, default: '' },
];

export class Config {
  /** Bumped on every change, so hot paths can cache values derived from the config. */
  generation = 0;
  private readonly values = new Map<string, string>();
  private readonly numbers = new Map<string, number>();
  /** Lookup by any name, lowercase: canonical names and aliases. */
  private readonly entries = new Map<string, ConfigEntry>();

  constructor(initial: Record<string, string> = {}) {
    for (const spec of CONFIG_TABLE) {
      this.entries.set(spec.name, { name: spec.name, spec });
      if (spec.alias) this.entries.set(spec.alias, { name: spec.alias, spec });
      this.storeParsed(spec.name, parseValue(spec, spec.default) as Parsed);
    }
    for (const [name, value] of Object.entries(initial)) {
      const entry = this.lookup(name);
      if (!entry) throw new Error(`unknown config '${name}'`);
      const err = this.set(entry.spec, value);
      if (err) throw new Error(`config '${name}': ${err}`);
    }
  }

  /** The value as CONFIG GET prints it, by canonical name. */
  get(name: string): string {
    const v = this.values.get(name);
    if (v === undefined) throw new Error(`no config '${name}'`);
    return v;
  }

  /**
   * A setting as a number: ints (approximate beyond 2^53, e.g. maxmemory near 2^64), bools as
   * 1/0, enums as their index, notify-keyspace-events as its NOTIFY_* flags.
   */
  num(name: string): number {
    const v = this.numbers.get(name);
    if (v === undefined) throw new Error(`no config '${name}'`);
    return v;
  }

  bool(name: string): boolean { return this.num(name) === 1; }

  /** lookupConfig: by canonical name or alias, case-insensitive. */
  lookup(name: string): ConfigEntry | null {
    return this.entries.get(name.toLowerCase()) ?? null;
  }

  /** Every registered name (canonical names and aliases) with its entry. */
  allEntries(): IterableIterator<ConfigEntry> {
    return this.entries.values();
  }

  /** Parses and stores a value (no immutability check) and runs the spec's apply; returns
   * Redis's reason text when the value is refused. */
  set(spec: ConfigSpec, raw: string): string | null {
    const parsed = parseValue(spec, raw);
    if (typeof parsed === 'string') return parsed;
    this.storeParsed(spec.name, parsed);
    spec.apply?.(this);
    return null;
  }

  /** Stores an already parsed value; for apply functions and static facts (the port). */
  storeParsed(name: string, parsed: Parsed): void {
    this.generation++;
    this.values.set(name, parsed.text);
    this.numbers.set(name, parsed.num);
  }

  /** Replaces a static fact of the instance (e.g. the port once the host knows it). */
  setFact(name: string, value: string): void {
    const entry = this.lookup(name);
    if (!entry) throw new Error(`no config '${name}'`);
    const parsed = parseValue(entry.spec, value);
    if (typeof parsed === 'string') throw new Error(`config '${name}': ${parsed}`);
    this.storeParsed(entry.spec.name, parsed);
  }
}

// The server's configuration: a table of typed entries (config.c's standardConfig), read with
// CONFIG GET and changed with CONFIG SET or at creation. Only settings the engine really honours
// are listed; anything else is unknown, exactly as an unknown option is to Redis.

export type ConfigKind =
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number; memory?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string' };

export interface ConfigSpec {
  name: string;
  alias?: string;
  type: ConfigKind;
  default: string;
  immutable?: boolean;
  /** Extra validation after type checks; returns an error text or null. */
  validate?: (value: string) => string | null;
}

/** memtoull: "1gb", "10mb", "100k" ... as bytes; null when not a memory value. */
export function parseMemory(s: string): number | null {
  const m = /^(-?\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  const units: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };
  return Number(m[1]) * units[(m[2] ?? '').toLowerCase()];
}

export const CONFIG_TABLE: readonly ConfigSpec[] = [
  { name: 'databases', type: { kind: 'int', min: 1, max: 2147483647 }, default: '16', immutable: true },
  { name: 'hz', type: { kind: 'int', min: 0, max: 2147483647 }, default: '10' },
  { name: 'activerehashing', type: { kind: 'bool' }, default: 'yes' },
  { name: 'active-expire-effort', type: { kind: 'int', min: 1, max: 10 }, default: '1' },
  { name: 'proto-max-bulk-len', type: { kind: 'int', min: 1024 * 1024, max: 9223372036854775807, memory: true }, default: '536870912' },
  { name: 'maxmemory', type: { kind: 'int', min: 0, max: 18446744073709551615, memory: true }, default: '0' },
  { name: 'maxmemory-policy', type: { kind: 'enum', values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'] }, default: 'noeviction' },
  { name: 'maxmemory-samples', type: { kind: 'int', min: 1, max: 2147483647 }, default: '5' },
  { name: 'lfu-log-factor', type: { kind: 'int', min: 0, max: 2147483647 }, default: '10' },
  { name: 'lfu-decay-time', type: { kind: 'int', min: 0, max: 2147483647 }, default: '1' },
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', type: { kind: 'int', min: -2147483648, max: 2147483647 }, default: '-2' },
  { name: 'list-compress-depth', type: { kind: 'int', min: 0, max: 2147483647 }, default: '0' },
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', type: { kind: 'int', min: 0, max: 9223372036854775807 }, default: '128' },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', type: { kind: 'int', min: 0, max: 9223372036854775807, memory: true }, default: '64' },
  { name: 'set-max-intset-entries', type: { kind: 'int', min: 0, max: 9223372036854775807 }, default: '512' },
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', type: { kind: 'int', min: 0, max: 9223372036854775807 }, default: '128' },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', type: { kind: 'int', min: 0, max: 9223372036854775807, memory: true }, default: '64' },
];

export class Config {
  private readonly values = new Map<string, string>();
  private readonly numbers = new Map<string, number>();
  readonly specs = new Map<string, ConfigSpec>();

  constructor(initial: Record<string, string> = {}) {
    for (const spec of CONFIG_TABLE) {
      this.specs.set(spec.name, spec);
      if (spec.alias) this.specs.set(spec.alias, spec);
      this.store(spec, spec.default);
    }
    for (const [name, value] of Object.entries(initial)) {
      const spec = this.specs.get(name.toLowerCase());
      if (!spec) throw new Error(`unknown config '${name}'`);
      const err = this.check(spec, value);
      if (err) throw new Error(`config '${name}': ${err}`);
      this.store(spec, value);
    }
  }

  /** The value as CONFIG GET prints it. */
  get(name: string): string { return this.values.get(name)!; }

  /** A numeric or boolean setting as a number (bools are 1/0). */
  num(name: string): number { return this.numbers.get(name)!; }

  bool(name: string): boolean { return this.numbers.get(name) === 1; }

  /** Checks a value for CONFIG SET; returns Redis's reason text or null. */
  check(spec: ConfigSpec, raw: string): string | null {
    const t = spec.type;
    if (t.kind === 'bool') {
      if (!/^(yes|no)$/i.test(raw)) return "argument must be 'yes' or 'no'";
    } else if (t.kind === 'int') {
      const v = t.memory ? parseMemory(raw) : (/^-?\d+$/.test(raw) ? Number(raw) : null);
      if (v === null) return t.memory ? 'argument must be a memory value' : "argument couldn't be parsed into an integer";
      if (v < t.min || v > t.max) return `argument must be between ${t.min} and ${t.max} inclusive`;
    } else if (t.kind === 'enum') {
      if (!t.values.includes(raw.toLowerCase())) return `argument(s) must be one of the following: ${t.values.join(', ')}`;
    }
    return spec.validate?.(raw) ?? null;
  }

  /** Stores an already checked value. */
  store(spec: ConfigSpec, raw: string): void {
    const t = spec.type;
    if (t.kind === 'bool') {
      const on = raw.toLowerCase() === 'yes';
      this.values.set(spec.name, on ? 'yes' : 'no');
      this.numbers.set(spec.name, on ? 1 : 0);
    } else if (t.kind === 'int') {
      const v = t.memory ? parseMemory(raw)! : Number(raw);
      this.values.set(spec.name, String(v));
      this.numbers.set(spec.name, v);
    } else if (t.kind === 'enum') {
      this.values.set(spec.name, raw.toLowerCase());
    } else {
      this.values.set(spec.name, raw);
    }
  }
}

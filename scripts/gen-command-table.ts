// Regenerates src/engine/server/commandFacts.json from a real redis-server 7.0's COMMAND INFO
// and COMMAND DOCS. Only facts are kept (arity, flags, key specs, arguments, since, complexity,
// history); summaries are ours and live in commandSummaries.ts.
// Usage: tsx scripts/gen-command-table.ts <port of a running redis-server 7.0>
import { writeFileSync } from 'node:fs';
import { RespClient } from '../test/support/respClient.ts';

type Value = string | number | null | Value[];

function parse(buf: Buffer): Value {
  let pos = 0;
  const line = () => { const e = buf.indexOf('\r\n', pos); const s = buf.toString('utf8', pos, e); pos = e + 2; return s; };
  const read = (): Value => {
    const t = String.fromCharCode(buf[pos++]);
    const head = line();
    if (t === '+' ) return head;
    if (t === ':') return Number(head);
    if (t === '-') throw new Error(head);
    if (t === '$') { const n = Number(head); if (n < 0) return null; const s = buf.toString('utf8', pos, pos + n); pos += n + 2; return s; }
    if (t === '*') { const n = Number(head); const a: Value[] = []; for (let i = 0; i < n; i++) a.push(read()); return a; }
    throw new Error('unexpected ' + t);
  };
  return read();
}

/** Turns a flat [k, v, k, v] RESP2 map into an object, recursively where asked. */
function toMap(flat: Value): Record<string, Value> {
  const a = flat as Value[];
  const o: Record<string, Value> = {};
  for (let i = 0; i < a.length; i += 2) o[a[i] as string] = a[i + 1];
  return o;
}

function docArgs(args: Value): unknown[] {
  return (args as Value[]).map((raw) => {
    const a = toMap(raw);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) out[k] = k === 'arguments' ? docArgs(v) : v;
    return out;
  });
}

function keySpecs(specs: Value): unknown[] {
  return (specs as Value[]).map((raw) => {
    const s = toMap(raw);
    const bs = toMap(s.begin_search);
    const fk = toMap(s.find_keys);
    return {
      flags: s.flags,
      begin_search: { type: bs.type, spec: toMap(bs.spec) },
      find_keys: { type: fk.type, spec: toMap(fk.spec) },
      ...(s.notes !== undefined ? { notes: s.notes } : {}),
    };
  });
}

function infoEntry(raw: Value): Record<string, unknown> {
  const [name, arity, flags, first, last, step, acl, tips, specs, subs] = raw as Value[];
  return {
    name, arity, flags, first_key: first, last_key: last, step, acl_categories: acl, tips,
    key_specs: keySpecs(specs),
    subcommands: Object.fromEntries((subs as Value[]).map((s) => { const e = infoEntry(s); return [e.name as string, e]; })),
  };
}

function docEntry(raw: Value): Record<string, unknown> {
  const d = toMap(raw);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (k === 'summary') continue; // prose: ours, not Redis's
    if (k === 'arguments') out[k] = docArgs(v);
    else if (k === 'subcommands') {
      const subs = toMap(v);
      out[k] = Object.fromEntries(Object.entries(subs).map(([n, s]) => [n, docEntry(s)]));
    } else out[k] = v;
  }
  return out;
}

const port = Number(process.argv[2] ?? 6379);
const c = await RespClient.connect(port);
const info = parse(await c.call('COMMAND', 'INFO')) as Value[];
const docs = toMap(parse(await c.call('COMMAND', 'DOCS')));
c.close();

const table: Record<string, unknown> = {};
for (const raw of info) {
  const e = infoEntry(raw);
  const name = e.name as string;
  const d = docEntry(docs[name]);
  const subDocs = (d.subcommands ?? {}) as Record<string, Record<string, unknown>>;
  delete d.subcommands;
  const subs = e.subcommands as Record<string, Record<string, unknown>>;
  for (const [sn, s] of Object.entries(subs)) s.docs = subDocs[sn];
  table[name] = { ...e, docs: d };
}
const sorted = Object.fromEntries(Object.keys(table).sort().map((k) => [k, table[k]]));
writeFileSync(new URL('../src/engine/server/commandFacts.json', import.meta.url), JSON.stringify({ source: 'COMMAND INFO and COMMAND DOCS of redis-server 7.0.15, without summaries', commands: sorted }, null, 1) + '\n');
console.log(`wrote ${Object.keys(sorted).length} commands`);

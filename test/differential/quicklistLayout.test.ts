// Drives our Quicklist directly with the same operations sent to a real redis-server, then compares
// the node layout node by node with what `DEBUG QUICKLIST <key>` prints on the server's stdout:
// container (PACKED/PLAIN), encoding (RAW/LZF), size, count and the recompress flag.
// This checks the fill rule, splits, merges, PLAIN nodes (with a low packed threshold) and
// compression depth against the real implementation rather than against our reading of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quicklist } from '../../src/engine/ds/quicklist.ts';
import { RespClient } from '../support/respClient.ts';
import { freePort } from '../support/realRedis.ts';

let PORT = 0;

interface NodeLine { container: string; encoding: string; size: number; count: number; recompress: number }

let server: ChildProcess;
let client: RespClient;
let stdout = '';

async function startServer(): Promise<void> {
  PORT = await freePort();
  // stdbuf keeps printf output line-buffered, so DEBUG QUICKLIST's dump arrives promptly.
  server = spawn('stdbuf', ['-oL', 'redis-server', '--port', String(PORT), '--save', '', '--appendonly', 'no',
    '--enable-debug-command', 'yes', '--loglevel', 'warning'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.setEncoding('latin1');
  server.stdout!.on('data', (d: string) => { stdout += d; });
  for (let i = 0; i < 100; i++) {
    try { client = await RespClient.connect(PORT); return; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  throw new Error('redis-server did not start');
}

const b = (s: string) => Buffer.from(s, 'latin1');

async function call(...args: string[]): Promise<string> {
  return (await client.call(...args.map(b))).toString('latin1');
}

/** Real Redis's node layout of `key`, parsed from DEBUG QUICKLIST's stdout dump. */
async function realLayout(key: string): Promise<{ count: number; len: number; nodes: NodeLine[] }> {
  stdout = '';
  const reply = await call('DEBUG', 'QUICKLIST', key);
  if (!reply.startsWith('+')) throw new Error(`DEBUG QUICKLIST failed: ${reply}`);
  for (let i = 0; i < 200; i++) {
    const m = /\{len : (\d+)\}/.exec(stdout);
    if (m) {
      const len = Number(m[1]);
      const lines = [...stdout.matchAll(/\{container : (\w+), encoding: (\w+), size: (\d+), count: (\d+), recompress: (\d+)/g)];
      if (lines.length >= len) {
        const count = Number(/\{count : (\d+)\}/.exec(stdout)![1]);
        return {
          count, len,
          nodes: lines.slice(0, len).map((l) => ({
            container: l[1], encoding: l[2], size: Number(l[3]), count: Number(l[4]), recompress: Number(l[5]),
          })),
        };
      }
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no quicklist dump on stdout: ${stdout.slice(0, 200)}`);
}

function modelLayout(ql: Quicklist): { count: number; len: number; nodes: NodeLine[] } {
  return {
    count: ql.count, len: ql.len,
    nodes: [...ql.nodes()].map((n) => ({
      container: n.isPlain ? 'PLAIN' : 'PACKED', encoding: n.compressed ? 'LZF' : 'RAW',
      size: n.sz, count: n.count, recompress: n.recompress ? 1 : 0,
    })),
  };
}

/** A deterministic PRNG for the operation streams. */
function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

let valueMode: 'mixed' | 'small' | 'medium' = 'mixed';

function makeValue(r: (n: number) => number): string {
  // Small and medium values reach node limits in steps of a few bytes, probing the exact boundary.
  if (valueMode === 'small') return r(3) === 0 ? String(r(100000)) : 'k'.repeat(r(13));
  if (valueMode === 'medium') return r(4) === 0 ? String(r(1000)) : 'm'.repeat(60 + r(80));
  switch (r(9)) {
    case 0: return String(r(200)); // 7-bit uint
    case 1: return String(r(20000) - 10000); // 13/16-bit ints
    case 2: return String((r(2) ? -1 : 1) * (2 ** 40 + r(1e9))); // 64-bit int
    case 3: return 'x'.repeat(r(70)); // compressible string around the 6-bit length boundary
    case 4: { let s = ''; const n = r(40); for (let i = 0; i < n; i++) s += String.fromCharCode(r(256)); return s; }
    case 5: return 'ab'.repeat(r(2500)); // up to ~5 KB, 12/32-bit string lengths
    case 6: { let s = ''; const n = 100 + r(900); for (let i = 0; i < n; i++) s += String.fromCharCode(33 + r(90)); return s; }
    case 7: return `v${r(30)}`;
    default: return '';
  }
}

/** Applies one random list operation to both sides; returns a description for failure messages. */
async function step(ql: Quicklist, key: string, r: (n: number) => number): Promise<string> {
  const op = r(100);
  if (op < 22) {
    const v = makeValue(r); await call('LPUSH', key, v); ql.pushHead(v); return `LPUSH ${v.length}B`;
  }
  if (op < 44) {
    const v = makeValue(r); await call('RPUSH', key, v); ql.pushTail(v); return `RPUSH ${v.length}B`;
  }
  if (op < 50) { await call('LPOP', key); ql.pop('head'); return 'LPOP'; }
  if (op < 56) { await call('RPOP', key); ql.pop('tail'); return 'RPOP'; }
  if (op < 70 && ql.count > 0) {
    // LINSERT around an existing element.
    const all = ql.toArray();
    const pivot = all[r(all.length)];
    const v = makeValue(r);
    const after = r(2) === 1;
    await call('LINSERT', key, after ? 'AFTER' : 'BEFORE', pivot, v);
    const it = ql.iterator('forward');
    for (let e = it.next(); e; e = it.next()) {
      if (e.value === pivot) { if (after) ql.insertAfter(it, e, v); else ql.insertBefore(it, e, v); break; }
    }
    it.release();
    return `LINSERT ${after ? 'AFTER' : 'BEFORE'} ${v.length}B`;
  }
  if (op < 80 && ql.count > 0) {
    const idx = r(ql.count * 2) - ql.count;
    const v = makeValue(r);
    await call('LSET', key, String(idx), v);
    ql.replaceAtIndex(idx, v);
    return `LSET ${idx} ${v.length}B`;
  }
  if (op < 86 && ql.count > 0) {
    const all = ql.toArray();
    const target = all[r(all.length)];
    const n = r(5) - 2;
    await call('LREM', key, String(n), target);
    let removed = 0;
    const it = n < 0 ? ql.iteratorAtIndex('backward', -1)! : ql.iteratorAtIndex('forward', 0)!;
    for (let e = it.next(); e; e = it.next()) {
      if (e.value === target) { ql.delEntry(it, e); removed++; if (n !== 0 && removed === Math.abs(n)) break; }
    }
    it.release();
    return `LREM ${n}`;
  }
  if (op < 90 && ql.count > 0) {
    // LTRIM with a range that keeps most of the list.
    const len = ql.count;
    const start = r(Math.min(len, 4));
    const end = len - 1 - r(Math.min(len, 4));
    await call('LTRIM', key, String(start), String(end));
    let ltrim: number; let rtrim: number;
    if (start > end || start >= len) { ltrim = len; rtrim = 0; } else { ltrim = start; rtrim = len - end - 1; }
    ql.delRange(0, ltrim);
    ql.delRange(-rtrim, rtrim);
    return `LTRIM ${start} ${end}`;
  }
  if (op < 95 && ql.count > 0) {
    const idx = r(ql.count * 2) - ql.count;
    await call('LINDEX', key, String(idx));
    ql.index(idx);
    return `LINDEX ${idx}`;
  }
  if (ql.count > 0) {
    const start = r(ql.count);
    await call('LRANGE', key, String(start), '-1');
    const it = ql.iteratorAtIndex('forward', start)!;
    while (it.next());
    it.release();
    return `LRANGE ${start} -1`;
  }
  return 'noop';
}

async function runStream(fill: number, depth: number, seed: number, steps: number, threshold?: number,
  mode: typeof valueMode = 'mixed'): Promise<void> {
  valueMode = mode;
  const key = `ql:${fill}:${depth}:${seed}`;
  await call('CONFIG', 'SET', 'list-max-listpack-size', String(fill));
  await call('CONFIG', 'SET', 'list-compress-depth', String(depth));
  await call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', threshold ? String(threshold) : '0');
  await call('DEL', key);
  const r = prng(seed);
  const settings = { packedThreshold: threshold ?? 1 << 30 };
  let ql = new Quicklist(fill, depth, settings);
  const history: string[] = [];
  for (let i = 0; i < steps; i++) {
    history.push(await step(ql, key, r));
    if (ql.count === 0) {
      // Redis deletes an emptied list; a later push starts a fresh quicklist.
      ql = new Quicklist(fill, depth, settings);
      continue;
    }
    if (i % 3 === 2 || i === steps - 1) {
      const real = await realLayout(key);
      const model = modelLayout(ql);
      if (JSON.stringify(real) !== JSON.stringify(model)) {
        expect({ step: i, last: history.slice(-5), model }).toEqual({ step: i, last: history.slice(-5), model: real });
      }
    }
  }
}

describe('quicklist node layout matches real Redis (DEBUG QUICKLIST)', () => {
  beforeAll(startServer, 20000);
  afterAll(async () => {
    try { await call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'); } catch { /* already gone */ }
    client?.close();
    server?.kill('SIGKILL');
  });

  for (const fill of [-1, -2, -3, -4, -5, 1, 2, 5, 16, 128, 0]) {
    it(`fill ${fill}`, async () => { await runStream(fill, 0, 1000 + fill, 400); }, 60000);
  }
  for (const depth of [1, 2, 3]) {
    for (const fill of [-2, 4]) {
      it(`compress depth ${depth}, fill ${fill}`, async () => { await runStream(fill, depth, 2000 + depth * 10 + fill, 400); }, 60000);
    }
  }
  for (const fill of [-1, -2, 100, 1000]) {
    it(`byte limits with small values, fill ${fill}`, async () => { await runStream(fill, 0, 3000 - fill, 1500, undefined, 'small'); }, 60000);
    it(`byte limits with medium values, fill ${fill}`, async () => { await runStream(fill, 0, 4000 - fill, 800, undefined, 'medium'); }, 60000);
  }
  it('exact byte boundaries: runs of equal-sized values', async () => {
    valueMode = 'mixed';
    await call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0');
    await call('CONFIG', 'SET', 'list-compress-depth', '0');
    const sizes = [...Array(41).keys(), 62, 63, 64, 65, 126, 127, 128, 129, 1000, 2040, 2041, 4079, 4080, 4081, 4095, 4096, 8170, 8180];
    for (const fill of [-1, -2, -3, 50, 1000]) {
      await call('CONFIG', 'SET', 'list-max-listpack-size', String(fill));
      for (const size of sizes) {
        const key = `sweep:${fill}:${size}`;
        const ql = new Quicklist(fill, 0);
        const n = Math.max(6, Math.min(900, Math.ceil((3 * 16384) / (size + 3))));
        // Alternate two sizes so the per-entry step is not always the same.
        const vals = Array.from({ length: n }, (_, i) => 'q'.repeat(i % 3 === 2 ? size + 1 : size));
        await call('RPUSH', key, ...vals);
        for (const v of vals) ql.pushTail(v);
        await call('LPUSH', key, ...vals.slice(0, n >> 1));
        for (const v of vals.slice(0, n >> 1)) ql.pushHead(v);
        expect({ key, layout: modelLayout(ql) }).toEqual({ key, layout: await realLayout(key) });
      }
    }
  }, 60000);
  it('PLAIN nodes with a 100-byte packed threshold', async () => { await runStream(-2, 0, 31, 500, 100); }, 60000);
  it('PLAIN nodes with compression', async () => { await runStream(8, 1, 32, 500, 200); }, 60000);
});

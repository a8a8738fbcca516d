// Introspection on virtual time, where the engine is deterministic: the cost model behind SLOWLOG
// and LATENCY, the latency monitor's samples, graph and report, MONITOR's line format, CLIENT
// LIST's modelled fields, tracking bookkeeping and the INFO fields that move with them.
import { describe, expect, it } from 'vitest';
import { World } from '../../../src/engine/sim/world.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import { modelledDurationUs, COMMAND_BASE_NS, WORK_UNIT_NS, REPLY_BYTE_NS, microsToWork } from '../../../src/engine/server/cost.ts';
import { slowlogArgv } from '../../../src/engine/server/slowlog.ts';
import { CommandHistogram } from '../../../src/engine/server/latency.ts';
import { reprBytes as reprString } from '../../../src/engine/bytes.ts';
import { commandFrame } from '../../support/engineHarness.ts';
import { parseResp, type RespValue } from '../../support/respValue.ts';

const START = Date.UTC(2024, 0, 1);

function world(config: Record<string, string> = {}) {
  const w = new World({ seed: 1, startTime: START });
  const server = w.addServer('s', { config: { 'enable-debug-command': 'yes', ...config } });
  return { w, server };
}

/** A reply as plain values: strings, numbers, arrays, null; an error as { error }. */
type Plain = string | number | null | boolean | { error: string } | Plain[];
function plain(v: RespValue): Plain {
  switch (v.t) {
    case 'int': return Number(v.v);
    case 'null': return null;
    case 'bool': return v.v;
    case 'error': return { error: v.v };
    case 'verbatim': return v.v.slice(4);
    case 'array': case 'set': case 'push': return v.v.map(plain);
    case 'map': case 'attribute': return v.v.flatMap(([k, x]) => [plain(k), plain(x)]);
    default: return v.v;
  }
}

let peers = 0;

/** A client whose output is collected; `run` sends one command and returns its parsed reply. */
function connect(server: RedisServer, peer = `10.0.0.1:${5000 + ++peers}`) {
  let out = '';
  const client = server.connect({ peer, local: '10.0.0.2:6379', write: (d) => { out += d; }, close: () => {} });
  const send = (...args: string[]) => client.feed(commandFrame(args));
  const take = () => { const s = out; out = ''; return s; };
  // Plain values are read by shape in each test, hence `any`.
  const run = (...args: string[]): any => { take(); send(...args); return plain(parseResp(take())); };
  return { client, send, take, run };
}

/** The SLOWLOG entries as [id, time, duration, argv, peer, name]. */
function slowlog(c: ReturnType<typeof connect>, count = '-1'): [number, number, number, string[], string, string][] {
  return c.run('SLOWLOG', 'GET', count) as never;
}

describe('the cost model', () => {
  it('charges a base cost, the reported work and the reply bytes, in whole microseconds', () => {
    expect(modelledDurationUs(0, 0)).toBe(Math.floor(COMMAND_BASE_NS / 1000));
    expect(modelledDurationUs(10000, 0)).toBe(Math.floor((COMMAND_BASE_NS + 10000 * WORK_UNIT_NS) / 1000));
    expect(modelledDurationUs(0, 1 << 20)).toBe(Math.floor((COMMAND_BASE_NS + (1 << 20) * REPLY_BYTE_NS) / 1000));
    expect(modelledDurationUs(microsToWork(250), 0)).toBe(251);
  });

  it('makes KEYS cost one unit per key in the database, whatever matches', () => {
    const { server } = world({ 'slowlog-log-slower-than': '0' });
    const c = connect(server);
    c.run('DEBUG', 'POPULATE', '5000');
    c.run('SLOWLOG', 'RESET');
    c.run('KEYS', 'nomatch*');
    const [, , duration, argv] = slowlog(c, '1')[0];
    expect(argv).toEqual(['KEYS', 'nomatch*']);
    // "*0\r\n" is the whole reply.
    expect(duration).toBe(modelledDurationUs(5000, 4));
  });

  it('charges range replies, SMEMBERS and HGETALL by the elements they return', () => {
    const { server } = world({ 'slowlog-log-slower-than': '0' });
    const c = connect(server);
    const members = Array.from({ length: 2000 }, (_, i) => `m${i}`);
    c.run('RPUSH', 'l', ...members);
    c.run('SADD', 's', ...members);
    c.run('HSET', 'h', ...members.flatMap((m) => [m, 'v']));
    c.run('ZADD', 'z', ...members.flatMap((m, i) => [String(i), m]));
    const cost = (...cmd: string[]) => {
      c.run('SLOWLOG', 'RESET');
      c.take();
      c.send(...cmd);
      const bytes = c.take().length;
      const entry = slowlog(c, '1')[0];
      expect(entry[3]).toEqual(cmd);
      return { duration: entry[2], bytes };
    };
    for (const [cmd, work] of [
      [['LRANGE', 'l', '0', '-1'], 2000], [['LRANGE', 'l', '0', '9'], 10],
      [['SMEMBERS', 's'], 2000], [['HGETALL', 'h'], 2000],
      [['ZRANGE', 'z', '0', '-1'], 2000], [['ZRANGEBYSCORE', 'z', '100', '199'], 100],
    ] as [string[], number][]) {
      const { duration, bytes } = cost(...cmd);
      expect(duration, cmd.join(' ')).toBe(modelledDurationUs(work, bytes));
    }
  });

  it('counts the time DEBUG SLEEP sleeps, and EXEC the cost of its commands', () => {
    const { w, server } = world({ 'slowlog-log-slower-than': '0' });
    const c = connect(server);
    c.send('DEBUG', 'SLEEP', '0.25');
    w.advance(250);
    c.take();
    expect(slowlog(c, '1')[0].slice(2, 4)).toEqual([250001, ['DEBUG', 'SLEEP', '0.25']]);
    c.run('DEBUG', 'POPULATE', '3000');
    c.run('SLOWLOG', 'RESET');
    c.send('MULTI');
    c.send('KEYS', '*');
    c.send('KEYS', '*');
    c.send('EXEC');
    c.take();
    // EXEC itself is never logged (skip_slowlog); its commands are, each with its own cost.
    const entries = slowlog(c);
    expect(entries.map((e) => e[3][0])).toEqual(['KEYS', 'KEYS', 'MULTI', 'SLOWLOG']);
    expect(entries[0][2]).toBeGreaterThanOrEqual(300);
    expect(server.stats.commandCalls.get('exec')!.usec).toBeGreaterThanOrEqual(entries[0][2] + entries[1][2]);
  });
});

describe('SLOWLOG', () => {
  it('keeps at most 32 arguments of at most 128 bytes each', () => {
    const args = Array.from({ length: 40 }, (_, i) => `a${i}`);
    expect(slowlogArgv(args)).toEqual([...args.slice(0, 31), '... (9 more arguments)']);
    expect(slowlogArgv(args.slice(0, 32))).toEqual(args.slice(0, 32));
    expect(slowlogArgv(['SET', 'k', 'x'.repeat(200)])).toEqual(['SET', 'k', 'x'.repeat(128) + '... (72 more bytes)']);
    expect(slowlogArgv(['SET', 'k', 'x'.repeat(128)])).toEqual(['SET', 'k', 'x'.repeat(128)]);
  });

  it('logs by threshold, trims to slowlog-max-len, keeps counting ids after RESET', () => {
    const { server } = world({ 'slowlog-log-slower-than': '0', 'slowlog-max-len': '3' });
    const c = connect(server);
    c.run('CLIENT', 'SETNAME', 'tester');
    for (let i = 0; i < 5; i++) c.run('SET', `k${i}`, 'v');
    const entries = slowlog(c);
    expect(entries.map((e) => e[0])).toEqual([5, 4, 3]);
    expect(entries[0]).toEqual([5, START / 1000, 1, ['SET', 'k4', 'v'], c.client.connection.peer, 'tester']);
    expect(c.run('SLOWLOG', 'LEN')).toBe(3);
    expect(c.run('SLOWLOG', 'RESET')).toBe('OK');
    expect(c.run('SLOWLOG', 'LEN')).toBe(1); // SLOWLOG RESET itself, logged after it ran
    // ids go on: SLOWLOG GET was 6, LEN 7, RESET 8, the LEN above 9.
    expect(slowlog(c)[0][0]).toBe(9);
    c.run('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    c.run('SLOWLOG', 'RESET');
    c.run('KEYS', '*');
    expect(c.run('SLOWLOG', 'LEN')).toBe(0);
    // Only commands at or above the threshold: a 1 us GET is under 2 us, a big KEYS is not.
    c.run('CONFIG', 'SET', 'slowlog-log-slower-than', '2');
    c.run('DEBUG', 'POPULATE', '1000');
    c.run('GET', 'x');
    c.run('KEYS', '*');
    expect(slowlog(c).map((e) => e[3][0])).toEqual(['KEYS']);
  });

  it('shows AUTH and HELLO AUTH secrets as (redacted)', () => {
    const { server } = world({ 'slowlog-log-slower-than': '0', requirepass: 'pw' });
    const c = connect(server);
    c.run('AUTH', 'pw');
    c.run('AUTH', 'default', 'nope');
    c.run('HELLO', '2', 'AUTH', 'default', 'pw', 'SETNAME', 'n');
    expect(slowlog(c).map((e) => e[3])).toEqual([
      ['HELLO', '2', 'AUTH', '(redacted)', '(redacted)', 'SETNAME', 'n'],
      ['AUTH', '(redacted)', '(redacted)'],
      ['AUTH', '(redacted)'],
    ]);
  });
});

describe('LATENCY', () => {
  it('records the worst modelled latency per second once the threshold is set', () => {
    const { w, server } = world();
    const c = connect(server);
    const sleep = (s: string, ms: number) => { c.send('DEBUG', 'SLEEP', s); w.advance(ms); c.take(); };
    sleep('0.2', 200);
    expect(c.run('LATENCY', 'LATEST')).toEqual([]); // monitoring is off (threshold 0)
    c.run('CONFIG', 'SET', 'latency-monitor-threshold', '100');
    const t0 = Math.floor(w.now / 1000);
    sleep('0.05', 50); // under the threshold
    sleep('0.3', 300);
    sleep('0.2', 200); // same second: only the worst stays
    w.advance(2000 - (w.now % 1000));
    const t1 = Math.floor(w.now / 1000);
    sleep('0.15', 150);
    expect(c.run('LATENCY', 'LATEST')).toEqual([['command', t1, 150, 300]]);
    expect(c.run('LATENCY', 'HISTORY', 'command')).toEqual([[t0, 300], [t1, 150]]);
    expect(c.run('LATENCY', 'HISTORY', 'fast-command')).toEqual([]);
    const graph = c.run('LATENCY', 'GRAPH', 'command') as string;
    expect(graph).toBe([
      'command - high 300 ms, low 150 ms (all time high 300 ms)',
      '-'.repeat(80),
      '# ',
      '| ',
      '| ',
      '|_',
      '  ',
      '20', // seconds ago
      'ss',
      '',
    ].join('\n'));
    // A slow log threshold (500 ms) above the latency one (100 ms) gets the tuning advice.
    c.run('CONFIG', 'SET', 'slowlog-log-slower-than', '500000');
    expect(c.run('LATENCY', 'DOCTOR')).toBe(
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n" +
      '1. command: 2 latency spikes (average 225ms, mean deviation 75ms, period 1.00 sec). Worst all time event 300ms.\n' +
      '\nI have a few advices for you:\n\n' +
      '- Your current Slow Log configuration only logs events that are slower than your configured latency monitor ' +
      "threshold. Please use 'CONFIG SET slowlog-log-slower-than 100000'.\n" +
      '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. ' +
      'Please check https://redis.io/commands/slowlog for more information.\n' +
      '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you ' +
      'have very large objects that are often deleted, expired, or evicted, try to fragment those objects into ' +
      'multiple smaller objects.\n');
    expect(c.run('LATENCY', 'RESET', 'COMMAND', 'command')).toBe(1);
    expect(c.run('LATENCY', 'LATEST')).toEqual([]);
    expect(c.run('LATENCY', 'DOCTOR')).toMatch(/^Dave, no latency spike was observed/);
  });
});

describe('LATENCY HISTOGRAM', () => {
  it('reports cumulative counts at the levels hdr_histogram\'s log iteration stops at', () => {
    const h = new CommandHistogram();
    // Redis shows a 10 ms DEBUG SLEEP as 16908: the 16 MiB-ns level's highest equivalent value.
    for (const us of [1, 1, 3, 4, 5, 10000, 10000]) h.record(us);
    expect(h.calls).toBe(7);
    // 3 us and 4 us both fall under the 4096 ns level; 5 us under 8192 ns.
    expect(h.cdf()).toEqual([[1, 2], [4, 4], [8, 5], [16908, 7]]);
    const big = new CommandHistogram();
    big.record(5_000_000); // clamped to 1 s
    expect(big.cdf()).toEqual([[1082130, 1]]);
  });

  it('is kept per command while latency-tracking is on, and CONFIG RESETSTAT clears it', () => {
    const { server } = world();
    const c = connect(server);
    c.run('SET', 'a', '1');
    c.run('SET', 'a', '2');
    c.run('CONFIG', 'GET', 'hz');
    expect(c.run('LATENCY', 'HISTOGRAM', 'set', 'config')).toEqual([
      'set', ['calls', 2, 'histogram_usec', [1, 2]],
      'config|get', ['calls', 1, 'histogram_usec', [1, 1]],
    ]);
    c.run('CONFIG', 'SET', 'latency-tracking', 'no');
    c.run('SET', 'a', '3');
    c.run('CONFIG', 'RESETSTAT');
    // Cleared, and nothing recorded since (not even RESETSTAT itself).
    expect(c.run('LATENCY', 'HISTOGRAM')).toEqual([]);
  });
});

describe('MONITOR', () => {
  it("quotes arguments as sdscatrepr does", () => {
    expect(reprString('a b')).toBe('"a b"');
    expect(reprString('q"\\\n\r\t\x07\b\x00\x7f\xff')).toBe('"q\\"\\\\\\n\\r\\t\\a\\b\\x00\\x7f\\xff"');
  });

  it('writes one line per command with the time in microseconds, the db and the address', () => {
    const { w, server } = world();
    const m = connect(server);
    const c = connect(server, '192.168.1.7:40000');
    expect(m.run('MONITOR')).toBe('OK');
    w.advance(1234.567);
    c.run('SELECT', '5');
    c.run('SET', 'k', 'v w');
    c.run('CONFIG', 'GET', 'hz'); // admin: not shown
    c.run('GETX'); // unknown: never ran
    const secs = Math.floor((START + 1234.567) / 1000);
    expect(m.take()).toBe(
      // The db is the client's after the command ran.
      `+${secs}.234567 [5 192.168.1.7:40000] "SELECT" "5"\r\n` +
      `+${secs}.234567 [5 192.168.1.7:40000] "SET" "k" "v w"\r\n`);
    // A second MONITOR gets no reply at all; RESET ends monitoring.
    m.send('MONITOR');
    expect(m.take()).toBe('');
    expect(m.run('RESET')).toBe('RESET');
    c.run('PING');
    expect(m.take()).toBe('');
  });
});

describe('CLIENT LIST model fields', () => {
  function fields(line: string): Record<string, string> {
    return Object.fromEntries(line.trim().split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }

  it('ages, idles, shrinks idle buffers and hands out the lowest free descriptor', () => {
    const { w, server } = world();
    const a = connect(server);
    const b = connect(server);
    const c = connect(server);
    b.run('SET', 'k', 'v');
    expect(fields(a.run('CLIENT', 'INFO') as string)).toMatchObject({
      fd: '8', age: '0', idle: '0', qbuf: '26', 'qbuf-free': '20448', 'argv-mem': '10', 'tot-mem': String(37658),
      laddr: '10.0.0.2:6379', cmd: 'client|info', flags: 'N',
    });
    w.advance(3500);
    const list = (a.run('CLIENT', 'LIST') as string).split('\n');
    const fb = fields(list[1]);
    // Idle for more than 2 s: the query buffer gave its room back; the cron shrank the reply buffer.
    expect(fb).toMatchObject({ fd: '9', age: '3', idle: '3', qbuf: '0', 'qbuf-free': '0', rbs: '1024', rbp: '0', cmd: 'set' });
    expect(Number(fb['tot-mem'])).toBe(768 + 8 + 1024);
    c.client.server.disconnect(c.client);
    const d = connect(server);
    expect(fields(d.run('CLIENT', 'INFO') as string).fd).toBe('10');
    b.client.server.disconnect(b.client);
    const e = connect(server);
    expect(fields(e.run('CLIENT', 'INFO') as string).fd).toBe('9');
  });

  it('shows MULTI, subscriptions, monitors, names and RESP3 as Redis does', () => {
    const { server } = world();
    const a = connect(server);
    const b = connect(server);
    b.run('CLIENT', 'SETNAME', 'bee');
    b.run('MULTI');
    b.run('SET', 'x', '1');
    b.run('SUBSCRIBE', 'ch');
    let fb = fields((a.run('CLIENT', 'LIST', 'ID', String(b.client.id)) as string));
    expect(fb).toMatchObject({ name: 'bee', flags: 'x', multi: '2', 'multi-mem': '56', cmd: 'subscribe' });
    b.run('DISCARD');
    b.run('SUBSCRIBE', 'ch');
    b.run('PSUBSCRIBE', 'p*');
    fb = fields(a.run('CLIENT', 'LIST', 'TYPE', 'pubsub') as string);
    expect(fb).toMatchObject({ id: String(b.client.id), flags: 'P', sub: '1', psub: '1', multi: '-1' });
    const m = connect(server);
    m.run('HELLO', '3');
    m.run('MONITOR');
    expect(fields(a.run('CLIENT', 'LIST', 'ID', String(m.client.id)) as string)).toMatchObject({ flags: 'O', resp: '3' });
  });
});

describe('tracking and INFO', () => {
  it('counts tracking clients, tracked keys and prefixes, and forgets them on RESET', () => {
    const { server } = world();
    const a = connect(server);
    const b = connect(server);
    a.run('HELLO', '3');
    a.run('CLIENT', 'TRACKING', 'on');
    a.run('MGET', 'k1', 'k2');
    b.run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p:', 'PREFIX', 'q:');
    const info = () => Object.fromEntries((a.run('INFO') as string).split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':')));
    expect(info()).toMatchObject({ tracking_clients: '2', tracking_total_keys: '2', tracking_total_items: '2', tracking_total_prefixes: '2' });
    b.run('SET', 'k1', 'v');
    expect(a.take()).toBe('>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nk1\r\n');
    expect(info()).toMatchObject({ tracking_total_keys: '1', tracking_total_items: '1' });
    b.run('RESET');
    expect(info()).toMatchObject({ tracking_clients: '1', tracking_total_prefixes: '0' });
  });

  it('keeps the slow log and latency samples across CONFIG RESETSTAT, which zeroes the stats', () => {
    const { w, server } = world({ 'slowlog-log-slower-than': '0', 'latency-monitor-threshold': '1' });
    const c = connect(server);
    c.run('GETX');
    c.send('DEBUG', 'SLEEP', '0.01');
    w.advance(10);
    c.take();
    c.run('CONFIG', 'RESETSTAT');
    const info = Object.fromEntries((c.run('INFO', 'stats') as string).split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':')));
    expect(info).toMatchObject({ total_connections_received: '0', total_commands_processed: '1', total_error_replies: '0' });
    expect(c.run('SLOWLOG', 'LEN')).toBeGreaterThan(0);
    expect((c.run('LATENCY', 'LATEST') as unknown[]).length).toBe(1);
  });
});

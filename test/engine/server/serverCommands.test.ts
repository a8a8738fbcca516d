// Server and connection commands on virtual time: DEBUG SLEEP's busy state, TIME and INFO's
// clock-based fields, CONFIG's parsing rules, and the formatting helpers INFO relies on.
import { describe, expect, it } from 'vitest';
import { World } from '../../../src/engine/sim/world.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import { Config, keyspaceEventsToFlags, keyspaceEventsToString, memtoull } from '../../../src/engine/server/config.ts';
import { bytesToHuman, formatFixed } from '../../../src/engine/server/info.ts';
import { commandFrame } from '../../support/engineHarness.ts';

/** A client whose replies are collected as text. */
function connect(server: RedisServer) {
  const out: string[] = [];
  const client = server.connect({ write: (d) => out.push(d), close: () => out.push('<closed>') });
  const send = (...args: string[]) => client.feed(commandFrame(args));
  return { client, out, send, text: () => out.join('') };
}

function world(config: Record<string, string> = {}) {
  const w = new World({ seed: 1, startTime: Date.UTC(2024, 0, 1) });
  const server = w.addServer('s', { config: { 'enable-debug-command': 'yes', ...config } });
  return { w, server };
}

describe('DEBUG SLEEP on virtual time', () => {
  it('holds the sleeper\'s reply, other clients and the cron until the clock reaches the end', () => {
    const { w, server } = world();
    const a = connect(server);
    const b = connect(server);
    a.send('DEBUG', 'SLEEP', '2.5');
    a.send('ECHO', 'after');
    expect(a.text()).toBe('');
    expect(server.busyUntil).toBe(w.now + 2500);
    b.send('PING');
    expect(b.text()).toBe('');
    const loops = server.cronLoops;
    w.advance(2499);
    expect(a.text()).toBe('');
    expect(b.text()).toBe('');
    expect(server.cronLoops).toBe(loops); // no cron while sleeping
    w.advance(1);
    expect(a.text()).toBe('+OK\r\n$5\r\nafter\r\n');
    expect(b.text()).toBe('+PONG\r\n');
    expect(server.busyUntil).toBe(0);
    expect(server.cronLoops).toBe(loops + 1); // the overdue cron runs once the sleep is over
    w.advance(100);
    expect(server.cronLoops).toBe(loops + 2);
  });

  it('lets input that waited make the server busy again', () => {
    const { w, server } = world();
    const a = connect(server);
    const b = connect(server);
    a.send('DEBUG', 'SLEEP', '1');
    b.send('DEBUG', 'SLEEP', '1');
    b.send('PING');
    w.advance(1000);
    expect(a.text()).toBe('+OK\r\n');
    expect(b.text()).toBe('');
    w.advance(1000);
    expect(b.text()).toBe('+OK\r\n+PONG\r\n');
  });

  it('does not sleep for zero, negative or unreadable durations', () => {
    const { server } = world();
    const a = connect(server);
    for (const d of ['0', '-3', 'abc', 'nan', 'inf', '']) a.send('DEBUG', 'SLEEP', d);
    expect(a.text()).toBe('+OK\r\n'.repeat(6));
    expect(server.busyUntil).toBe(0);
  });

  it('resumes from cron() too when no one scheduled resume()', () => {
    const { w, server } = world();
    server.onBusy = null;
    const a = connect(server);
    a.send('DEBUG', 'SLEEP', '0.05');
    w.clock.advance(60);
    server.cron();
    expect(a.text()).toBe('+OK\r\n');
  });
});

describe('TIME and INFO on virtual time', () => {
  it('TIME reads the engine clock', () => {
    const { w, server } = world();
    const a = connect(server);
    w.advance(1234.5);
    a.send('TIME');
    const t = Date.UTC(2024, 0, 1) + 1234.5;
    const sec = String(Math.floor(t / 1000));
    const usec = String(Math.round((t % 1000) * 1000));
    expect(a.text()).toBe(`*2\r\n$${sec.length}\r\n${sec}\r\n$${usec.length}\r\n${usec}\r\n`);
  });

  it('INFO server reports uptime, server time and the LRU clock from the engine clock', () => {
    const { w, server } = world({ hz: '1000' });
    const a = connect(server);
    w.clock.advance(3 * 86400 * 1000 + 5000); // just the clock: 3 days of cron at 500 Hz would be slow
    a.send('INFO', 'server');
    const info = a.text();
    expect(info).toContain(`uptime_in_seconds:${3 * 86400 + 5}\r\n`);
    expect(info).toContain('uptime_in_days:3\r\n');
    expect(info).toContain(`server_time_usec:${(Date.UTC(2024, 0, 1) + 3 * 86400 * 1000 + 5000) * 1000}\r\n`);
    expect(info).toContain(`lru_clock:${Math.floor((Date.UTC(2024, 0, 1) + 3 * 86400 * 1000 + 5000) / 1000) & 0xffffff}\r\n`);
    expect(info).toContain('hz:500\r\nconfigured_hz:500\r\n');
  });

  it('instantaneous_ops_per_sec averages the cron\'s 100 ms samples', () => {
    const { w, server } = world();
    const a = connect(server);
    // 50 commands in each 100 ms for 2 s: 500 ops/sec once all 16 samples are full.
    for (let t = 0; t < 20; t++) {
      for (let i = 0; i < 50; i++) a.send('PING');
      w.advance(100);
    }
    a.out.length = 0;
    a.send('INFO', 'stats');
    expect(a.text()).toContain('instantaneous_ops_per_sec:500\r\n');
  });
});

describe('config parsing', () => {
  it('memtoull reads units, refuses signs and junk, wraps like C', () => {
    expect(memtoull('1gb')).toBe(1073741824n);
    expect(memtoull('1G')).toBe(1000000000n);
    expect(memtoull('5Mb')).toBe(5242880n);
    expect(memtoull('')).toBe(0n);
    expect(memtoull('kb')).toBe(0n);
    expect(memtoull('-1')).toBeNull();
    expect(memtoull('1.5k')).toBeNull();
    expect(memtoull('1 k')).toBeNull();
    expect(memtoull('99999999999999999999')).toBe(18446744073709551615n);
    expect(memtoull('20000000000gb')).toBe((20000000000n * 1073741824n) % (1n << 64n));
    expect(memtoull('7\0junk')).toBe(7n);
  });

  it('keyspace event classes round-trip in Redis\'s canonical order', () => {
    const cases: [string, string][] = [['KEA', 'AKE'], ['xK', 'xK'], ['gE$lshzxetdmn', 'AEm'], ['Kgg', 'gK'], ['n', 'n'], ['', '']];
    for (const [input, printed] of cases) expect(keyspaceEventsToString(keyspaceEventsToFlags(input)!)).toBe(printed);
    expect(keyspaceEventsToFlags('KEq')).toBeNull();
  });

  it('refuses unknown settings and bad values at creation, and clamps hz', () => {
    expect(() => new Config({ nosuch: '1' })).toThrow(/unknown config/);
    expect(() => new Config({ hz: 'x' })).toThrow(/couldn't be parsed/);
    expect(new Config({ hz: '0' }).get('hz')).toBe('1');
    expect(new Config({ 'HASH-MAX-ZIPLIST-ENTRIES': '7' }).num('hash-max-listpack-entries')).toBe(7);
    expect(new Config({ maxmemory: '18446744073709551615' }).get('maxmemory')).toBe('18446744073709551615');
  });
});

describe('INFO number formatting', () => {
  it('formatFixed rounds the exact binary value half to even, like printf', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(1.005, 2)).toBe('1.00'); // 1.00499999999999989...
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(1536 / 1024, 2)).toBe('1.50');
    expect(formatFixed(-0.001, 2)).toBe('-0.00');
    expect(formatFixed(123456.789, 2)).toBe('123456.79');
  });

  it('bytesToHuman picks the unit like Redis', () => {
    expect(bytesToHuman(0n)).toBe('0B');
    expect(bytesToHuman(1023n)).toBe('1023B');
    expect(bytesToHuman(1536n)).toBe('1.50K');
    expect(bytesToHuman(3n * 1024n ** 3n)).toBe('3.00G');
    expect(bytesToHuman(18446744073709551615n)).toBe('18446744073709551615B');
  });
});

describe('command summaries', () => {
  it('has one of our own for every command and subcommand of Redis 7.0', async () => {
    const { default: facts } = await import('../../../src/engine/server/commandFacts.json', { with: { type: 'json' } });
    const { COMMAND_SUMMARIES } = await import('../../../src/engine/server/commandSummaries.ts');
    const names: string[] = [];
    for (const [name, cmd] of Object.entries(facts.commands as Record<string, { subcommands: Record<string, unknown> }>)) {
      names.push(name, ...Object.keys(cmd.subcommands));
    }
    expect(names.length).toBe(366);
    for (const name of names) expect(COMMAND_SUMMARIES[name]?.length ?? 0, name).toBeGreaterThan(10);
  });
});

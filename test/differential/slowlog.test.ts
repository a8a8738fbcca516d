// SLOWLOG and LATENCY against real Redis 7.0.15. SLOWLOG with slowlog-log-slower-than 0 (every
// command is logged): the
// entries' ids, arguments (at most 32, each cut at 128 bytes), client addresses and names, their
// order and count, GET/LEN/RESET/HELP and the two settings. Durations are modelled in the engine
// (server/cost.ts) and measured in Redis, so only their shape is compared; ids are compared
// relative to the SLOWLOG RESET entry (the real server logged connections made before the test).
// LATENCY: a DEBUG SLEEP is a latency spike on both sides (modelled as exactly the sleep here);
// reports are compared with their numbers masked, histograms by their shape.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { encodeCommand } from '../support/respClient.ts';
import { parseResp, type RespValue } from '../support/respValue.ts';
import { DifferentialPair, wire, type ClientPair, type Command } from './harness.ts';
import { AddressLabels } from './introspectionSupport.ts';

let pair: DifferentialPair;
beforeAll(async () => {
  pair = await DifferentialPair.start({ 'slowlog-log-slower-than': '0', 'enable-debug-command': 'yes' });
});
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => {
  await pair.reset({ 'slowlog-log-slower-than': '0', 'slowlog-max-len': '128' });
  await pair.main.both('CLIENT', 'SETNAME', '');
  await pair.check('SLOWLOG', 'RESET');
});

function str(v: RespValue): string {
  if (v.t !== 'bulk') throw new Error(`expected a bulk string, got ${v.t}`);
  return v.v;
}

/** SLOWLOG GET's entries with ids relative to the oldest one shown and addresses as labels. */
function normalizeEntries(reply: Buffer, base: number | null): string[] {
  const v = parseResp(reply);
  if (v.t !== 'array') throw new Error(`SLOWLOG GET replied ${JSON.stringify(v)}`);
  const labels = new AddressLabels();
  const entries = v.v.map((e) => {
    if (e.t !== 'array' || e.v.length !== 6) throw new Error('an entry has 6 fields');
    const [id, time, duration, argv, peer, name] = e.v;
    if (id.t !== 'int' || time.t !== 'int' || duration.t !== 'int' || argv.t !== 'array') throw new Error('entry types');
    expect(duration.v).toBeGreaterThanOrEqual(0n);
    expect(Number(time.v)).toBeGreaterThan(1.6e9);
    return { id: Number(id.v), argv: argv.v.map(str), peer: str(peer), name: str(name) };
  });
  const first = base ?? (entries.length ? entries[entries.length - 1].id : 0);
  // Oldest first, so address labels are given in order of appearance.
  return entries.reverse().map((e) => `#${e.id - first} ${labels.label(e.peer)} name=${e.name} ${JSON.stringify(e.argv)}`);
}

/** Runs the commands (replies compared), then compares SLOWLOG GET -1 on both sides. */
async function checkLogged(cmds: Command[], p: ClientPair = pair.main, get: Command = ['SLOWLOG', 'GET', '-1']): Promise<string[]> {
  if (cmds.length) await p.checkAll(cmds.map(wire));
  const [r, e] = await pair.main.both(...get);
  if (r[0] === 0x2d) {
    expect(e.toString('latin1')).toBe(r.toString('latin1'));
    return [];
  }
  const real = normalizeEntries(r, null);
  expect(normalizeEntries(e, null)).toEqual(real);
  return real;
}

describe('SLOWLOG entries', () => {
  it('log every command with its arguments, client address and name, newest first', async () => {
    const b = await pair.connect();
    const logged = await checkLogged([
      ['SET', 'k', 'v'], ['GET', 'k'], ['CLIENT', 'SETNAME', 'main'], ['INCR', 'n'], ['GET', 'nosuchkey'],
      ['LPUSH', 'k', 'x'], ['NOSUCHCOMMAND'], ['GET'], ['SET', Buffer.from([0, 1, 255]), Buffer.from('\r\n')],
    ]);
    // Refused commands (unknown, wrong arity) never ran and are not logged; failed ones are.
    expect(logged.map((l) => l.split(' ').slice(3).join(' '))).toEqual([
      '["SLOWLOG","RESET"]', '["SET","k","v"]', '["GET","k"]', '["CLIENT","SETNAME","main"]', '["INCR","n"]',
      '["GET","nosuchkey"]', '["LPUSH","k","x"]', '["SET","\\u0000\\u0001ÿ","\\r\\n"]',
    ]);
    await b.check('CLIENT', 'SETNAME', 'other');
    await b.check('ECHO', 'from b');
    await checkLogged([['PING']]);
    b.close();
  });

  it('keep at most 32 arguments and 128 bytes of each', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `e${i}`);
    await checkLogged([
      ['RPUSH', 'l', ...many], ['RPUSH', 'l2', ...many.slice(0, 30)], ['RPUSH', 'l3', ...many.slice(0, 31)],
      ['SET', 'big', 'x'.repeat(200)], ['SET', 'edge', 'y'.repeat(128)], ['SET', 'edge2', 'z'.repeat(129)],
      ['SET', 'k'.repeat(300), Buffer.alloc(1000, 0xfe)], ['DEL', ...many.map((m) => m.repeat(50))],
    ]);
  });

  it('hide AUTH and HELLO AUTH secrets; log EXEC\'s commands but not EXEC', async () => {
    await checkLogged([
      ['AUTH', 'pw'], ['AUTH', 'default', 'pw'], ['AUTH', 'x', 'y', 'z'], ['HELLO', '2', 'AUTH', 'who', 'pw'],
      ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['EXEC'], ['MULTI'], ['NOSUCH'], ['EXEC'], ['MULTI'], ['DISCARD'],
    ]);
  });

  it('log a blocked command when it is served', async () => {
    const b = await pair.connect();
    for (const side of [b.real, b.engine]) side.sendRaw(encodeCommand(['BLPOP', 'q', '0']));
    await pair.check('CLIENT', 'UNBLOCK', '0'); // a round trip: BLPOP is blocked by now
    await checkLogged([['RPUSH', 'q', 'item']]);
    const [r, e] = await Promise.all([b.real.next(), b.engine.next()]);
    expect(e.toString()).toBe(r.toString());
    b.close();
  });
});

describe('SLOWLOG GET, LEN, RESET and HELP', () => {
  it('GET takes a count: 10 by default, -1 for all', async () => {
    const cmds: Command[] = Array.from({ length: 14 }, (_, i) => ['SET', `k${i}`, String(i)]);
    await pair.checkAll(cmds);
    for (const count of [null, '0', '1', '5', '-1', '100', '9223372036854775807']) {
      await checkLogged([], pair.main, count === null ? ['SLOWLOG', 'GET'] : ['SLOWLOG', 'GET', count]);
    }
    await pair.checkAll([
      ['SLOWLOG', 'GET', '-2'], ['SLOWLOG', 'GET', 'x'], ['SLOWLOG', 'GET', '1.5'], ['SLOWLOG', 'GET', '1', '2'],
      ['SLOWLOG', 'GET', '9223372036854775808'],
    ]);
  });

  it('LEN counts, RESET empties (and is logged itself), HELP helps', async () => {
    await pair.checkAll([
      ['SLOWLOG', 'LEN'], ['SET', 'a', 'b'], ['SLOWLOG', 'LEN'], ['SLOWLOG', 'RESET'], ['SLOWLOG', 'LEN'],
      ['SLOWLOG', 'HELP'], ['SLOWLOG', 'LEN', 'x'], ['SLOWLOG', 'RESET', 'x'], ['SLOWLOG', 'HELP', 'x'],
      ['SLOWLOG', 'NOPE'], ['SLOWLOG'], ['slowlog', 'len'],
    ]);
  });

  it('slowlog-max-len keeps the newest entries, slowlog-log-slower-than -1 turns logging off', async () => {
    await pair.checkAll([
      ['CONFIG', 'SET', 'slowlog-max-len', '3'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3'],
      ['SET', 'd', '4'], ['SLOWLOG', 'LEN'],
    ]);
    await checkLogged([]);
    await pair.checkAll([
      ['CONFIG', 'SET', 'slowlog-max-len', '0'], ['SLOWLOG', 'LEN'], ['CONFIG', 'SET', 'slowlog-max-len', '5'],
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'], ['SLOWLOG', 'RESET'], ['SET', 'x', 'y'], ['SLOWLOG', 'LEN'],
      // A threshold no command here reaches (10 s).
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000000'], ['SET', 'x', 'z'], ['SLOWLOG', 'LEN'],
      // (One name at a time: a pattern's matches come in hash order.)
      ['CONFIG', 'GET', 'slowlog-log-slower-than'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '-2'],
      ['CONFIG', 'SET', 'slowlog-max-len', '-1'], ['CONFIG', 'SET', 'slowlog-log-slower-than', 'abc'],
      ['CONFIG', 'SET', 'slowlog-max-len', '9223372036854775807'], ['CONFIG', 'GET', 'slowlog-max-len'],
    ]);
  });

  it('answers the same in RESP3', async () => {
    const b = await pair.connect();
    await Promise.all([b.real.call('HELLO', '3'), b.engine.call('HELLO', '3')]);
    await b.checkAll([['SET', 'r3', 'v'], ['SLOWLOG', 'LEN'], ['SLOWLOG', 'GET', '0'], ['SLOWLOG', 'HELP']]);
    const [r, e] = await b.both('SLOWLOG', 'GET', '2');
    expect(normalizeEntries(e, null)).toEqual(normalizeEntries(r, null));
    b.close();
  });
});

describe('a random command stream', () => {
  it('leaves the same entries', async () => {
    const rnd = new SeededRandom(4242);
    const cmds: Command[] = [];
    for (let i = 0; i < 120; i++) {
      const k = `s:${rnd.below(6)}`;
      const n = rnd.below(40);
      const args = Array.from({ length: n }, () => 'v'.repeat(rnd.below(3) === 0 ? 100 + rnd.below(60) : rnd.below(5)));
      switch (rnd.below(6)) {
        case 0: cmds.push(['RPUSH', k + ':l', 'first', ...args]); break;
        case 1: cmds.push(['SADD', k + ':s', 'm', ...args]); break;
        case 2: cmds.push(['SET', k, args.join('') || 'x']); break;
        case 3: cmds.push(['MGET', k, ...args.map((a, j) => `${k}${j}${a.length}`)]); break;
        case 4: cmds.push(['GET', k]); break;
        default: cmds.push(['DEL', k, k + ':l']); break;
      }
    }
    await checkLogged(cmds);
  });
});

describe('LATENCY', () => {
  const maskNumbers = (b: Buffer) => b.toString('latin1').replace(/\d+/g, '#');

  it('records a DEBUG SLEEP over the threshold as a "command" spike', async () => {
    await pair.checkAll([
      ['LATENCY', 'RESET'], ['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'GRAPH', 'command'],
      ['LATENCY', 'DOCTOR'], ['CONFIG', 'SET', 'latency-monitor-threshold', '100'], ['DEBUG', 'SLEEP', '0.05'],
      ['LATENCY', 'LATEST'], ['LATENCY', 'DOCTOR'], ['DEBUG', 'SLEEP', '0.2'],
    ]);
    const [r, e] = await pair.both('LATENCY', 'LATEST');
    expect(maskNumbers(e)).toBe(maskNumbers(r));
    const latest = (b: Buffer) => {
      const v = parseResp(b);
      if (v.t !== 'array' || v.v[0].t !== 'array') throw new Error('LATEST shape');
      return v.v[0].v.map((x) => (x.t === 'int' ? Number(x.v) : x.t === 'bulk' ? x.v : null));
    };
    const [, , engineMs, engineMax] = latest(e);
    const [event, , realMs] = latest(r);
    expect(event).toBe('command');
    expect(engineMs).toBe(200); // modelled: exactly the sleep
    expect(engineMax).toBe(200);
    expect(realMs).toBeGreaterThanOrEqual(200);
    for (const cmd of [['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'DOCTOR']]) {
      const [rr, ee] = await pair.both(...cmd);
      expect(maskNumbers(ee), cmd.join(' ')).toBe(maskNumbers(rr));
    }
    await pair.checkAll([
      ['LATENCY', 'HISTORY', 'fast-command'], ['LATENCY', 'GRAPH', 'fast-command'], ['LATENCY', 'RESET', 'nosuch'],
      ['LATENCY', 'RESET', 'COMMAND'], ['LATENCY', 'LATEST'], ['LATENCY', 'HELP'], ['LATENCY', 'NOPE'],
      ['LATENCY', 'GRAPH'], ['LATENCY', 'HISTORY', 'a', 'b'], ['CONFIG', 'SET', 'latency-monitor-threshold', '-1'],
      ['CONFIG', 'SET', 'latency-monitor-threshold', '0'], ['LATENCY', 'DOCTOR'],
    ]);
  });

  it('HISTOGRAM counts every call of the commands asked for, in power-of-two microsecond buckets', async () => {
    await pair.checkAll([['CONFIG', 'RESETSTAT'], ['SET', 'h', '1'], ['SET', 'h', '2'], ['GET', 'h'], ['CONFIG', 'GET', 'hz']]);
    const shape = (b: Buffer) => {
      const v = parseResp(b);
      if (v.t !== 'array' && v.t !== 'map') throw new Error('HISTOGRAM shape');
      // RESP2: [name, [calls, n, histogram_usec, [us, count ...]], ...]
      const items: RespValue[] = v.t === 'array' ? v.v : (v.v as [RespValue, RespValue][]).flat();
      const out: string[] = [];
      for (let i = 0; i < items.length; i += 2) {
        const name = items[i];
        const body = items[i + 1];
        if (name.t !== 'bulk' || body.t !== 'array') throw new Error('entry shape');
        const [k1, calls, k2, hist] = body.v;
        if (k1.t !== 'bulk' || calls.t !== 'int' || k2.t !== 'bulk' || hist.t !== 'array') throw new Error('fields');
        const counts = hist.v.filter((_, j) => j % 2 === 1).map((x) => (x.t === 'int' ? Number(x.v) : NaN));
        // Cumulative counts grow and end at the number of calls.
        expect(counts).toEqual([...counts].sort((a, b) => a - b));
        expect(counts[counts.length - 1]).toBe(Number(calls.v));
        out.push(`${name.v} ${k1.v}=${calls.v} ${k2.v}`);
      }
      return out.sort();
    };
    for (const cmd of [['LATENCY', 'HISTOGRAM', 'set', 'GET', 'config', 'nosuch', 'config|get'], ['LATENCY', 'HISTOGRAM', 'hset']]) {
      const [r, e] = await pair.both(...cmd);
      expect(shape(e)).toEqual(shape(r));
    }
  });
});

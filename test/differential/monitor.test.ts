// MONITOR against real Redis 7.0.15, line by line: the "+<seconds>.<micros> [<db> <addr>] args"
// format with sdscatrepr quoting, which commands are shown (not admin ones, not those refused
// before running, AUTH/HELLO secrets redacted), EXEC's order, and the monitor connection's own
// rules. Timestamps are checked for their shape; addresses become labels in order of appearance.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { encodeCommand, type RespClient } from '../support/respClient.ts';
import { DifferentialPair, wire, type ClientPair, type Command } from './harness.ts';
import { AddressLabels, bothFrames } from './introspectionSupport.ts';

let pair: DifferentialPair;
let monitor: ClientPair;
let actor: ClientPair;

beforeAll(async () => {
  pair = await DifferentialPair.start();
});
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => {
  monitor?.close();
  actor?.close();
  await pair.reset();
  monitor = await pair.connect();
  actor = await pair.connect();
  await monitor.check('MONITOR');
});

let markers = 0;
const LINE = /^\+(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\] (.*)\r\n$/s;

/** A frame with a monitor line's time and address masked. */
function maskLine(f: string): string {
  const m = LINE.exec(f);
  return m ? `[${m[3]} <addr>] ${m[5]}` : f;
}

/** Runs cmd on the monitoring connection itself; its frames (its own lines masked) must match. */
async function checkOwnFrames(p: ClientPair, ...cmd: Command): Promise<string[]> {
  const [r, e] = await bothFrames(p, ...cmd);
  expect(e.map(maskLine), cmd.join(' ')).toEqual(r.map(maskLine));
  return r.map(maskLine);
}

/** Reads the monitor's lines until the one showing `ECHO marker`, normalized. */
async function linesUntil(m: RespClient, marker: string, labels: AddressLabels): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const f = (await m.next()).toString('latin1');
    const match = LINE.exec(f);
    if (!match) {
      out.push(`not a monitor line: ${JSON.stringify(f)}`);
      continue;
    }
    if (match[5] === `"ECHO" "${marker}"`) return out;
    out.push(`[${match[3]} ${labels.label(match[4])}] ${match[5]}`);
  }
}

/**
 * The actor (or another connection) runs the commands, pipelined, with replies compared; then the
 * monitor's lines on both sides must be the same.
 */
async function checkMonitored(cmds: Command[], by: ClientPair = actor, m: ClientPair = monitor, labels = [new AddressLabels(), new AddressLabels()]): Promise<string[]> {
  if (cmds.length) await by.checkAll(cmds.map(wire));
  const marker = `mark:${++markers}`;
  await by.check('ECHO', marker);
  const [r, e] = await Promise.all([linesUntil(m.real, marker, labels[0]), linesUntil(m.engine, marker, labels[1])]);
  expect(e).toEqual(r);
  return r;
}

describe('MONITOR lines', () => {
  it('show time, db, address and every argument quoted and escaped', async () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const lines = await checkMonitored([
      ['SET', 'k', 'v'], ['GET', 'k'], ['SET', 'key with spaces', ''], ['SET', 'n', '123'], ['INCRBY', 'n', '-7'],
      ['SET', 'bin', all], ['SET', 'q', 'say "hi"\\now\r\n\t\x07\b'], ['APPEND', 'n', '007'],
      ['SELECT', '3'], ['SET', 'in3', 'x'], ['SELECT', '0'],
    ]);
    expect(lines[0]).toBe('[0 addr1] "SET" "k" "v"');
    // Raw frames have the exact time format.
    const [r, e] = await Promise.all([monitor.real, monitor.engine].map(async (m, i) => {
      const side = [actor.real, actor.engine][i];
      side.sendRaw(encodeCommand(['PING']));
      await side.next();
      return (await m.next()).toString('latin1');
    }));
    for (const f of [r, e]) expect(f).toMatch(/^\+\d{10}\.\d{6} \[0 127\.0\.0\.1:\d+\] "PING"\r\n$/);
  });

  it('leave out admin commands and commands refused before they ran', async () => {
    // Replies that differ by nature (ids, ports): run unchecked; only CLIENT ID is shown.
    await actor.both('CLIENT', 'LIST');
    await actor.both('CLIENT', 'ID');
    await checkMonitored([
      ['CONFIG', 'GET', 'maxmemory'], ['CLIENT', 'SETNAME', 'actor'],
      ['CLIENT', 'GETNAME'], ['CLIENT', 'KILL', '1.2.3.4:5'], ['SLOWLOG', 'GET'], ['SLOWLOG', 'HELP'],
      ['LATENCY', 'LATEST'], ['LATENCY', 'HELP'], ['DEBUG', 'OBJECT', 'x'],
      ['NOSUCHCOMMAND', 'a'], ['GET'], ['CLIENT', 'NOSUCH'], ['SET', 'l', 'x'], ['LPUSH', 'l', 'y'],
      ['CLIENT', 'TRACKINGINFO'], ['CONFIG', 'HELP'], ['COMMAND', 'GETKEYS', 'SET', 'a', 'b'], ['PING'], ['ECHO', 'x'],
    ]);
  });

  it('show MULTI, then EXEC\'s commands, then EXEC; an aborted EXEC alone', async () => {
    const other = await pair.connect();
    await checkMonitored([
      ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['LPUSH', 'a', 'x'], ['EXEC'],
      ['MULTI'], ['SET', 'b', '1'], ['NOSUCH'], ['EXEC'],
      ['MULTI'], ['GET', 'b'], ['DISCARD'],
    ]);
    // A transaction whose WATCHed key changed: EXEC shows, its commands do not run.
    await actor.checkAll([['WATCH', 'w'], ['MULTI'], ['GET', 'w']]);
    await other.check('SET', 'w', 'changed');
    await checkMonitored([['EXEC'], ['MULTI'], ['SELECT', '5'], ['SET', 'x', 'y'], ['EXEC'], ['SELECT', '0']]);
    other.close();
  });

  it('redact AUTH and HELLO AUTH secrets', async () => {
    await checkMonitored([
      ['AUTH', 'secret'], ['AUTH', 'default', 'secret'], ['AUTH', 'someone', 'pw'], ['AUTH', 'a', 'b', 'c'],
      ['HELLO', '2', 'AUTH', 'nobody', 'pw'], ['HELLO', '2', 'SETNAME', 'x', 'AUTH', 'x', 'y'],
    ]);
  });

  it('come from every connection, in the order the server ran them', async () => {
    const b = await pair.connect();
    const c = await pair.connect();
    const labels = [new AddressLabels(), new AddressLabels()];
    await checkMonitored([['SET', 'from', 'actor']], actor, monitor, labels);
    await checkMonitored([['SET', 'from', 'b']], b, monitor, labels);
    await checkMonitored([['SELECT', '2'], ['SET', 'from', 'c']], c, monitor, labels);
    await checkMonitored([['GET', 'from']], actor, monitor, labels);
    b.close();
    c.close();
  });

  it('a second monitor sees the same lines', async () => {
    const second = await pair.connect();
    second.real.sendRaw(encodeCommand(['MONITOR']));
    second.engine.sendRaw(encodeCommand(['MONITOR']));
    await Promise.all([second.real.next(), second.engine.next()]);
    const lines = await checkMonitored([['SET', 'x', '1'], ['RPUSH', 'list', 'a'], ['LPOP', 'list']]);
    const labels = [new AddressLabels(), new AddressLabels()];
    const marker = `mark:${markers}`;
    const [r, e] = await Promise.all([linesUntil(second.real, marker, labels[0]), linesUntil(second.engine, marker, labels[1])]);
    expect(e).toEqual(r);
    expect(r).toEqual(lines);
    second.close();
  });
});

describe('the monitoring connection', () => {
  it('may not touch the keyspace, ignores a second MONITOR, sees its own commands', async () => {
    // Its own commands are shown after their replies (each marker PING leaves its line behind).
    await checkOwnFrames(monitor, 'GET', 'k');
    await checkOwnFrames(monitor, 'SET', 'k', 'v');
    await checkOwnFrames(monitor, 'PUBLISH', 'ch', 'x');
    expect(await checkOwnFrames(monitor, 'CLIENT', 'GETNAME')).toEqual([
      expect.stringMatching(/^\[0 <addr>\] "PING" "marker:\d+"$/), '$-1\r\n', '[0 <addr>] "CLIENT" "GETNAME"',
    ]);
    // MONITOR again: no reply at all.
    const [r, e] = await Promise.all([monitor.real, monitor.engine].map(async (m) => {
      m.sendRaw(encodeCommand(['MONITOR']));
      m.sendRaw(encodeCommand(['ECHO', 'after']));
      return [maskLine((await m.next()).toString('latin1')), (await m.next()).toString('latin1')];
    }));
    expect(e).toEqual(r);
    expect(r[1]).toBe('$5\r\nafter\r\n');
    // RESET ends monitoring: a command from elsewhere is no longer shown.
    await checkOwnFrames(monitor, 'RESET');
    await actor.check('SET', 'unseen', '1');
    expect(await checkOwnFrames(monitor, 'SET', 'k', 'now allowed')).toEqual(['+OK\r\n']);
  });

  it('MONITOR inside a transaction fails at EXEC', async () => {
    await actor.checkAll([['MULTI'], ['MONITOR'], ['EXEC'], ['SET', 'still', 'normal'], ['GET', 'still']]);
    await checkMonitored([]);
  });

  it('QUIT and RESET are shown; a monitor with replies off gets nothing', async () => {
    const quitter = await pair.connect();
    const labels = [new AddressLabels(), new AddressLabels()];
    await checkMonitored([['PING']], quitter, monitor, labels);
    await quitter.checkAll([['RESET'], ['QUIT']]);
    await checkMonitored([['SET', 'after', 'quit']], actor, monitor, labels);
    quitter.close();
    const muted = await pair.connect();
    for (const side of [muted.real, muted.engine]) side.sendRaw(encodeCommand(['MONITOR']));
    await Promise.all([muted.real.next(), muted.engine.next()]);
    for (const side of [muted.real, muted.engine]) side.sendRaw(encodeCommand(['CLIENT', 'REPLY', 'OFF']));
    await checkMonitored([['SET', 'while', 'muted']]);
    for (const side of [muted.real, muted.engine]) side.sendRaw(encodeCommand(['CLIENT', 'REPLY', 'ON']));
    await Promise.all([muted.real.next(), muted.engine.next()].map((p) => p.then((b) => expect(b.toString()).toBe('+OK\r\n'))));
    muted.close();
  });
});

describe('a random command stream', () => {
  it('is monitored line by line the same', async () => {
    const rnd = new SeededRandom(7007);
    const arg = () => {
      const n = rnd.below(6);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(rnd.below(4) === 0 ? rnd.below(256) : 97 + rnd.below(5));
      return s;
    };
    const cmds: Command[] = [];
    for (let i = 0; i < 300; i++) {
      const k = `r:${rnd.below(8)}`;
      switch (rnd.below(10)) {
        case 0: cmds.push(['SET', k, arg()]); break;
        case 1: cmds.push(['GET', k]); break;
        case 2: cmds.push(['RPUSH', `${k}:l`, arg(), arg()]); break;
        case 3: cmds.push(['SADD', `${k}:s`, arg()]); break;
        case 4: cmds.push(['HSET', `${k}:h`, arg(), arg()]); break;
        case 5: cmds.push(['DEL', k, `${k}:l`]); break;
        case 6: cmds.push(['SELECT', String(rnd.below(3))]); break;
        case 7: cmds.push(['INCR', `${k}:n`]); break;
        case 8: cmds.push(['ECHO', arg()]); break;
        default: cmds.push(['OBJECT', 'ENCODING', k]); break;
      }
    }
    cmds.push(['SELECT', '0']);
    await checkMonitored(cmds);
  });
});

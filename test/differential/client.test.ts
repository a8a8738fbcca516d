// CLIENT against real Redis 7.0.15: LIST/INFO (every field name in order; the fields that do not
// depend on timing, ports or memory compared exactly), LIST TYPE/ID, SETNAME/GETNAME, KILL in both
// forms, REPLY ON/OFF/SKIP, NO-EVICT, TRACKING with its invalidation messages (RESP3 pushes, RESP2
// redirection, BCAST prefixes, OPTIN/OPTOUT, NOLOOP, broken redirects), CACHING, GETREDIR,
// TRACKINGINFO and HELP. Client ids differ between the servers by a constant offset.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { encodeCommand } from '../support/respClient.ts';
import { DifferentialPair, show, uniqueKeys, type ClientPair, type Command } from './harness.ts';
import {
  AddressLabels, bothFrames, checkFrames, checkPerSide, CLIENT_LIST_FIELDS, clientIds, clientLines,
} from './introspectionSupport.ts';

let pair: DifferentialPair;
/** real id - engine id, the same for every connection made in lockstep. */
let idOffset: number;
const extra: ClientPair[] = [];

beforeAll(async () => {
  pair = await DifferentialPair.start();
  const [r, e] = await clientIds(pair.main);
  idOffset = r - e;
});
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => {
  for (const p of extra.splice(0)) p.close();
  await pair.main.both('RESET');
  await pair.reset();
});

async function connect(): Promise<ClientPair> {
  const p = await pair.connect();
  extra.push(p);
  return p;
}

const keys = uniqueKeys('cl');

/** HELLO 3 on both sides; its reply is the same but for the client id. */
async function hello3(p: ClientPair): Promise<void> {
  const mask = (s: string) => s.replace(/id\\r\\n:\d+/, 'id\\r\\n:<id>');
  await checkPerSide(p, () => ['HELLO', '3'], mask);
}

/** Fields that do not depend on timing, ports or memory, with ids in the engine's numbering. */
const EXACT_FIELDS = ['name', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf', 'argv-mem', 'multi-mem',
  'obl', 'oll', 'omem', 'events', 'cmd', 'user', 'resp'];

function normalizeLines(lines: [string, string][][], side: 'real' | 'engine', labels: AddressLabels, self: boolean): string[] {
  return lines.map((fields) => {
    expect(fields.map(([k]) => k)).toEqual(CLIENT_LIST_FIELDS);
    const f = new Map(fields);
    const shift = (v: string) => (side === 'real' && Number(v) > 0 ? String(Number(v) - idOffset) : v);
    const parts = [`id=${shift(f.get('id')!)}`, `addr=${labels.label(f.get('addr')!)}`, `redir=${shift(f.get('redir')!)}`];
    for (const k of EXACT_FIELDS) parts.push(`${k}=${f.get(k)}`);
    // The caller's own query buffer is the one being read: its free room is exact too.
    if (self) parts.push(`qbuf-free=${f.get('qbuf-free')}`);
    expect(Number(f.get('age'))).toBeGreaterThanOrEqual(0);
    expect(Number(f.get('tot-mem'))).toBeGreaterThan(0);
    return parts.join(' ');
  });
}

/** CLIENT LIST / INFO on both sides, compared field by field after normalizing. */
async function checkClientList(p: ClientPair, ...cmd: Command): Promise<string[]> {
  const [r, e] = await p.both(...cmd);
  if (r[0] === 0x2d || e[0] === 0x2d) {
    expect(show(e)).toBe(show(r));
    return [];
  }
  expect(String.fromCharCode(e[0])).toBe(String.fromCharCode(r[0]));
  const self = cmd[1] === 'INFO' || cmd[1] === 'info';
  const real = normalizeLines(clientLines(r), 'real', new AddressLabels(), self);
  const engine = normalizeLines(clientLines(e), 'engine', new AddressLabels(), self);
  expect(engine).toEqual(real);
  return engine;
}

describe('CLIENT LIST and CLIENT INFO', () => {
  it('print every field in Redis 7.0 order, with the same state fields', async () => {
    const b = await connect();
    await checkClientList(pair.main, 'CLIENT', 'INFO');
    await checkClientList(pair.main, 'CLIENT', 'LIST');
    await b.check('CLIENT', 'SETNAME', 'worker-1');
    await b.check('SELECT', '3');
    await b.check('SET', 'k', 'v');
    await checkClientList(pair.main, 'CLIENT', 'LIST');
    await checkClientList(b, 'client', 'info');
  });

  it('show MULTI, WATCH dirtiness, subscriptions, RESP3, NO-EVICT and MONITOR', async () => {
    const [k] = keys('k');
    const b = await connect();
    const c = await connect();
    const d = await connect();
    await b.check('WATCH', k);
    await b.check('MULTI');
    await b.check('SET', k, '1');
    await b.check('INCR', 'x');
    await pair.check('SET', k, 'other'); // makes b's transaction dirty
    await c.check('SUBSCRIBE', 'ch1', 'ch2');
    await c.check('PSUBSCRIBE', 'p*');
    await hello3(d);
    await d.check('CLIENT', 'NO-EVICT', 'on');
    await checkClientList(pair.main, 'CLIENT', 'LIST');
    await d.check('MONITOR');
    await checkClientList(pair.main, 'CLIENT', 'LIST');
    await checkClientList(pair.main, 'CLIENT', 'LIST', 'TYPE', 'normal');
    await checkClientList(pair.main, 'CLIENT', 'LIST', 'TYPE', 'PUBSUB');
    await checkClientList(pair.main, 'CLIENT', 'LIST', 'TYPE', 'master');
    await checkClientList(pair.main, 'CLIENT', 'LIST', 'TYPE', 'replica');
    await checkClientList(pair.main, 'CLIENT', 'LIST', 'TYPE', 'slave');
  });

  it('CLIENT LIST ID lists the given clients, in the order given, and skips unknown ids', async () => {
    const b = await connect();
    const [rb, eb] = await clientIds(b);
    const [rm, em] = await clientIds(pair.main);
    for (const ids of [[[rb], [eb]], [[rb, rm, rb], [eb, em, eb]], [[rm, 999999], [em, 999999]]]) {
      const [r, e] = await Promise.all([
        pair.main.real.call('CLIENT', 'LIST', 'ID', ...ids[0].map(String)),
        pair.main.engine.call('CLIENT', 'LIST', 'ID', ...ids[1].map(String)),
      ]);
      const labelsR = new AddressLabels(), labelsE = new AddressLabels();
      expect(normalizeLines(clientLines(e), 'engine', labelsE, false)).toEqual(normalizeLines(clientLines(r), 'real', labelsR, false));
    }
  });

  it('refuses bad arguments as Redis does', async () => {
    await pair.checkAll([
      ['CLIENT', 'LIST', 'TYPE'], ['CLIENT', 'LIST', 'TYPE', 'bogus'], ['CLIENT', 'LIST', 'TYPE', 'normal', 'x'],
      ['CLIENT', 'LIST', 'ID'], ['CLIENT', 'LIST', 'ID', 'abc'], ['CLIENT', 'LIST', 'ID', '1', '-'],
      ['CLIENT', 'LIST', 'ID', '999999', '99999x'], ['CLIENT', 'LIST', 'foo'], ['CLIENT', 'LIST', 'ID', '999999'],
      ['CLIENT', 'INFO', 'x'], ['CLIENT', 'ID', 'x'], ['CLIENT'], ['CLIENT', 'NOPE'], ['CLIENT', 'GETNAME', 'x'],
    ]);
  });

  it('answers in RESP3 with verbatim strings', async () => {
    const b = await connect();
    await hello3(b);
    await checkClientList(b, 'CLIENT', 'INFO');
    await checkClientList(b, 'CLIENT', 'LIST');
    await b.check('CLIENT', 'LIST', 'ID', '99999999');
  });
});

describe('CLIENT ID, SETNAME and GETNAME', () => {
  it('names connections with printable characters only', async () => {
    await pair.checkAll([
      ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'alpha'], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'has space'], ['CLIENT', 'SETNAME', 'tab\there'], ['CLIENT', 'SETNAME', 'new\nline'],
      ['CLIENT', 'SETNAME', Buffer.from([0x61, 0xe9])], ['CLIENT', 'SETNAME', Buffer.from([0x61, 0x00])],
      ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', '!~'], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME'], ['CLIENT', 'SETNAME', 'a', 'b'],
      ['CLIENT', 'SETNAME', 'again'], ['RESET'], ['CLIENT', 'GETNAME'],
    ]);
    // HELLO SETNAME names the connection too (its reply carries the id, which differs).
    const mask = (s: string) => s.replace(/id\\r\\n:\d+/, 'id\\r\\n:<id>');
    await checkPerSide(pair.main, () => ['HELLO', '2', 'SETNAME', 'viahello'], mask);
    await pair.check('CLIENT', 'GETNAME');
    await pair.check('HELLO', '2', 'SETNAME', 'bad name');
    await pair.check('CLIENT', 'GETNAME');
  });

  it('gives each connection a new id, one more than the last', async () => {
    const [r1, e1] = await clientIds(pair.main);
    const b = await connect();
    const [r2, e2] = await clientIds(b);
    expect(e2 - e1).toBe(r2 - r1);
    expect(r1 - e1).toBe(idOffset);
  });
});

describe('CLIENT KILL', () => {
  /** Each side's "addr" of a connection. */
  async function addrOf(p: ClientPair): Promise<[string, string]> {
    const [r, e] = await p.both('CLIENT', 'INFO');
    const get = (b: Buffer) => new Map(clientLines(b)[0]).get('addr')!;
    return [get(r), get(e)];
  }
  async function laddrOf(p: ClientPair): Promise<[string, string]> {
    const [r, e] = await p.both('CLIENT', 'INFO');
    const get = (b: Buffer) => new Map(clientLines(b)[0]).get('laddr')!;
    return [get(r), get(e)];
  }
  async function expectClosed(p: ClientPair): Promise<void> {
    await Promise.all([p.real.next().catch(() => null), p.engine.next().catch(() => null)]);
    expect(p.real.isClosed).toBe(true);
    expect(p.engine.isClosed).toBe(true);
  }

  it('the old form kills by address, the caller too, and says when nothing matched', async () => {
    const b = await connect();
    const [rb, eb] = await addrOf(b);
    await checkPerSide(pair.main, (s) => ['CLIENT', 'KILL', s === 'real' ? rb : eb]);
    await expectClosed(b);
    await checkPerSide(pair.main, (s) => ['CLIENT', 'KILL', s === 'real' ? rb : eb]); // already gone
    await pair.check('CLIENT', 'KILL', '1.2.3.4:5');
    const c = await connect();
    const [rc, ec] = await addrOf(c);
    // Killing itself: the OK still arrives, then the connection closes.
    await checkPerSide(c, (s) => ['CLIENT', 'KILL', s === 'real' ? rc : ec]);
    await expectClosed(c);
  });

  it('the filter form counts the kills and skips the caller unless SKIPME no', async () => {
    const b = await connect();
    const c = await connect();
    await c.check('SUBSCRIBE', 'news');
    const [rb, eb] = await clientIds(b);
    await pair.check('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await expectClosed(c);
    await pair.check('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await checkPerSide(pair.main, (s) => ['CLIENT', 'KILL', 'ID', String(s === 'real' ? rb : eb), 'TYPE', 'pubsub']);
    await checkPerSide(pair.main, (s) => ['CLIENT', 'KILL', 'ID', String(s === 'real' ? rb : eb)]);
    await expectClosed(b);
    const d = await connect();
    const [rd, ed] = await addrOf(d);
    await checkPerSide(pair.main, (s) => ['CLIENT', 'KILL', 'ADDR', s === 'real' ? rd : ed, 'SKIPME', 'yes']);
    await expectClosed(d);
    const e = await connect();
    const [rl, el] = await laddrOf(e);
    await checkPerSide(pair.main, (s) => ['CLIENT', 'KILL', 'LADDR', s === 'real' ? rl : el, 'USER', 'default']);
    await expectClosed(e);
    await pair.check('CLIENT', 'KILL', 'LADDR', '1.1.1.1:1');
    await pair.check('CLIENT', 'KILL', 'USER', 'default', 'TYPE', 'normal');
    await pair.check('PING');
    const f = await connect();
    const [rf, ef] = await clientIds(f);
    await checkPerSide(f, (s) => ['CLIENT', 'KILL', 'ID', String(s === 'real' ? rf : ef), 'SKIPME', 'no']);
    await expectClosed(f);
  });

  it('refuses bad filters as Redis does (7.0 has no MAXAGE)', async () => {
    await pair.checkAll([
      ['CLIENT', 'KILL'], ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', '-3'], ['CLIENT', 'KILL', 'ID', 'x'],
      ['CLIENT', 'KILL', 'ID', '1', 'SKIPME'], ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'USER', 'bob'],
      ['CLIENT', 'KILL', 'SKIPME', 'maybe'], ['CLIENT', 'KILL', 'MAXAGE', '10'], ['CLIENT', 'KILL', 'BOGUS', 'x'],
      ['CLIENT', 'KILL', 'TYPE', 'master'], ['CLIENT', 'KILL', 'type', 'Replica', 'id', '12345'],
    ]);
  });
});

describe('CLIENT REPLY and NO-EVICT', () => {
  it('OFF and SKIP silence replies, ON brings them back with an OK', async () => {
    const b = await connect();
    const cmds: Command[] = [
      ['CLIENT', 'REPLY', 'OFF'], ['PING', 'muted'], ['CLIENT', 'REPLY', 'SKIP'], ['SET', 'r', '1'],
      ['CLIENT', 'REPLY', 'bogus'], ['CLIENT', 'REPLY', 'ON'], ['PING', 'one'],
      ['CLIENT', 'REPLY', 'SKIP'], ['PING', 'skipped'], ['PING', 'two'], ['CLIENT', 'REPLY', 'SKIP'],
      ['CLIENT', 'REPLY', 'SKIP'], ['PING', 'skipped too'], ['GET', 'r'],
    ];
    for (const side of [b.real, b.engine]) side.sendRaw(Buffer.concat(cmds.map(encodeCommand)));
    // Only ON's OK, PING one, PING two and GET r answer.
    const answers = async (c: typeof b.real) => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) out.push((await c.next()).toString('latin1'));
      return out;
    };
    const [r, e] = await Promise.all([answers(b.real), answers(b.engine)]);
    expect(e).toEqual(r);
    expect(r).toEqual(['+OK\r\n', '$3\r\none\r\n', '$3\r\ntwo\r\n', '$1\r\n1\r\n']);
    await b.check('PING', 'nothing left over');
  });

  it('NO-EVICT takes ON or OFF', async () => {
    await pair.checkAll([
      ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'OFF'], ['CLIENT', 'NO-EVICT', 'maybe'],
      ['CLIENT', 'NO-EVICT'], ['CLIENT', 'NO-EVICT', 'on', 'off'],
    ]);
  });
});

describe('CLIENT TRACKING', () => {
  it('validates its options in Redis order', async () => {
    await pair.checkAll([
      ['CLIENT', 'TRACKING'], ['CLIENT', 'TRACKING', 'maybe'], ['CLIENT', 'TRACKING', 'on', 'FOO'],
      ['CLIENT', 'TRACKING', 'on', 'PREFIX'], ['CLIENT', 'TRACKING', 'on', 'REDIRECT'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x'], ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '0'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '99999999'], ['CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'],
      ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTOUT'], ['CLIENT', 'TRACKING', 'maybe', 'BCAST', 'OPTIN'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b', 'PREFIX', 'bc'],
      ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'obj:', 'NOLOOP'],
      ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'TRACKING', 'on'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:x'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'o'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'zzz'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST'], ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'off', 'BCAST', 'PREFIX', 'q'], ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'on', 'OPTIN'], ['CLIENT', 'TRACKING', 'on', 'OPTOUT'],
      ['CLIENT', 'CACHING', 'no'], ['CLIENT', 'CACHING', 'maybe'], ['CLIENT', 'CACHING', 'yes'],
      ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'off'],
      ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'TRACKING', 'on', 'OPTOUT', 'NOLOOP'], ['CLIENT', 'CACHING', 'yes'],
      ['CLIENT', 'CACHING', 'no'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'CACHING', 'a', 'b'],
    ]);
  });

  it('sends RESP3 invalidation pushes for keys the client read', async () => {
    const [k1, k2, k3] = keys('k1', 'k2', 'k3');
    const a = await connect();
    const b = await connect();
    await hello3(a);
    await checkFrames(a, 'CLIENT', 'TRACKING', 'on');
    await checkFrames(a, 'GET', k1);
    await checkFrames(a, 'MGET', k2, k3);
    await checkFrames(b, 'SET', k1, 'v');
    await checkFrames(a); // the push for k1
    await checkFrames(b, 'MSET', k2, 'x', k3, 'y');
    await checkFrames(a);
    await checkFrames(b, 'SET', k1, 'again'); // no longer tracked: nothing
    await checkFrames(a);
    // Its own write invalidates its own read (no NOLOOP), after its reply.
    await checkFrames(a, 'GET', k1);
    await checkFrames(a, 'APPEND', k1, '!');
    await checkFrames(a, 'GET', k2);
    // Inside MULTI the marker would be queued: plain checks, then the frames after EXEC.
    await a.check('MULTI');
    await a.check('SET', k2, '1');
    await a.check('GET', k2);
    await checkFrames(a, 'EXEC');
    await checkFrames(b, 'DEL', k2);
    await checkFrames(a);
    // FLUSHALL tells every tracking client to drop everything.
    await checkFrames(a, 'GET', k3);
    await checkFrames(b, 'FLUSHALL');
    await checkFrames(a);
    await checkFrames(a, 'FLUSHDB');
    await checkFrames(a, 'CLIENT', 'TRACKING', 'off');
    await checkFrames(a, 'GET', k3);
    await checkFrames(b, 'SET', k3, 'v');
    await checkFrames(a);
  });

  it('NOLOOP skips the client\'s own writes; OPTIN and OPTOUT follow CLIENT CACHING', async () => {
    const [k1, k2, k3, k4] = keys('k1', 'k2', 'k3', 'k4');
    const a = await connect();
    const b = await connect();
    await hello3(a);
    await checkFrames(a, 'CLIENT', 'TRACKING', 'on', 'NOLOOP');
    await checkFrames(a, 'GET', k1);
    await checkFrames(a, 'SET', k1, 'mine');
    await checkFrames(a, 'GET', k1);
    await checkFrames(b, 'SET', k1, 'theirs');
    await checkFrames(a);
    await checkFrames(a, 'CLIENT', 'TRACKING', 'off');
    await checkFrames(a, 'CLIENT', 'TRACKING', 'on', 'OPTIN');
    await checkFrames(a, 'GET', k2); // not cached
    await checkFrames(a, 'CLIENT', 'CACHING', 'yes');
    await checkFrames(a, 'GET', k3); // cached
    await checkFrames(a, 'GET', k4); // CACHING held for one command only
    await checkFrames(a, 'CLIENT', 'CACHING', 'yes');
    await a.check('MULTI');
    await a.check('GET', k4);
    await checkFrames(a, 'EXEC'); // and for a whole transaction
    await checkFrames(b, 'MSET', k2, '1', k3, '1', k4, '1');
    await checkFrames(a);
    await checkFrames(a, 'CLIENT', 'TRACKING', 'off');
    await checkFrames(a, 'CLIENT', 'TRACKING', 'on', 'OPTOUT');
    await checkFrames(a, 'GET', k2); // cached
    await checkFrames(a, 'CLIENT', 'CACHING', 'no');
    await checkFrames(a, 'GET', k3); // not cached
    await checkFrames(a, 'CLIENT', 'TRACKINGINFO');
    await checkFrames(b, 'MSET', k2, '2', k3, '2');
    await checkFrames(a);
  });

  it('BCAST sends every changed key under the prefixes once per event loop cycle', async () => {
    const a = await connect();
    const b = await connect();
    await hello3(a);
    await checkFrames(a, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'obj:');
    await checkFrames(b, 'SET', 'user:1', 'x');
    await checkFrames(a);
    await checkFrames(b, 'MSET', 'user:3', 'a', 'user:2', 'b', 'other', 'c', 'obj:9', 'd', 'user:3', 'e');
    await checkFrames(a);
    await checkFrames(a, 'SET', 'user:self', '1'); // without NOLOOP its own changes come back
    await checkFrames(a, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP');
    await checkFrames(a, 'MSET', 'user:4', '1', 'obj:4', '1');
    await checkFrames(b, 'MSET', 'user:5', '1', 'zzz', '1');
    await checkFrames(a);
    const c = await connect();
    await hello3(c);
    await checkFrames(c, 'CLIENT', 'TRACKING', 'on', 'BCAST');
    await checkFrames(b, 'SET', 'anything', '1');
    await checkFrames(c);
    await checkFrames(a);
    await checkFrames(b, 'FLUSHALL');
    await checkFrames(c);
  });

  it('redirects to a RESP2 connection subscribed to __redis__:invalidate, and reports a broken redirect', async () => {
    const [k1, k2, k3] = keys('k1', 'k2', 'k3');
    const a = await connect();
    const b = await connect();
    const sub = await connect();
    const [rs, es] = await clientIds(sub);
    await checkFrames(sub, 'SUBSCRIBE', '__redis__:invalidate');
    await checkPerSide(a, (s) => ['CLIENT', 'TRACKING', 'on', 'REDIRECT', String(s === 'real' ? rs : es)]);
    await checkPerSide(a, () => ['CLIENT', 'GETREDIR'], (s) => s.replace(/:\d+/, ':<id>'));
    await checkFrames(a, 'GET', k1);
    await checkFrames(b, 'SET', k1, 'v');
    await checkFrames(sub);
    await checkFrames(a);
    await checkFrames(b, 'FLUSHDB');
    await checkFrames(sub);
    await checkFrames(sub, 'UNSUBSCRIBE');
    await checkFrames(a, 'GET', k2);
    await checkFrames(b, 'SET', k2, 'v'); // the redirect target is not subscribed: dropped
    await checkFrames(sub);
    // Gone for sure before the next write (a closed socket is noticed asynchronously).
    await checkPerSide(pair.main, (s) => ['CLIENT', 'KILL', 'ID', String(s === 'real' ? rs : es)]);
    await checkFrames(a, 'GET', k3);
    await checkFrames(b, 'SET', k3, 'v');
    const mask = (s: string) => s.replace(/redirect\\r\\n:\d+/, 'redirect\\r\\n:<id>');
    await checkPerSide(a, () => ['CLIENT', 'TRACKINGINFO'], mask);
    await bothFrames(a, 'HELLO', '3'); // its reply carries the id
    await checkFrames(a, 'GET', k3);
    await checkFrames(b, 'SET', k3, 'w');
    // RESP3: the broken redirect is reported with a push carrying the old id.
    const [r, e] = await bothFrames(a);
    expect(e.map((f) => f.replace(/:\d+\r\n$/, ':<id>\r\n'))).toEqual(r.map((f) => f.replace(/:\d+\r\n$/, ':<id>\r\n')));
    expect(r.length).toBe(1);
    await checkPerSide(a, () => ['CLIENT', 'TRACKINGINFO'], mask);
  });

  it('a random mix of reads and writes from tracking clients invalidates the same keys', async () => {
    const rnd = new SeededRandom(3030);
    const names = keys('a', 'b', 'c', 'd', 'e', 'f');
    const a = await connect();
    const b = await connect();
    for (const p of [a, b]) await hello3(p);
    await checkFrames(a, 'CLIENT', 'TRACKING', 'on');
    await checkFrames(b, 'CLIENT', 'TRACKING', 'on', 'NOLOOP');
    const pick = () => names[rnd.below(names.length)];
    for (let i = 0; i < 300; i++) {
      const p = rnd.below(2) === 0 ? a : b;
      const r = rnd.below(10);
      const cmd: Command = r < 3 ? ['GET', pick()]
        : r < 4 ? ['MGET', pick(), pick()]
        : r < 5 ? ['EXISTS', pick()]
        : r < 7 ? ['SET', pick(), String(i)]
        : r < 8 ? ['DEL', pick(), pick()]
        : r < 9 ? ['APPEND', pick(), 'x']
        : rnd.below(20) === 0 ? ['FLUSHDB'] : ['STRLEN', pick()];
      await checkFrames(p, ...cmd);
    }
    await checkFrames(a);
    await checkFrames(b);
  });
});

describe('CLIENT HELP and the commands of other helpers', () => {
  it('HELP lists every subcommand', async () => {
    await pair.checkAll([['CLIENT', 'HELP'], ['client', 'help'], ['CLIENT', 'HELP', 'x']]);
  });

  it('UNBLOCK and PAUSE/UNPAUSE are there', async () => {
    await pair.checkAll([
      ['CLIENT', 'UNBLOCK', '999999'], ['CLIENT', 'UNBLOCK', '999999', 'TIMEOUT'], ['CLIENT', 'UNBLOCK', 'x'],
      ['CLIENT', 'UNBLOCK', '1', 'bogus'], ['CLIENT', 'PAUSE', 'x'], ['CLIENT', 'PAUSE', '-1'],
      ['CLIENT', 'PAUSE', '10', 'bogus'], ['CLIENT', 'PAUSE', '1', 'WRITE'], ['CLIENT', 'UNPAUSE'],
      ['CLIENT', 'UNPAUSE', 'x'],
    ]);
  });
});

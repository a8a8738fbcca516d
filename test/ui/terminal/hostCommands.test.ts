// The app's hooks in redis-cli's session: its own ':' commands (the lesson runner's `:lesson`),
// commands it refuses before they are sent (a lesson's disabled commands), and a `ran` effect per
// command with its reply (the lesson journal). Without hooks the session is exactly redis-cli.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/ui/engine/replyReader.ts';
import { CliSession, type HostCommands, type SessionEffect } from '../../../src/ui/terminal/cliSession.ts';
import { staticCommandHelp } from '../../../src/ui/terminal/staticCommandDocs.ts';

const ok: Reply = { kind: 'status', text: 'OK' };
const int = (n: number): Reply => ({ kind: 'integer', value: BigInt(n) });
const bulk = (text: string): Reply => ({ kind: 'bulk', text });
const arr = (...items: Reply[]): Reply => ({ kind: 'array', items });

function session(hostCommands?: HostCommands) {
  const s = new CliSession({ help: staticCommandHelp(), hostCommands });
  s.start();
  const text = (es: SessionEffect[]) => es.flatMap((e) => (e.type === 'write' ? [e.text] : [])).join('');
  const sent = (es: SessionEffect[]) => es.flatMap((e) => (e.type === 'send' ? [e.argv] : []));
  const ran = (es: SessionEffect[]) => es.flatMap((e) => (e.type === 'ran' ? [[e.argv, e.reply] as const] : []));
  return { s, text, sent, ran, type: (k: string) => s.input(k), reply: (r: Reply) => s.receive(r) };
}

describe('host commands', () => {
  it("':' lines other than :set go to the host, which prints its text", () => {
    const seen: string[][] = [];
    const t = session({ internal: (argv) => { seen.push(argv); return argv[0] === ':lesson' ? 'lesson text\n' : null; } });
    const out = t.type(':lesson next\r');
    expect(seen).toEqual([[':lesson', 'next']]);
    expect(t.sent(out)).toEqual([]);
    expect(t.text(out)).toMatch(/\nlesson text\n127\.0\.0\.1:6379> $/);
    // Null: redis-cli's own answer.
    expect(t.text(t.type(':nope\r'))).toMatch(/\nunknown redis-cli internal command ':nope'\n127\.0\.0\.1:6379> $/);
    // :set stays redis-cli's.
    expect(t.text(t.type(':set foo\r'))).toMatch(/\nunknown redis-cli preference 'foo'\n/);
    expect(seen).toEqual([[':lesson', 'next'], [':nope']]);
  });

  it('a refused command is not sent: the reason is printed instead', () => {
    const t = session({ refuse: (argv) => (argv[0].toLowerCase() === 'flushall' ? '(lesson) FLUSHALL is turned off\n' : null) });
    const out = t.type('FLUSHALL\r');
    expect(t.sent(out)).toEqual([]);
    expect(t.text(out)).toMatch(/\n\(lesson\) FLUSHALL is turned off\n127\.0\.0\.1:6379> $/);
    expect(t.s.busy).toBe(false);
    expect(t.sent(t.type('SET k v\r'))).toEqual([['SET', 'k', 'v']]);
    // Refused with a repeat count too.
    t.reply(ok);
    expect(t.sent(t.type('3 FLUSHALL\r'))).toEqual([]);
  });

  it('reports each command with its reply, once per command sent', () => {
    const t = session({});
    let out = t.type('2 INCR n\r');
    expect(t.ran(out)).toEqual([]);
    out = t.reply(int(1));
    expect(t.ran(out)).toEqual([[['INCR', 'n'], int(1)]]);
    expect(t.ran(t.reply(int(2)))).toEqual([[['INCR', 'n'], int(2)]]);
    t.type('MULTI\r');
    expect(t.ran(t.reply(ok))).toEqual([[['MULTI'], ok]]);
    t.type('GET k\r');
    expect(t.ran(t.reply({ kind: 'status', text: 'QUEUED' }))).toEqual([[['GET', 'k'], { kind: 'status', text: 'QUEUED' }]]);
    t.type('EXEC\r');
    expect(t.ran(t.reply({ kind: 'null' }))).toEqual([[['EXEC'], { kind: 'null' }]]);
  });

  it('in subscribed mode only the first reply is the command’s; messages are not commands', () => {
    const t = session({});
    t.type('SUBSCRIBE a b\r');
    const first = arr(bulk('subscribe'), bulk('a'), int(1));
    expect(t.ran(t.reply(first))).toEqual([[['SUBSCRIBE', 'a', 'b'], first]]);
    expect(t.ran(t.reply(arr(bulk('subscribe'), bulk('b'), int(2))))).toEqual([]);
    expect(t.ran(t.reply(arr(bulk('message'), bulk('a'), bulk('hi'))))).toEqual([]);
  });

  it('without hooks, no ran effects: plain redis-cli', () => {
    const t = session();
    t.type('PING\r');
    const out = t.reply({ kind: 'status', text: 'PONG' });
    expect(out.map((e) => e.type)).toEqual(['write']);
  });
});

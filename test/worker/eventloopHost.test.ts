// The event loop panel's side of the worker: the network latency (a recorded input), the eventloop
// snapshot, the time status saying why replies wait, and the pipeline demo on virtual time: N round
// trips take N x RTT, one pipeline about one RTT.
import { describe, expect, it } from 'vitest';
import { bytesToBinary } from '../../src/engine/bytes.ts';
import { encodeCommand } from '../../src/ui/engine/engineConnection.ts';
import { EngineHost } from '../../src/worker/engineHost.ts';
import { replyEnd } from '../../src/worker/pipelineDemo.ts';
import { versioned, type FromWorker, type PipelineDemoResult, type ToWorkerBody } from '../../src/worker/protocol.ts';

const START = 1_700_000_000_000;

function setup() {
  const out: FromWorker[] = [];
  const host = new EngineHost((m) => out.push(m), { seed: 1, startTime: START, defer: (fn) => fn() });
  const send = (body: ToWorkerBody) => host.handle(versioned(body));
  const of = <T extends FromWorker['type']>(type: T) => out.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  const query = () => {
    send({ type: 'query', id: 99, query: { kind: 'eventloop' } });
    const r = of('snapshot').at(-1)!.result;
    if (r.kind !== 'eventloop') throw new Error(`no eventloop snapshot: ${JSON.stringify(r)}`);
    return r;
  };
  return { host, out, send, of, query };
}

/** Plays the world until the demo `id` is done (at most `limit` ms of virtual time), one host tick of 16 ms at a time. */
function runDemo(s: ReturnType<typeof setup>, id: number, limit = 5000): PipelineDemoResult {
  for (let t = 0; t <= limit; t += 16) {
    const done = s.of('pipeline-demo-done').find((m) => m.id === id);
    if (done) {
      if (!done.result) throw new Error(done.error ?? 'no result');
      return done.result;
    }
    s.host.advance(16);
  }
  throw new Error('the demo did not end');
}

describe('event loop in the worker', () => {
  it('the latency is a recorded input: the snapshot and the time status show it', () => {
    const s = setup();
    s.send({ type: 'time-watch', enabled: true });
    s.send({ type: 'net-latency', ms: 50 });
    expect(s.query()).toMatchObject({ latencyMs: 50, busy: false, inFlight: { requests: 0, replies: 0 } });
    expect(s.host.timeStatus()).toMatchObject({ latencyMs: 50, inFlight: 0, busyUntil: 0 });
    expect(s.of('time').at(-1)!.status.latencyMs).toBe(50);
    // Out of range is clamped.
    s.send({ type: 'net-latency', ms: 1e9 });
    expect(s.query().latencyMs).toBe(1000);
    // A rewind to before it: latency 0 again; forward again: 1000.
    s.send({ type: 'time-seek', target: { index: 0 } });
    expect(s.query().latencyMs).toBe(0);
    s.send({ type: 'time-seek', target: { index: 2 } });
    expect(s.query().latencyMs).toBe(1000);
  });

  it('paused, a slow command holds the replies: the time status says until when', () => {
    const s = setup();
    s.send({ type: 'connect', clientId: 'a' });
    s.send({ type: 'connect', clientId: 'b' });
    s.send({ type: 'send', clientId: 'a', bytes: encodeCommand(['DEBUG', 'POPULATE', '100000']) });
    s.send({ type: 'time-play', playing: false });
    s.send({ type: 'send', clientId: 'a', bytes: encodeCommand(['KEYS', '*']) });
    s.send({ type: 'send', clientId: 'b', bytes: encodeCommand(['PING']) });
    s.send({ type: 'time-step', unit: 'command' });
    s.send({ type: 'time-step', unit: 'command' });
    const status = s.host.timeStatus();
    expect(status.playing).toBe(false);
    expect(status.busyUntil).toBeGreaterThanOrEqual(status.now + 10);
    const snap = s.query();
    expect(snap.busy).toBe(true);
    expect(snap.held.length).toBe(1);
    const dataFor = (id: string) => s.of('data').filter((m) => m.clientId === id).map((m) => bytesToBinary(m.bytes)).join('');
    expect(dataFor('b')).toBe('');
    s.send({ type: 'time-play', playing: true });
    s.host.advance(status.busyUntil - status.now);
    expect(dataFor('b')).toBe('+PONG\r\n');
    expect(s.host.timeStatus().busyUntil).toBe(0);
  });

  it('the pipeline demo at 50 ms: N round trips take N x RTT, one pipeline one RTT', () => {
    const s = setup();
    s.send({ type: 'trace', enabled: true });
    s.send({ type: 'net-latency', ms: 50 });
    s.send({ type: 'pipeline-demo', id: 1, request: { count: 10, argv: ['INCR', 'demo:counter'], mode: 'round-trips' } });
    const trips = runDemo(s, 1);
    expect(trips.totalMs).toBe(10 * 100);
    expect(trips.replyTimes.map((t) => t - trips.startedAt)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 100));
    s.send({ type: 'pipeline-demo', id: 2, request: { count: 10, argv: ['INCR', 'demo:counter'], mode: 'pipeline' } });
    const pipe = runDemo(s, 2);
    expect(pipe.totalMs).toBe(100);
    expect(pipe.replyTimes.length).toBe(10);
    expect(pipe.client).not.toBe(trips.client);
    // Real commands: the counter went to 20; the inputs are in the history (rewindable).
    const commands = s.of('events').flatMap((m) => m.events).filter((e) => e.kind === 'command' && e.name === 'incr');
    expect(commands.length).toBe(20);
    expect(s.of('events').flatMap((m) => m.events).filter((e) => e.kind === 'net').length).toBeGreaterThanOrEqual(4 * 11);
    s.send({ type: 'connect', clientId: 'a' });
    s.send({ type: 'send', clientId: 'a', bytes: encodeCommand(['GET', 'demo:counter']) });
    s.host.advance(200);
    expect(s.of('data').map((m) => bytesToBinary(m.bytes)).join('')).toBe('$2\r\n20\r\n');
    // The demo hung up after each run.
    expect(s.query().clients.map((c) => c.id)).toHaveLength(1);
  });

  it('at latency 0 both ways take no virtual time; a bad request is refused', () => {
    const s = setup();
    s.send({ type: 'pipeline-demo', id: 1, request: { count: 5, argv: ['PING'], mode: 'round-trips' } });
    expect(runDemo(s, 1)).toMatchObject({ totalMs: 0, count: 5, latencyMs: 0 });
    s.send({ type: 'pipeline-demo', id: 2, request: { count: 5, argv: ['BLPOP', 'x', '0'], mode: 'pipeline' } });
    expect(s.of('pipeline-demo-done').at(-1)).toMatchObject({ id: 2, result: null, error: "the demo does not run 'BLPOP'" });
    s.send({ type: 'pipeline-demo', id: 3, request: { count: 0, argv: ['PING'], mode: 'pipeline' } });
    expect(s.of('pipeline-demo-done').at(-1)).toMatchObject({ id: 3, result: null });
  });

  it('a rewind cuts a running demo short', () => {
    const s = setup();
    s.send({ type: 'net-latency', ms: 100 });
    s.send({ type: 'pipeline-demo', id: 1, request: { count: 3, argv: ['PING'], mode: 'round-trips' } });
    s.host.advance(50);
    s.send({ type: 'time-seek', target: { index: 0 } });
    expect(s.of('pipeline-demo-done').at(-1)).toMatchObject({ id: 1, result: null, error: 'the world was replaced or rewound' });
  });
});

describe('replyEnd', () => {
  it('finds where complete RESP2/RESP3 replies end, and -1 for an incomplete one', () => {
    const replies = ['+OK\r\n', ':12\r\n', '$3\r\nabc\r\n', '$-1\r\n', '*2\r\n$1\r\na\r\n:1\r\n', '*-1\r\n', '%1\r\n+k\r\n*1\r\n_\r\n', '|1\r\n+a\r\n+b\r\n:5\r\n', '>2\r\n+m\r\n$0\r\n\r\n'];
    for (const r of replies) {
      expect(replyEnd(r, 0)).toBe(r.length);
      for (let cut = 1; cut < r.length - 1; cut++) expect(replyEnd(r.slice(0, cut), 0)).toBe(-1);
    }
  });
});

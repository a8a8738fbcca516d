// The UI's side of the worker: routing per connection, health pings, and starting a fresh worker
// when one dies. A fake Worker stands in; its "worker side" is an EngineHost, as in the real one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytesToBinary } from '../../../src/engine/bytes.ts';
import { encodeCommand, EngineWorker, type EngineStatus } from '../../../src/ui/engine/engineConnection.ts';
import { EngineHost } from '../../../src/worker/engineHost.ts';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from '../../../src/worker/protocol.ts';

/** A Worker whose messages go to an EngineHost; while `busy` (a long command) its messages wait. */
class FakeWorker {
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  private held: ToWorker[] | null = null;
  readonly host: EngineHost;
  constructor(announce = true) {
    this.host = new EngineHost((m) => queueMicrotask(() => { if (!this.terminated) this.onmessage?.({ data: m }); }), { seed: 1, startTime: 0 });
    if (announce) this.host.announce();
  }
  postMessage(m: ToWorker): void {
    queueMicrotask(() => {
      if (this.held) this.held.push(m);
      else this.handle(m);
    });
  }
  private handle(m: ToWorker): void {
    if (this.terminated) return;
    try { this.host.handle(m); } catch (e) { this.onerror?.({ message: (e as Error).message, preventDefault() {} }); }
  }
  set busy(busy: boolean) {
    if (busy) { this.held ??= []; return; }
    const held = this.held ?? [];
    this.held = null;
    for (const m of held) this.handle(m);
  }
  terminate(): void { this.terminated = true; }
}

const settle = async () => { for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0)); };

let engine: EngineWorker | null = null;
afterEach(() => { engine?.dispose(); engine = null; vi.useRealTimers(); });

/** An EngineWorker whose workers are made by `factories` in turn (then plain ones); `made` lists them. */
function start(factories: (() => FakeWorker)[] = [], options: { pingIntervalMs?: number; busyAfterMs?: number } = {}) {
  let n = 0;
  const made: FakeWorker[] = [];
  const create = () => {
    const w = (factories[n++] ?? (() => new FakeWorker()))();
    made.push(w);
    return w;
  };
  const e = new EngineWorker({ create, pingIntervalMs: 60_000, ...options });
  const statuses: EngineStatus[] = [];
  e.subscribe((s) => statuses.push(s));
  engine = e;
  return { e, statuses, made };
}

function connection(e: EngineWorker) {
  const got: string[] = [];
  let closed = 0;
  const conn = e.connect({ data: (b) => got.push(bytesToBinary(b)), closed: () => { closed++; } });
  return { conn, got, closed: () => closed };
}

describe('EngineWorker', () => {
  it('becomes ready, and carries several connections to the same world', async () => {
    const { e } = start();
    expect(e.status.state).toBe('starting');
    const a = connection(e);
    const b = connection(e);
    await settle();
    expect(e.status).toEqual({ state: 'ready', redisVersion: '7.0.15', restarts: 0, lastFailure: null });
    expect(await a.conn.ready).toBeNull();
    a.conn.send(encodeCommand(['SET', 'k', '1']));
    b.conn.send(encodeCommand(['GET', 'k']));
    await settle();
    expect(a.got).toEqual(['+OK\r\n']);
    expect(b.got).toEqual(['$1\r\n1\r\n']);
    const reply = await e.call(['INCR', 'k']);
    expect(reply).toEqual({ kind: 'integer', value: 2n });
  });

  it('a closed connection hears nothing more', async () => {
    const { e } = start();
    const a = connection(e);
    await a.conn.ready;
    a.conn.send(encodeCommand(['SUBSCRIBE', 'c']));
    await settle();
    a.conn.close();
    await e.call(['PUBLISH', 'c', 'x']);
    await settle();
    expect(a.got).toHaveLength(1);
    expect(a.closed()).toBe(0);
  });

  it('the server closing a connection is reported once', async () => {
    const { e } = start();
    const a = connection(e);
    await a.conn.ready;
    a.conn.send(encodeCommand(['QUIT']));
    await settle();
    expect(a.got).toEqual(['+OK\r\n']);
    expect(a.closed()).toBe(1);
  });

  it('when the worker throws: connections close, a fresh worker starts, the failure is kept', async () => {
    const { e, statuses, made } = start();
    const first = made[0];
    const a = connection(e);
    await a.conn.ready;
    await e.call(['SET', 'k', 'v']);
    e.crash();
    await settle();
    expect(first.terminated).toBe(true);
    expect(a.closed()).toBe(1);
    expect(statuses.map((s) => s.state)).toEqual(['ready', 'restarting', 'ready']);
    expect(e.status.restarts).toBe(1);
    expect(e.status.lastFailure).toEqual({ kind: 'restarted', seq: 1, message: 'the engine worker failed: crash requested (a test of the restart path)' });
    // The new world is empty, and old connections stay dead.
    a.conn.send(encodeCommand(['PING']));
    expect(await e.call(['GET', 'k'])).toEqual({ kind: 'null' });
    await settle();
    expect(a.got).toEqual([]);
  });

  it('a fatal error message from the worker restarts it too; connecting meanwhile waits for the new one', async () => {
    const { e, made } = start();
    const first = made[0];
    await settle();
    first.onmessage?.({ data: { v: PROTOCOL_VERSION, type: 'error', fatal: true, message: 'world broken' } });
    const a = connection(e);
    expect(await a.conn.ready).toBeNull();
    expect(e.status.lastFailure).toEqual({ kind: 'restarted', seq: 1, message: 'the engine failed: world broken' });
    expect(e.status.state).toBe('ready');
  });

  it('gives up after failing to start three times in a row', async () => {
    const dying = () => { const w = new FakeWorker(false); queueMicrotask(() => w.onerror?.({ message: 'SyntaxError', preventDefault() {} })); return w; };
    const { e } = start([dying, dying, dying]);
    const a = connection(e);
    await settle();
    expect(e.status.state).toBe('failed');
    expect(e.status.lastFailure).toEqual({ kind: 'gave-up', seq: 3, message: 'the engine worker failed: SyntaxError' });
    expect(await a.conn.ready).toBe('Connection refused');
    expect(await connection(e).conn.ready).toBe('Connection refused');
  });

  it('a worker that does not answer its ping is busy, until it answers', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'performance'] });
    const { e, made } = start([], { pingIntervalMs: 1000, busyAfterMs: 2000 });
    const worker = made[0];
    await vi.advanceTimersByTimeAsync(0);
    expect(e.status.state).toBe('ready');
    worker.busy = true;
    await vi.advanceTimersByTimeAsync(2000);
    expect(e.status.state).toBe('ready');
    await vi.advanceTimersByTimeAsync(1000);
    expect(e.status.state).toBe('busy');
    // The long command ends: the worker reads the ping that waited, and answers it.
    worker.busy = false;
    await vi.advanceTimersByTimeAsync(0);
    expect(e.status.state).toBe('ready');
  });
});

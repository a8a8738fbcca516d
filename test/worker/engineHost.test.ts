// The worker's side of the protocol, without a Worker: clients of one world, bytes streamed per
// client (replies and pushes), batching, health, errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { binaryToBytes, bytesToBinary } from '../../src/engine/bytes.ts';
import { Client } from '../../src/engine/server/client.ts';
import { encodeCommand } from '../../src/ui/engine/engineConnection.ts';
import { EngineHost } from '../../src/worker/engineHost.ts';
import { PROTOCOL_VERSION, versioned, type FromWorker, type ToWorkerBody } from '../../src/worker/protocol.ts';

/** A host whose output is collected; deferred flushes run when flush() is called. */
function setup() {
  const out: FromWorker[] = [];
  const deferred: (() => void)[] = [];
  const host = new EngineHost((m) => out.push(m), { seed: 1, startTime: 1_700_000_000_000, defer: (fn) => deferred.push(fn) });
  const send = (body: ToWorkerBody) => host.handle(versioned(body));
  const cmd = (clientId: string, ...argv: string[]) => send({ type: 'send', clientId, bytes: encodeCommand(argv) });
  /** The data each client got, as text, and the other messages, since the last call. */
  const take = () => {
    for (const fn of deferred.splice(0)) fn();
    const data: Record<string, string[]> = {};
    const other: FromWorker[] = [];
    for (const m of out.splice(0)) {
      if (m.type === 'data') (data[m.clientId] ??= []).push(bytesToBinary(m.bytes));
      else other.push(m);
    }
    return { data, other };
  };
  return { host, send, cmd, take };
}

afterEach(() => { vi.restoreAllMocks(); });

describe('EngineHost', () => {
  it('announces itself, connects clients and streams their replies', () => {
    const { host, send, cmd, take } = setup();
    host.announce();
    expect(take().other).toEqual([{ v: PROTOCOL_VERSION, type: 'ready', redisVersion: '7.0.15' }]);
    send({ type: 'connect', clientId: 'a' });
    send({ type: 'connect', clientId: 'b' });
    expect(take().other).toEqual([
      { v: PROTOCOL_VERSION, type: 'connected', clientId: 'a', error: null },
      { v: PROTOCOL_VERSION, type: 'connected', clientId: 'b', error: null },
    ]);
    cmd('a', 'SET', 'k', 'v');
    cmd('b', 'GET', 'k');
    expect(take().data).toEqual({ a: ['+OK\r\n'], b: ['$1\r\nv\r\n'] });
    // Each connection is a client of the one server, with an address like a TCP peer's.
    cmd('a', 'CLIENT', 'LIST');
    const list = take().data.a[0];
    expect(list.match(/id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:6379 /g)).toHaveLength(2);
  });

  it('a pipeline answers in one message; a reply may hold several replies', () => {
    const { send, take } = setup();
    send({ type: 'connect', clientId: 'a' });
    take();
    const pipeline = new Uint8Array([...encodeCommand(['PING']), ...encodeCommand(['ECHO', 'x']), ...encodeCommand(['INCR', 'n'])]);
    send({ type: 'send', clientId: 'a', bytes: pipeline });
    expect(take().data).toEqual({ a: ['+PONG\r\n$1\r\nx\r\n:1\r\n'] });
  });

  it('pushes reach other clients as they happen: pub/sub, MONITOR, a blocked pop served later', () => {
    const { send, cmd, take } = setup();
    for (const id of ['sub', 'mon', 'pop', 'pub']) send({ type: 'connect', clientId: id });
    cmd('sub', 'SUBSCRIBE', 'news');
    cmd('mon', 'MONITOR');
    cmd('pop', 'BLPOP', 'q', '0');
    const first = take().data;
    expect(first.sub).toEqual(['*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n']);
    expect(first.mon.join('')).toMatch(/^\+OK\r\n\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "BLPOP" "q" "0"\r\n$/);
    expect(first.pop).toBeUndefined();
    cmd('pub', 'PUBLISH', 'news', 'hi');
    cmd('pub', 'RPUSH', 'q', 'x');
    const { data } = take();
    expect(data.sub).toEqual(['*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n']);
    expect(data.pop).toEqual(['*2\r\n$1\r\nq\r\n$1\r\nx\r\n']);
    expect(data.pub.join('')).toBe(':1\r\n:1\r\n');
    expect(data.mon.join('')).toMatch(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "PUBLISH" "news" "hi"\r\n\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "RPUSH" "q" "x"\r\n$/);
  });

  it('DEBUG SLEEP holds replies until virtual time has passed', () => {
    const { host, send, cmd, take } = setup();
    send({ type: 'connect', clientId: 'a' });
    send({ type: 'connect', clientId: 'b' });
    take();
    cmd('a', 'DEBUG', 'SLEEP', '2');
    cmd('b', 'PING');
    expect(take().data).toEqual({});
    host.advance(1999);
    expect(take().data).toEqual({});
    host.advance(1);
    expect(take().data).toEqual({ a: ['+OK\r\n'], b: ['+PONG\r\n'] });
  });

  it('QUIT: the reply, then closed; bytes for a closed client go nowhere', () => {
    const { send, cmd, take } = setup();
    send({ type: 'connect', clientId: 'a' });
    take();
    cmd('a', 'QUIT');
    const { data, other } = take();
    expect(data).toEqual({ a: ['+OK\r\n'] });
    expect(other).toEqual([{ v: PROTOCOL_VERSION, type: 'closed', clientId: 'a' }]);
    cmd('a', 'PING');
    expect(take()).toEqual({ data: {}, other: [] });
  });

  it('disconnect forgets the client (its subscriptions too)', () => {
    const { send, cmd, take } = setup();
    send({ type: 'connect', clientId: 'a' });
    send({ type: 'connect', clientId: 'b' });
    cmd('a', 'SUBSCRIBE', 'c');
    send({ type: 'disconnect', clientId: 'a' });
    take();
    cmd('b', 'PUBLISH', 'c', 'x');
    cmd('b', 'CLIENT', 'LIST');
    const replies = take().data.b.join('');
    expect(replies.startsWith(':0\r\n')).toBe(true);
    expect(replies.match(/id=/g)).toHaveLength(1);
  });

  it('ping is answered with pong and the number of clients', () => {
    const { send, take } = setup();
    send({ type: 'connect', clientId: 'a' });
    send({ type: 'ping', id: 7 });
    expect(take().other.at(-1)).toEqual({ v: PROTOCOL_VERSION, type: 'pong', id: 7, clients: 1 });
  });

  it('refuses messages of another protocol version, and a connection id in use', () => {
    const { host, send, take } = setup();
    host.handle({ v: 1, type: 'ping', id: 1 } as never);
    send({ type: 'connect', clientId: 'a' });
    send({ type: 'connect', clientId: 'a' });
    expect(take().other).toEqual([
      { v: PROTOCOL_VERSION, type: 'error', fatal: false, message: `protocol version 1 is not ${PROTOCOL_VERSION}: reload the page` },
      { v: PROTOCOL_VERSION, type: 'connected', clientId: 'a', error: null },
      { v: PROTOCOL_VERSION, type: 'connected', clientId: 'a', error: 'Connection id already in use' },
    ]);
  });

  it('an engine failure on a command drops that client only, and says why', () => {
    const { send, cmd, take } = setup();
    send({ type: 'connect', clientId: 'a' });
    send({ type: 'connect', clientId: 'b' });
    take();
    vi.spyOn(Client.prototype, 'feed').mockImplementationOnce(() => { throw new Error('boom'); });
    cmd('a', 'PING');
    const { other } = take();
    expect(other[0]).toEqual({ v: PROTOCOL_VERSION, type: 'closed', clientId: 'a' });
    expect(other[1]).toMatchObject({ type: 'error', fatal: false, clientId: 'a' });
    expect((other[1] as { message: string }).message).toMatch(/^internal engine error: Error: boom/);
    cmd('b', 'PING');
    expect(take().data).toEqual({ b: ['+PONG\r\n'] });
  });

  it('crash throws out of the handler (the worker lets it escape)', () => {
    const { send } = setup();
    expect(() => send({ type: 'crash' })).toThrow('crash requested');
  });

  it('bytes are transferred, not copied', () => {
    const transfers: ArrayBuffer[][] = [];
    const host = new EngineHost((_m, t) => transfers.push(t), { seed: 1, startTime: 0, defer: (fn) => fn() });
    host.handle(versioned({ type: 'connect', clientId: 'a' }));
    host.handle(versioned({ type: 'send', clientId: 'a', bytes: binaryToBytes('*1\r\n$4\r\nPING\r\n') }));
    expect(transfers.at(-1)).toHaveLength(1);
  });
});

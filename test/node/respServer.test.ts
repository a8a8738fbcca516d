// Server mode under stress: many connections, deep pipelines, huge values, malformed and abandoned
// requests, clients that never read. Whatever a client does, the others keep being served and the
// process survives. Error texts are compared with a real redis-server.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RequestParser } from '../../src/engine/resp/requestParser.ts';
import { startRespServer, type RunningServer } from '../../src/node/respServer.ts';
import { startRealRedis, type RealRedis } from '../support/realRedis.ts';
import { RespClient } from '../support/respClient.ts';
import { Wire, bulk, eventually, frame } from './wire.ts';

let server: RunningServer;
let real: RealRedis;

beforeAll(async () => {
  [server, real] = await Promise.all([startRespServer({ port: 0, seed: 1 }), startRealRedis()]);
});
afterAll(async () => {
  await Promise.all([server?.close(), real?.stop()]);
});

/** The same raw bytes to both servers on fresh connections: both reply with the same protocol error and close. */
async function expectSameProtocolError(raw: Buffer | string): Promise<string> {
  const [e, r] = await Promise.all([Wire.connect(server.port), Wire.connect(real.port)]);
  // The servers may close while a long request is still being written: that is the point.
  await Promise.all([e.write(raw).catch(() => {}), r.write(raw).catch(() => {})]);
  const [engineBytes, realBytes] = await Promise.all([e.untilClosed(), r.untilClosed()]);
  expect(engineBytes.toString('latin1')).toBe(realBytes.toString('latin1'));
  expect(engineBytes.toString('latin1')).toMatch(/-ERR Protocol error: [^\r]+\r\n$/);
  return engineBytes.toString('latin1');
}

async function stillServing(): Promise<void> {
  const c = await RespClient.connect(server.port);
  expect((await c.call('PING')).toString()).toBe('+PONG\r\n');
  c.close();
}

/** A payload whose every byte value occurs, so any mangling shows. */
function pattern(size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >>> 8)) & 255;
  return b;
}

describe('connections', () => {
  it('serves 200 concurrent connections', async () => {
    const known = new Set(server.engine.clients.keys());
    const clients = await Promise.all(Array.from({ length: 200 }, () => RespClient.connect(server.port)));
    await Promise.all(clients.map(async (c, i) => {
      expect((await c.call('SET', `conn:${i}`, `value ${i}`)).toString()).toBe('+OK\r\n');
      for (let j = 0; j < 5; j++) await c.call('INCR', 'conn:counter');
    }));
    await Promise.all(clients.map(async (c, i) => {
      expect((await c.call('GET', `conn:${i}`)).toString()).toBe(bulk(`value ${i}`).toString());
    }));
    expect((await clients[0].call('GET', 'conn:counter')).toString()).toBe(bulk('1000').toString());
    const added = [...server.engine.clients.keys()].filter((id) => !known.has(id));
    expect(added.length).toBe(200);
    for (const c of clients) c.close();
    await eventually(() => added.every((id) => !server.engine.clients.has(id)), 'the server to forget closed clients');
  });

  it('answers a 10,000-command pipeline sent in one write, in order', async () => {
    const c = await Wire.connect(server.port);
    const commands: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) {
      commands.push(i % 2 ? frame('INCR', 'pipeline:n') : frame('ECHO', `message ${i}`));
    }
    await c.write(Buffer.concat(commands));
    for (let i = 0; i < 10_000; i++) {
      const expected = i % 2 ? `:${(i + 1) / 2}\r\n` : bulk(`message ${i}`).toString();
      expect((await c.reply()).toString()).toBe(expected);
    }
    c.close();
  });

  it('a client vanishing mid-frame is forgotten; the others carry on', async () => {
    const known = new Set(server.engine.clients.keys());
    const quitter = await Wire.connect(server.port);
    // The header of a 10 MB argument and a little of it, then gone.
    await quitter.write('*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$10485760\r\n' + 'x'.repeat(1000));
    let id = -1;
    await eventually(() => {
      id = [...server.engine.clients.keys()].find((k) => !known.has(k)) ?? -1;
      return id >= 0 && server.engine.clients.get(id)!.parser.buffered === 1000;
    }, 'the partial request to arrive');
    quitter.close();
    await eventually(() => !server.engine.clients.has(id), 'the server to forget the client');
    await stillServing();
    const c = await RespClient.connect(server.port);
    expect((await c.call('EXISTS', 'half')).toString()).toBe(':0\r\n');
    c.close();
  });

  it('a protocol error closes only the connection that made it', async () => {
    const good = await RespClient.connect(server.port);
    await good.call('SET', 'survivor', 'yes');
    const reply = await expectSameProtocolError('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*x\r\n');
    expect(reply).toBe('$-1\r\n-ERR Protocol error: invalid multibulk length\r\n');
    expect((await good.call('GET', 'survivor')).toString()).toBe(bulk('yes').toString());
    good.close();
  });
});

describe('engine failures', () => {
  it('an exception inside a command drops that connection only, and is logged', async () => {
    const echo = server.engine.commands.lookup(['echo'])! as { proc?: (c: unknown) => void };
    const original = echo.proc!;
    echo.proc = (c) => {
      if ((c as { argv: string[] }).argv[1] === 'boom') throw new Error('simulated engine bug');
      original(c);
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const bystander = await RespClient.connect(server.port);
      const victim = await Wire.connect(server.port);
      await victim.write(Buffer.concat([frame('ECHO', 'before'), frame('ECHO', 'boom'), frame('ECHO', 'after')]));
      await victim.untilClosed();
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0][1])).toContain('simulated engine bug');
      expect((await bystander.call('ECHO', 'still here')).toString()).toBe(bulk('still here').toString());
      bystander.close();
    } finally {
      echo.proc = original;
      logged.mockRestore();
    }
  });
});

describe('large values', () => {
  it('stores and returns a 64 MB value', async () => {
    const value = pattern(64 * 1024 * 1024);
    const c = await Wire.connect(server.port);
    await c.write(frame('SET', 'big:64mb', value));
    expect((await c.reply()).toString()).toBe('+OK\r\n');
    await c.write(frame('STRLEN', 'big:64mb'));
    expect((await c.reply()).toString()).toBe(`:${value.length}\r\n`);
    await c.write(frame('GET', 'big:64mb'));
    const reply = await c.reply();
    expect(reply.length).toBe(value.length + `$${value.length}\r\n`.length + 2);
    expect(reply.subarray(reply.indexOf('\r\n') + 2, reply.length - 2).equals(value)).toBe(true);
    await c.write(frame('DEL', 'big:64mb'));
    expect((await c.reply()).toString()).toBe(':1\r\n');
    c.close();
  });

  it('takes a 100 MB argument arriving in many small TCP writes', async () => {
    const size = 100 * 1024 * 1024;
    const value = pattern(size);
    const c = await Wire.connect(server.port);
    const request = frame('ECHO', value);
    // 16 KB at a time, each written only after the previous one left: the server sees thousands
    // of reads, each extending the same pending bulk.
    for (let off = 0; off < request.length; off += 16 * 1024) {
      await c.write(request.subarray(off, Math.min(request.length, off + 16 * 1024)));
    }
    const reply = await c.reply();
    expect(reply.subarray(reply.indexOf('\r\n') + 2, reply.length - 2).equals(value)).toBe(true);
    c.close();
  });

  it('sends a reply larger than one JavaScript string can hold (MGET of 3 x 200 MB)', async () => {
    const size = 200 * 1024 * 1024;
    const value = Buffer.alloc(size, 0x7a);
    value.write('head', 0);
    value.write('tail', size - 4);
    const c = await Wire.connect(server.port);
    await c.write(frame('SET', 'big:200mb', value));
    expect((await c.reply()).toString()).toBe('+OK\r\n');
    await c.write(frame('MGET', 'big:200mb', 'big:200mb', 'big:200mb'));
    // The reply is 600 MB: read the array header, then each bulk.
    expect((await c.take(4)).toString()).toBe('*3\r\n');
    for (let i = 0; i < 3; i++) {
      const item = await c.reply();
      expect(item.length).toBe(size + `$${size}\r\n`.length + 2);
      const body = item.subarray(item.indexOf('\r\n') + 2, item.length - 2);
      expect(body.toString('latin1', 0, 4) + body.toString('latin1', size - 4)).toBe('headtail');
    }
    await c.write(frame('DEL', 'big:200mb'));
    expect((await c.reply()).toString()).toBe(':1\r\n');
    c.close();
  });

  it('sizes the input buffer once for a big bulk and gives the memory back afterwards', () => {
    const parser = new RequestParser({ parserLimits: () => ({ maxBulkLen: 512 * 1024 * 1024, unauthenticated: false }) });
    const size = 100 * 1024 * 1024;
    parser.feed(Buffer.from(`*1\r\n$${size}\r\n`));
    expect(parser.next()).toBeNull();
    // Sized for the whole payload up front: no regrowth (and no re-copying) while it streams in.
    expect(parser.capacity).toBe(size + 2);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let sent = 0; sent < size; sent += chunk.length) {
      parser.feed(chunk.subarray(0, Math.min(chunk.length, size - sent)));
      expect(parser.capacity).toBe(size + 2);
    }
    expect(parser.next()).toBeNull();
    parser.feed(Buffer.from('\r\n'));
    expect(parser.next()![0].length).toBe(size);
    expect(parser.capacity).toBeLessThan(1024 * 1024);
  });
});

describe('limits', () => {
  it('refuses a bulk over proto-max-bulk-len (default 512 MB) like Redis', async () => {
    const reply = await expectSameProtocolError('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870913\r\n');
    expect(reply).toBe('-ERR Protocol error: invalid bulk length\r\n');
    await stillServing();
  });

  it('honours proto-max-bulk-len set at run time', async () => {
    const [e, r] = await Promise.all([RespClient.connect(server.port), RespClient.connect(real.port)]);
    try {
      for (const c of [e, r]) expect((await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).toString()).toBe('+OK\r\n');
      const exact = Buffer.alloc(1024 * 1024, 1);
      for (const c of [e, r]) expect((await c.call('SET', 'limit:exact', exact)).toString()).toBe('+OK\r\n');
      // Just the header: the length alone is refused (sending the payload too would race the
      // close, and a reset can then discard the error reply before the client reads it).
      await expectSameProtocolError('*3\r\n$3\r\nSET\r\n$10\r\nlimit:over\r\n$1048577\r\n');
    } finally {
      for (const c of [e, r]) {
        await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb');
        await c.call('DEL', 'limit:exact');
        c.close();
      }
    }
  });

  it.each([
    ['a multibulk count past INT_MAX', '*2147483648\r\n'],
    ['a bulk length past int64', '*1\r\n$9223372036854775808\r\n'],
    ['a negative multibulk count past int64', '*-9223372036854775809\r\n'],
    // Exactly one byte past the 64 KB limits, so the server has read everything when it closes
    // (unread input would make the close a reset, which may discard the error reply).
    ['an inline request over 64 KB', 'PING ' + 'x'.repeat(64 * 1024 - 4)],
    ['a bulk count line over 64 KB', '*1\r\n$' + '1'.repeat(64 * 1024)],
  ])('refuses %s like Redis', async (_name, raw) => {
    await expectSameProtocolError(raw);
    await stillServing();
  });

  it('answers out-of-range sizes and offsets in commands with Redis errors', async () => {
    const [e, r] = await Promise.all([RespClient.connect(server.port), RespClient.connect(real.port)]);
    const commands = [
      ['SETRANGE', 'huge', '536870912', 'x'],
      ['SETRANGE', 'huge', '-1', 'x'],
      ['SETRANGE', 'huge', '99999999999999999999', 'x'],
      ['GETRANGE', 'huge', '0', '9223372036854775807'],
      ['LRANGE', 'huge', '-9223372036854775808', '9223372036854775807'],
      ['SET', 'huge', 'v', 'EX', '9223372036854775807'],
      ['SET', 'huge', 'v', 'PX', '9223372036854775807'],
      ['EXPIRE', 'huge', '9223372036854775807'],
      ['INCRBY', 'huge', '9223372036854775808'],
      ['LPOS', 'huge', 'x', 'RANK', '-9223372036854775808'],
      ['SRANDMEMBER', 'huge', '-9223372036854775808'],
      ['EXISTS', 'huge'],
    ];
    try {
      for (const cmd of commands) {
        const [engineReply, realReply] = await Promise.all([e.call(...cmd), r.call(...cmd)]);
        expect(engineReply.toString('latin1'), cmd.join(' ')).toBe(realReply.toString('latin1'));
      }
    } finally {
      await Promise.all([e.call('DEL', 'huge'), r.call('DEL', 'huge')]);
      e.close();
      r.close();
    }
    await stillServing();
  });

  it('keeps a 2^31-1 argument count that never arrives cheap', async () => {
    const c = await Wire.connect(server.port);
    await c.write('*2147483647\r\n$4\r\nECHO\r\n');
    await stillServing();
    c.close();
  });
});

describe('backpressure', () => {
  it('stops reading from a client that does not read its replies, then catches up', async () => {
    const value = pattern(1024 * 1024);
    const setup = await RespClient.connect(server.port);
    await setup.call('SET', 'bp:value', value);
    setup.close();

    const requests = 200; // 200 MB of replies
    const c = await Wire.connect(server.port);
    c.socket.pause(); // read nothing
    const processed = () => server.engine.stats.totalCommandsProcessed;
    const start = processed();
    c.socket.write(Buffer.concat(Array.from({ length: requests }, () => frame('GET', 'bp:value'))));
    // Wait until the server stops making progress on this client.
    let last = -1;
    await eventually(() => {
      const now = processed();
      const settled = now === last && now > start;
      last = now;
      return settled;
    }, 'the server to stop reading');
    await new Promise((r) => setTimeout(r, 200));
    const stalled = processed() - start;
    expect(stalled).toBeLessThan(requests / 2);
    // Other clients are unaffected meanwhile.
    await stillServing();

    c.socket.resume();
    const expected = bulk(value);
    for (let i = 0; i < requests; i++) {
      const reply = await c.reply();
      if (!reply.equals(expected)) throw new Error(`reply ${i} differs`);
    }
    expect(processed() - start).toBeGreaterThanOrEqual(requests);
    c.close();
  });
});

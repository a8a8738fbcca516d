// Server mode: the engine behind a real TCP socket so redis-cli, redis-benchmark and client
// libraries can talk to it. A thin adapter: bytes in, bytes out, and a wall clock driving the cron.
import net from 'node:net';
import { bytesToBinary } from '../engine/bytes.ts';
import type { ByteDecoder } from '../engine/resp/requestParser.ts';
import { RedisServer, type ServerOptions } from '../engine/server/redisServer.ts';
import { SeededRandom } from '../engine/sim/random.ts';

export interface RespServerOptions {
  port: number;
  host?: string;
  seed?: number;
  config?: ServerOptions['config'];
}

export interface RunningServer {
  engine: RedisServer;
  port: number;
  close(): Promise<void>;
}

const wallClock = { now: () => Date.now() };

/**
 * Node's native latin1 decoder: one copy, no per-byte JavaScript. For a few bytes the portable
 * decoder is as fast and skips the call into C++.
 */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice;
const decodeLatin1: ByteDecoder = (bytes, start, end) =>
  end - start <= 4 ? bytesToBinary(bytes, start, end) : latin1Slice.call(bytes, start, end);

/**
 * Once this much output waits for a client (it sends requests but does not read replies), stop
 * reading its requests until the output drains, so memory stays bounded; TCP flow control then
 * slows the client down. Redis instead buffers without limit for normal clients.
 */
export const OUTPUT_PAUSE_BYTES = 4 * 1024 * 1024;

/** All connections read into this buffer; the parser copies what it gets before returning. */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * The accepted socket, rebuilt to read with `onread` into readBuffer when this Node allows it.
 * A stream socket allocates a Buffer per read and runs it through the Readable machinery, which
 * costs more CPU per request than the engine's own work at redis-benchmark's -P 1 (measured with
 * a trivial reply: 4.75 us of CPU per request through the stream, 3.4 us with onread, Redis 2.7).
 * Node offers `onread` only for sockets it
 * constructs, so the accepted socket's handle moves to a new Socket. The server was created with
 * pauseOnConnect, so nothing was read yet. Falls back to the accepted socket if the handle is not
 * where it has been in every Node release so far.
 */
function adoptSocket(accepted: net.Socket, onData: (chunk: Uint8Array) => void): net.Socket {
  const handle = (accepted as unknown as { _handle?: { readStart?: unknown } })._handle;
  if (!handle || typeof handle.readStart !== 'function') {
    accepted.on('data', onData);
    accepted.resume();
    return accepted;
  }
  (accepted as unknown as { _handle: unknown })._handle = null;
  // The emptied socket still counts as one of the server's connections until destroyed.
  accepted.destroy();
  const socket = new net.Socket({
    handle,
    readable: true,
    writable: true,
    onread: { buffer: readBuffer, callback: (n: number, buf: Uint8Array) => { onData(buf.subarray(0, n)); return true; } },
  } as unknown as net.SocketConstructorOpts);
  socket.resume();
  return socket;
}

/** One TCP connection: a client of the engine. Returns its socket. */
function serveConnection(engine: RedisServer, accepted: net.Socket): net.Socket {
  const peer = `${accepted.remoteAddress}:${accepted.remotePort}`;
  let paused = false;
  // Bound below, once the socket exists; the engine only writes in reply to what was read.
  let socket!: net.Socket;
  const client = engine.connect({
    peer,
    local: `${accepted.localAddress}:${accepted.localPort}`,
    decode: decodeLatin1,
    write: (data) => {
      // Strings go to the socket as they are: Node encodes small ones straight into the write call.
      socket.write(data, 'latin1');
      if (!paused && socket.writableLength > OUTPUT_PAUSE_BYTES) {
        // Stop both running this client's pending requests and reading new ones until it drains.
        paused = true;
        client.pauseInput();
        socket.pause();
      }
    },
    close: () => { socket.end(); },
  });
  /** Runs engine work for this connection; a bug in the engine drops it, not the server. */
  const guarded = (work: () => void) => {
    try {
      work();
    } catch (e) {
      console.error(`rediscope: internal error serving ${peer}, closing the connection:`, e);
      engine.disconnect(client);
      socket.destroy();
      // Other clients' replies from before the failure still go out now, not at the next cron.
      try { engine.flushPendingWrites(); } catch { /* already reported */ }
    }
  };
  socket = adoptSocket(accepted, (chunk) => guarded(() => client.feed(chunk)));
  socket.setNoDelay(true);
  socket.on('drain', () => {
    if (!paused) return;
    paused = false;
    socket.resume();
    guarded(() => client.resumeInput());
  });
  socket.on('close', () => engine.disconnect(client));
  socket.on('error', () => socket.destroy());
  return socket;
}

export async function startRespServer(options: RespServerOptions): Promise<RunningServer> {
  const engine = new RedisServer({
    clock: wallClock,
    random: new SeededRandom(options.seed ?? (Date.now() >>> 0)),
    config: options.config,
    port: options.port,
  });

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer({ pauseOnConnect: true }, (accepted) => {
    const socket = serveConnection(engine, accepted);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // DEBUG SLEEP stops the engine until a clock time: wake it when the wall clock gets there (a
  // timer may fire a little early, so check and wait again).
  let busyTimer: NodeJS.Timeout | undefined;
  const wake = () => {
    busyTimer = undefined;
    if (!engine.resume()) busyTimer = setTimeout(wake, Math.max(1, engine.busyUntil - Date.now()));
  };
  engine.onBusy = (until) => {
    clearTimeout(busyTimer);
    busyTimer = setTimeout(wake, Math.max(0, until - Date.now()));
  };

  // The cron runs on wall-clock time here; hz may change at run time, so reschedule each time.
  let cronTimer: NodeJS.Timeout;
  const scheduleCron = () => {
    cronTimer = setTimeout(() => { engine.cron(); scheduleCron(); }, engine.cronIntervalMs);
  };
  scheduleCron();

  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = tcp.address() as net.AddressInfo;
  engine.setPort(address.port);

  return {
    engine,
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      clearTimeout(cronTimer);
      clearTimeout(busyTimer);
      for (const s of sockets) s.destroy();
      tcp.close(() => resolve());
    }),
  };
}

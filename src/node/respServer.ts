// Server mode: the engine behind a real TCP socket so redis-cli, redis-benchmark and client
// libraries can talk to it. A thin adapter: bytes in, bytes out, and a wall clock driving the cron.
import net from 'node:net';
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

export async function startRespServer(options: RespServerOptions): Promise<RunningServer> {
  const engine = new RedisServer({
    clock: wallClock,
    random: new SeededRandom(options.seed ?? (Date.now() >>> 0)),
    config: options.config,
    port: options.port,
  });

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    const client = engine.connect({
      peer: `${socket.remoteAddress}:${socket.remotePort}`,
      write: (data) => { socket.write(Buffer.from(data, 'latin1')); },
      close: () => { socket.end(); },
    });
    socket.on('data', (chunk) => client.feed(chunk));
    socket.on('close', () => { sockets.delete(socket); engine.disconnect(client); });
    socket.on('error', () => socket.destroy());
  });

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

  return {
    engine,
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      clearTimeout(cronTimer);
      for (const s of sockets) s.destroy();
      tcp.close(() => resolve());
    }),
  };
}

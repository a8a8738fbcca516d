// Starts a real redis-server 7.0 (the oracle) on a free loopback port for a test file.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { RespClient } from './respClient.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RealRedis {
  port: number;
  stop(): Promise<void>;
}

export async function startRealRedis(config: Record<string, string> = {}): Promise<RealRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--daemonize', 'no', '--logfile', '', '--loglevel', 'warning'];
  for (const [k, v] of Object.entries(config)) args.push(`--${k}`, v);
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; ; attempt++) {
    try {
      const c = await RespClient.connect(port);
      await c.call('PING');
      c.close();
      break;
    } catch (e) {
      if (attempt > 200) throw new Error(`redis-server did not start on ${port}: ${e}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    port,
    stop: async () => { child.kill('SIGKILL'); await exited; },
  };
}

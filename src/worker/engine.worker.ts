// The Web Worker that owns the engine: one Redis server whose clients are the UI's terminals.
// The UI thread never runs engine code, so a long command cannot freeze the page.
import { RedisServer, REDIS_VERSION } from '../engine/server/redisServer.ts';
import type { Client } from '../engine/server/client.ts';
import { SeededRandom } from '../engine/sim/random.ts';
import { binaryToBytes } from '../engine/bytes.ts';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from './protocol.ts';

const post = (m: FromWorker, transfer: Transferable[] = []) => self.postMessage(m, { transfer });

// Until the world's virtual clock and time controls land, the worker runs on wall-clock time.
const server = new RedisServer({ clock: { now: () => Date.now() }, random: new SeededRandom(Date.now() >>> 0) });
const clients = new Map<string, Client>();

const runCron = () => { server.cron(); setTimeout(runCron, server.cronIntervalMs); };
setTimeout(runCron, server.cronIntervalMs);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.v !== PROTOCOL_VERSION) return;
  switch (msg.type) {
    case 'connect': {
      const clientId = msg.clientId;
      clients.set(clientId, server.connect({
        peer: `browser:${clientId}`,
        write: (data) => { const bytes = binaryToBytes(data); post({ v: PROTOCOL_VERSION, type: 'data', clientId, bytes }, [bytes.buffer]); },
        close: () => { clients.delete(clientId); post({ v: PROTOCOL_VERSION, type: 'closed', clientId }); },
      }));
      break;
    }
    case 'send':
      clients.get(msg.clientId)?.feed(msg.bytes);
      break;
    case 'disconnect': {
      const c = clients.get(msg.clientId);
      if (c) { server.disconnect(c); clients.delete(msg.clientId); }
      break;
    }
  }
};

post({ v: PROTOCOL_VERSION, type: 'ready', redisVersion: REDIS_VERSION });

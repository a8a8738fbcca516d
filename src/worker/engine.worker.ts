// The Web Worker that owns the engine: one Redis server whose clients are the UI's terminals.
// The UI thread never runs engine code, so a long command cannot freeze the page.
import { REDIS_VERSION } from '../engine/server/redisServer.ts';
import type { Client } from '../engine/server/client.ts';
import { World } from '../engine/sim/world.ts';
import { binaryToBytes } from '../engine/bytes.ts';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from './protocol.ts';

const post = (m: FromWorker, transfer: Transferable[] = []) => self.postMessage(m, { transfer });

// The world runs on virtual time. Until the time controls land, the host plays it at 1x: before
// each message and on a steady tick, virtual time catches up with the wall clock.
const world = new World({ seed: Date.now() >>> 0, startTime: Date.now() });
// A learner may use DEBUG (SLEEP, OBJECT, POPULATE ...), which Redis allows only when configured.
const server = world.addServer('main', { config: { 'enable-debug-command': 'yes' } });
const clients = new Map<string, Client>();
let lastTick = performance.now();
function catchUp(): void {
  const now = performance.now();
  world.advance(now - lastTick);
  lastTick = now;
}
setInterval(catchUp, 20);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.v !== PROTOCOL_VERSION) return;
  catchUp();
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

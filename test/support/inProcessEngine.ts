// The engine worker without a Worker, for unit tests of what runs over it: an EngineHost (the
// worker's logic) whose messages are delivered asynchronously, as postMessage would, behind the
// same EngineConnector interface the UI's EngineWorker offers.
import type { ConnectionHandlers, EngineConnection, EngineConnector } from '../../src/ui/engine/engineConnection.ts';
import { EngineHost } from '../../src/worker/engineHost.ts';
import { versioned, type FromWorker, type ToWorkerBody } from '../../src/worker/protocol.ts';

export class InProcessEngine implements EngineConnector {
  readonly host: EngineHost;
  readonly posted: FromWorker[] = [];
  private readonly connections = new Map<string, { handlers: ConnectionHandlers; resolve: (e: string | null) => void }>();
  private next = 1;
  /** When set, every data chunk is cut into pieces of this many bytes (replies split across chunks). */
  chunkSize = 0;

  constructor() {
    this.host = new EngineHost((m) => queueMicrotask(() => this.deliver(m)), { seed: 7, startTime: 1_700_000_000_000 });
  }

  private toHost(body: ToWorkerBody): void {
    queueMicrotask(() => this.host.handle(versioned(body)));
  }

  private deliver(m: FromWorker): void {
    this.posted.push(m);
    switch (m.type) {
      case 'connected': {
        const c = this.connections.get(m.clientId);
        if (m.error !== null) this.connections.delete(m.clientId);
        c?.resolve(m.error);
        break;
      }
      case 'data': {
        const c = this.connections.get(m.clientId);
        if (!c) break;
        if (this.chunkSize <= 0) { c.handlers.data(m.bytes); break; }
        for (let i = 0; i < m.bytes.length; i += this.chunkSize) c.handlers.data(m.bytes.slice(i, i + this.chunkSize));
        break;
      }
      case 'closed': {
        const c = this.connections.get(m.clientId);
        this.connections.delete(m.clientId);
        c?.handlers.closed();
        break;
      }
    }
  }

  connect(handlers: ConnectionHandlers): EngineConnection {
    const clientId = `c${this.next++}`;
    let resolve!: (e: string | null) => void;
    const ready = new Promise<string | null>((r) => { resolve = r; });
    this.connections.set(clientId, { handlers, resolve });
    this.toHost({ type: 'connect', clientId });
    return {
      ready,
      send: (bytes) => { if (this.connections.has(clientId)) this.toHost({ type: 'send', clientId, bytes }); },
      close: () => { if (this.connections.delete(clientId)) this.toHost({ type: 'disconnect', clientId }); },
    };
  }

  /** Everything in flight (messages both ways, and what they cause) has been handled. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
  }
}

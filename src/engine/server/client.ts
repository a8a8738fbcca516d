// A connection to one server instance (Redis's `client`): the worker's terminals and the Node TCP
// adapter both talk to the engine through this. Bytes go in with feed(); replies come out through
// the connection's write() once the server flushes them.
import { ProtocolError, RequestParser } from '../resp/requestParser.ts';
import { ReplyWriter } from '../resp/reply.ts';
import type { Command } from './commandTable.ts';
import type { Db } from './db.ts';
import type { RedisServer } from './redisServer.ts';

/** What a transport provides for a client. Both calls may happen at any time after connect. */
export interface ClientConnection {
  /** Sends RESP bytes, given as a byte string. */
  write(data: string): void;
  /** Closes the transport; the server has already forgotten the client. */
  close(): void;
  /** "ip:port" of the peer, for CLIENT LIST. */
  readonly peer?: string;
}

export class Client {
  readonly reply = new ReplyWriter(2);
  readonly parser: RequestParser;
  name: string | null = null;
  argv: string[] = [];
  cmd: Command | null = null;
  /** Reply and then close (QUIT, protocol errors). */
  closeAfterReply = false;
  closed = false;
  readonly createdAt: number;
  lastInteraction: number;

  constructor(
    readonly server: RedisServer,
    readonly id: number,
    public db: Db,
    readonly connection: ClientConnection,
  ) {
    this.parser = new RequestParser(() => ({
      maxBulkLen: server.config.num('proto-max-bulk-len'),
      unauthenticated: false,
    }));
    this.createdAt = this.lastInteraction = server.mstime;
  }

  get protocol(): 2 | 3 { return this.reply.protocol; }

  /** Bytes from the transport: parses and runs every complete command, then flushes replies. */
  feed(data: Uint8Array): void {
    if (this.closed || this.closeAfterReply) return;
    this.parser.feed(data);
    for (;;) {
      let argv: string[] | null;
      try {
        argv = this.parser.next();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        this.reply.error('Protocol error: ' + e.message);
        this.closeAfterReply = true;
        this.server.queueWrite(this);
        break;
      }
      if (argv === null) break;
      if (argv.length === 0) continue;
      this.argv = argv;
      this.server.processCommand(this);
      if (this.closeAfterReply || this.closed) break;
    }
    this.server.flushPendingWrites();
  }
}

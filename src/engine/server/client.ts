// A connection to one server instance (Redis's `client`): the worker's terminals and the Node TCP
// adapter both talk to the engine through this. Bytes go in with feed(); replies come out through
// the connection's write() once the server flushes them.
import { ProtocolError, RequestParser, type ByteDecoder, type ParserLimits } from '../resp/requestParser.ts';
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
  /** A faster bytes -> byte string conversion than the portable one, if the host has one. */
  readonly decode?: ByteDecoder;
}

/** Pending output past which processInput flushes before running the next request. */
const OUTPUT_HANDOFF_BYTES = 1024 * 1024;

export class Client {
  readonly reply = new ReplyWriter(2);
  readonly parser: RequestParser;
  name: string | null = null;
  argv: string[] = [];
  cmd: Command | null = null;
  /** Reply and then close (QUIT, protocol errors). */
  closeAfterReply = false;
  closed = false;
  /** The transport cannot take more output for now (pauseInput): requests wait in the parser. */
  inputPaused = false;
  readonly createdAt: number;
  lastInteraction: number;

  constructor(
    readonly server: RedisServer,
    readonly id: number,
    public db: Db,
    readonly connection: ClientConnection,
  ) {
    // The parser asks for its limits once per request: one object, re-read when the config changed.
    const limits: ParserLimits = { maxBulkLen: 0, unauthenticated: false };
    let limitsAt = -1;
    this.parser = new RequestParser(() => {
      if (limitsAt !== server.config.generation) {
        limitsAt = server.config.generation;
        limits.maxBulkLen = server.config.num('proto-max-bulk-len');
      }
      return limits;
    }, connection.decode);
    this.createdAt = this.lastInteraction = server.mstime;
  }

  get protocol(): 2 | 3 { return this.reply.protocol; }

  /** Bytes from the transport: parses and runs every complete command, then flushes replies. */
  feed(data: Uint8Array): void {
    if (this.closed || this.closeAfterReply) return;
    this.server.stats.netInputBytes += data.length;
    this.server.stats.readsProcessed++;
    this.parser.feed(data);
    this.processInput();
    this.server.beforeSleep();
  }

  /**
   * Backpressure from the transport: a client that pipelines requests but does not read the
   * replies would otherwise make the server buffer output without bound. Pausing stops running
   * its pending requests; resumeInput() runs them once the transport drained.
   */
  pauseInput(): void { this.inputPaused = true; }

  resumeInput(): void {
    if (!this.inputPaused) return;
    this.inputPaused = false;
    if (this.closed) return;
    this.processInput();
    this.server.beforeSleep();
  }

  /**
   * processInputBuffer: runs the complete commands received so far. While the server is busy
   * (DEBUG SLEEP) the input waits in the parser and the server resumes it later.
   */
  processInput(): void {
    for (;;) {
      if (this.closed || this.closeAfterReply || this.inputPaused) return;
      if (this.server.isBusy) {
        this.server.holdInput(this);
        return;
      }
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
      // Deep pipelines of big replies: hand the output over as it grows, so the transport can
      // push back (pauseInput) long before everything requested sits in memory.
      if (this.reply.pendingBytes >= OUTPUT_HANDOFF_BYTES) this.server.flushPendingWrites();
    }
  }

  /**
   * clearClientConnectionState (RESET): back to a fresh connection's state: RESP2, db 0, no name.
   * Later subsystems add theirs here: MULTI/WATCH (discard the transaction, unwatch), pub/sub
   * (unsubscribe from every channel, shard channel and pattern), client tracking, READONLY/ASKING,
   * CLIENT REPLY OFF/SKIP and authentication back to the default user.
   */
  clearConnectionState(): void {
    this.db = this.server.dbs[0];
    this.reply.protocol = 2;
    this.name = null;
  }
}

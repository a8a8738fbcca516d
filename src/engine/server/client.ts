// A connection to one server instance (Redis's `client`): the worker's terminals and the Node TCP
// adapter both talk to the engine through this. Bytes go in with feed(); replies come out through
// the connection's write() once the server flushes them.
import { ProtocolError, RequestParser, type ByteDecoder, type ParserLimits, type ParserLimitsSource } from '../resp/requestParser.ts';
import { ReplyWriter } from '../resp/reply.ts';
import type { Command } from './commandTable.ts';
import type { Db } from './db.ts';
import { ClientTransaction, discardTransaction } from './multi.ts';
import type { RedisServer } from './redisServer.ts';
import type { BlockedState } from './blocking.ts';
import type { ClientTracking } from './tracking.ts';

/** What a transport provides for a client. Both calls may happen at any time after connect. */
export interface ClientConnection {
  /** Sends RESP bytes, given as a byte string. */
  write(data: string): void;
  /** Closes the transport; the server has already forgotten the client. */
  close(): void;
  /** "ip:port" of the peer, for CLIENT LIST. */
  readonly peer?: string;
  /** "ip:port" of our end of the connection, for CLIENT LIST laddr. */
  readonly local?: string;
  /** A faster bytes -> byte string conversion than the portable one, if the host has one. */
  readonly decode?: ByteDecoder;
  // A world puts a network between a server and its clients (World.sendToClient): `write` hands
  // the server's bytes to the network, and these give the client's program what arrives.
  /** Bytes the server wrote reach the client's program. */
  receive?(data: string): void;
  /** The server's close reaches the client's program. */
  receiveClosed?(): void;
  /** The engine failed on bytes from this client: the server dropped it. */
  failed?(error: unknown): void;
}

/** Pending output past which processInput flushes before running the next request. */
const OUTPUT_HANDOFF_BYTES = 1024 * 1024;

export class Client implements ParserLimitsSource {
  readonly reply = new ReplyWriter(2);
  readonly parser: RequestParser;
  /** What parserLimits() answers: one object, re-read when the config changed (at generation limitsAt). */
  private readonly limits: ParserLimits = { maxBulkLen: 0, unauthenticated: false };
  private limitsAt = -1;
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
  /** MULTI/EXEC and WATCH state. */
  readonly tx = new ClientTransaction();
  /** Channels and patterns this client is subscribed to (pub/sub). */
  readonly pubsubChannels = new Set<string>();
  readonly pubsubPatterns = new Set<string>();
  /** Set while the client waits in a blocking command (or is postponed by CLIENT PAUSE). */
  blocked: BlockedState | null = null;
  /** CLIENT_DENY_BLOCKING: blocking commands act as if they timed out (inside EXEC, scripts). */
  denyBlocking = false;
  /** CLIENT_PENDING_COMMAND: argv holds a command CLIENT PAUSE postponed, to run before new input. */
  pendingCommand = false;
  /** Whether the client has authenticated (or needs not: the default user has no password). */
  authenticated: boolean;
  /** CLIENT REPLY OFF / SKIP: replies to this client's commands are dropped. */
  replyOff = false;
  /** The current command's reply is dropped (the command after CLIENT REPLY SKIP). */
  replySkip = false;
  /** CLIENT REPLY SKIP was just run: the next command's reply is dropped. */
  replySkipNext = false;
  /**
   * While a muted (CLIENT REPLY OFF/SKIP) client runs a command: the pub/sub frames written to it,
   * which Redis sends anyway (CLIENT_PUSHING); processInput puts them back after dropping the rest.
   */
  mutedPushes: string[] | null = null;
  /** CLIENT NO-EVICT on. */
  noEvict = false;
  /** The last command looked up, run or not (CLIENT LIST cmd=). */
  lastCmd: Command | null = null;
  /**
   * original_argv: argv as the slow log and MONITOR show it, when it differs from argv (AUTH's
   * redacted password); null otherwise.
   */
  originalArgv: string[] | null = null;
  /** CLIENT TRACKING state; null while tracking is off. */
  tracking: ClientTracking | null = null;
  /**
   * sdslen(querybuf) while processInput runs: Redis trims its query buffer only after running every
   * complete command it holds, so CLIENT LIST shows what was buffered when the batch started.
   */
  querybufAtStart = 0;
  /** Engine-clock time (ms) of its last read: the commands in those bytes wait for the thread from then. */
  readAt = 0;

  constructor(
    readonly server: RedisServer,
    readonly id: number,
    public db: Db,
    readonly connection: ClientConnection,
  ) {
    this.parser = new RequestParser(this, connection.decode);
    this.createdAt = this.lastInteraction = server.mstime;
    this.authenticated = !server.requiresPassword;
  }

  get protocol(): 2 | 3 { return this.reply.protocol; }

  /** The parser asks for its limits once per request. */
  parserLimits(): ParserLimits {
    const config = this.server.config;
    if (this.limitsAt !== config.generation) {
      this.limitsAt = config.generation;
      this.limits.maxBulkLen = config.num('proto-max-bulk-len');
    }
    // Until it authenticates, a client may only send small requests (authRequired).
    this.limits.unauthenticated = !this.authenticated && this.server.requiresPassword;
    return this.limits;
  }

  /** CLIENT_PUBSUB: subscribed to at least one channel or pattern. */
  get inPubSub(): boolean {
    return this.pubsubChannels.size > 0 || this.pubsubPatterns.size > 0;
  }

  /** Bytes from the transport: parses and runs every complete command, then flushes replies. */
  feed(data: Uint8Array): void {
    if (this.closed || this.closeAfterReply) return;
    this.server.stats.netInputBytes += data.length;
    this.server.stats.readsProcessed++;
    this.readAt = this.server.clock.now();
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
   * processInputBuffer: runs the complete commands received so far. While the server is busy (its
   * thread is still running earlier commands) the input waits in the parser and the server resumes it later.
   */
  processInput(): void {
    this.querybufAtStart = this.parser.buffered;
    for (;;) {
      if (this.closed || this.closeAfterReply || this.inputPaused || this.blocked) return;
      if (this.server.isBusy) {
        if (this.parser.buffered > 0 || this.pendingCommand) this.server.holdInput(this);
        return;
      }
      let argv: string[] | null;
      try {
        if (this.pendingCommand) {
          this.pendingCommand = false;
          argv = this.argv;
        } else {
          argv = this.parser.next();
        }
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
      const mark = this.reply.pendingBytes;
      if (this.replyOff || this.replySkip) this.mutedPushes = [];
      this.server.processCommand(this);
      // A blocked command ends later: served, timed out or unblocked (see blocking.ts).
      if (this.blocked) return;
      // CLIENT REPLY OFF / SKIP: the command ran, its reply is dropped (resetClient's part).
      if (this.replyOff || this.replySkip) {
        this.reply.dropSince(mark);
        if (this.mutedPushes) for (const frame of this.mutedPushes) this.reply.raw(frame);
      }
      this.mutedPushes = null;
      this.replySkip = this.replySkipNext;
      this.replySkipNext = false;
      if (this.tracking) this.server.tracking.afterProcessed(this);
      // Deep pipelines of big replies: hand the output over as it grows, so the transport can
      // push back (pauseInput) long before everything requested sits in memory.
      if (this.reply.pendingBytes >= OUTPUT_HANDOFF_BYTES) this.server.flushPendingWrites();
    }
  }

  /**
   * clearClientConnectionState (RESET): back to a fresh connection's state: db 0, RESP2, the
   * default user, no transaction or watched keys, no subscriptions, no name, replies on.
   * (CLIENT NO-EVICT stays, as in Redis.)
   */
  clearConnectionState(): void {
    this.db = this.server.dbs[0];
    this.reply.protocol = 2;
    this.authenticated = !this.server.requiresPassword;
    discardTransaction(this); // also unwatches
    this.server.monitors.delete(this);
    this.server.tracking.disable(this);
    this.server.pubsub.unsubscribeAll(this);
    this.name = null;
    this.replyOff = this.replySkipNext = false;
  }
}

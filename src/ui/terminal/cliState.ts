// What redis-cli 7.0 remembers about its connection and shows in its prompt: the address, the
// selected database ("[2]", only after a SELECT that did not fail) and "(TX)" between MULTI and
// EXEC/DISCARD. It learns all of it from the commands typed and their reply types alone
// (cliSendCommand), never by asking the server, so it can be fooled, and is modelled as such.
import type { Reply } from '../engine/replyReader.ts';
import { atoi } from './commandLine.ts';

function is(arg: string | undefined, name: string): boolean {
  return arg !== undefined && arg.toLowerCase() === name;
}

export class CliState {
  /** config.dbnum: the database the prompt shows. */
  dbnum = 0;
  /** conn_info.input_dbnum: the database to select again after reconnecting. */
  inputDbnum = 0;
  inMulti = false;
  preMultiDbnum = 0;
  /** Whether there is a connection (redis-cli's `context`); the prompt says so when not. */
  connected = true;

  constructor(public host = '127.0.0.1', public port = 6379) {}

  /** cliRefreshPrompt, or linenoise's "not connected> " without a connection. */
  prompt(): string {
    if (!this.connected) return 'not connected> ';
    let p = this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
    if (this.dbnum !== 0) p += `[${this.dbnum}]`;
    if (this.inMulti) p += '(TX)';
    return p + '> ';
  }

  /**
   * cliSendCommand after a reply to `argv`: SELECT, MULTI, EXEC, DISCARD and RESET change what the
   * prompt shows. Returns true when redis-cli then re-selects its database (after AUTH: cliSelect,
   * which sends SELECT only if the database it wants is not the one it believes selected).
   */
  afterReply(argv: readonly string[], reply: Reply): boolean {
    const argc = argv.length;
    const failed = reply.kind === 'error';
    const cmd = argv[0];
    if (is(cmd, 'select') && argc === 2 && !failed) {
      // Inside MULTI the reply is QUEUED, so any argument counts, parsed as atoi() does.
      this.inputDbnum = this.dbnum = atoi(argv[1]);
    } else if (is(cmd, 'auth') && (argc === 2 || argc === 3)) {
      return this.inputDbnum !== this.dbnum;
    } else if (is(cmd, 'multi') && argc === 1 && !failed) {
      this.inMulti = true;
      this.preMultiDbnum = this.dbnum;
    } else if (is(cmd, 'exec') && argc === 1 && this.inMulti) {
      this.inMulti = false;
      // A failed or aborted transaction did not run its SELECTs.
      if (failed || reply.kind === 'null') this.inputDbnum = this.dbnum = this.preMultiDbnum;
    } else if (is(cmd, 'discard') && argc === 1 && !failed) {
      this.inMulti = false;
      this.inputDbnum = this.dbnum = this.preMultiDbnum;
    } else if (is(cmd, 'reset') && argc === 1 && !failed) {
      this.inMulti = false;
      this.dbnum = 0;
      this.inputDbnum = 0;
    }
    return false;
  }

  /** cliConnect(CC_FORCE) replacing a connection: a new one starts in database 0, no MULTI. */
  replaceConnection(): void {
    if (this.connected) {
      this.dbnum = 0;
      this.inMulti = false;
    }
  }

  /** Whether the new connection needs a SELECT to be back in the database typed last (cliSelect). */
  get needsSelect(): boolean {
    return this.inputDbnum !== this.dbnum;
  }

  /** cliSelect succeeded. */
  selected(): void {
    this.dbnum = this.inputDbnum;
  }
}

// CLIENT (networking.c's clientCommand) and AUTH (acl.c's authCommand): what a connection says
// about itself and the others, and how it proves who it is.
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { getLongLongOrReply, getRangeLongOrReply, isOption } from '../server/args.ts';
import { authenticateUser, redactArgument, WRONGPASS } from '../server/auth.ts';
import { clientUnblockCommand, clientPauseCommand, clientUnpauseCommand } from '../server/blocking.ts';
import {
  clientInfoString, clientPeerId, clientSockName, clientType, clientTypeByName, type ClientType,
} from '../server/clientInfo.ts';
import { SYNTAX_ERR } from '../server/shared.ts';
import { setClientNameOrReply } from './connection.ts';
import { replyHelp } from './generic.ts';

/** C string functions (strcmp, %s) stop at the first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

const LONG_MAX = 9223372036854775807;

// =================================================================================================
// CLIENT

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

function clientHelpCommand(c: Client): void {
  replyHelp(c, CLIENT_HELP);
}

function clientIdCommand(c: Client): void {
  c.reply.integer(c.id);
}

/** CLIENT INFO: this connection's CLIENT LIST line. */
function clientInfoCommand(c: Client): void {
  c.reply.verbatim(clientInfoString(c, c) + '\n', 'txt');
}

/** CLIENT LIST [TYPE type | ID id [id ...]] */
function clientListCommand(c: Client): void {
  const argv = c.argv;
  let type: ClientType | null = null;
  let out: string | null = null;
  if (argv.length === 4 && isOption(argv[2], 'type')) {
    type = clientTypeByName(cString(argv[3]));
    if (type === null) {
      c.reply.error(`Unknown client type '${cString(argv[3])}'`);
      return;
    }
  } else if (argv.length > 3 && isOption(argv[2], 'id')) {
    out = '';
    for (let j = 3; j < argv.length; j++) {
      const id = getLongLongOrReply(c, argv[j], 'Invalid client ID');
      if (id === null) return;
      const other = c.server.clients.get(id);
      if (other) out += clientInfoString(other, c) + '\n';
    }
  } else if (argv.length !== 2) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  if (out === null) {
    out = '';
    for (const other of c.server.clients.values()) {
      if (type === null || clientType(other) === type) out += clientInfoString(other, c) + '\n';
    }
  }
  c.reply.verbatim(out, 'txt');
}

/** CLIENT REPLY ON|OFF|SKIP: OFF and SKIP do not answer (the muting is in Client.processInput). */
function clientReplyCommand(c: Client): void {
  const mode = c.argv[2];
  if (isOption(mode, 'on')) {
    c.replyOff = false;
    c.replySkipNext = false;
    c.reply.ok();
  } else if (isOption(mode, 'off')) {
    c.replyOff = true;
  } else if (isOption(mode, 'skip')) {
    if (!c.replyOff) c.replySkipNext = true;
  } else {
    c.reply.error(SYNTAX_ERR);
  }
}

/** CLIENT NO-EVICT ON|OFF */
function clientNoEvictCommand(c: Client): void {
  const mode = c.argv[2];
  if (isOption(mode, 'on')) c.noEvict = true;
  else if (isOption(mode, 'off')) c.noEvict = false;
  else {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  c.reply.ok();
}

/**
 * CLIENT KILL addr (the old form: OK or an error, may kill the caller) or CLIENT KILL with filters
 * (ID, TYPE, ADDR, LADDR, USER, SKIPME; replies how many were killed).
 */
function clientKillCommand(c: Client): void {
  const argv = c.argv;
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let type: ClientType | null = null;
  let id = 0;
  let skipme = true;
  if (argv.length === 3) {
    addr = argv[2];
    skipme = false; // with the old form a client may kill itself
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i];
      const moreargs = argv.length > i + 1;
      if (isOption(opt, 'id') && moreargs) {
        const v = getRangeLongOrReply(c, argv[i + 1], 1, LONG_MAX, 'client-id should be greater than 0');
        if (v === null) return;
        id = v;
      } else if (isOption(opt, 'type') && moreargs) {
        type = clientTypeByName(cString(argv[i + 1]));
        if (type === null) {
          c.reply.error(`Unknown client type '${cString(argv[i + 1])}'`);
          return;
        }
      } else if (isOption(opt, 'addr') && moreargs) {
        addr = argv[i + 1];
      } else if (isOption(opt, 'laddr') && moreargs) {
        laddr = argv[i + 1];
      } else if (isOption(opt, 'user') && moreargs) {
        // The only user is "default" (no ACL users yet).
        if (argv[i + 1] !== 'default') {
          c.reply.error(`No such user '${cString(argv[i + 1])}'`);
          return;
        }
        user = argv[i + 1];
      } else if (isOption(opt, 'skipme') && moreargs) {
        if (isOption(argv[i + 1], 'yes')) skipme = true;
        else if (isOption(argv[i + 1], 'no')) skipme = false;
        else {
          c.reply.error(SYNTAX_ERR);
          return;
        }
      } else {
        c.reply.error(SYNTAX_ERR);
        return;
      }
    }
  }
  let killed = 0;
  let closeThisClient = false;
  for (const other of [...c.server.clients.values()]) {
    if (addr !== null && clientPeerId(other) !== cString(addr)) continue;
    if (laddr !== null && clientSockName(other) !== cString(laddr)) continue;
    if (type !== null && clientType(other) !== type) continue;
    if (id !== 0 && other.id !== id) continue;
    if (user !== null && user !== 'default') continue;
    if (other === c && skipme) continue;
    if (other === c) {
      closeThisClient = true;
    } else {
      c.server.disconnect(other);
      other.connection.close();
    }
    killed++;
  }
  if (argv.length === 3) {
    if (killed === 0) c.reply.error('No such client');
    else c.reply.ok();
  } else {
    c.reply.integer(killed);
  }
  // Set only now, so the reply above still goes out.
  if (closeThisClient) c.closeAfterReply = true;
}

function clientSetNameCommand(c: Client): void {
  if (setClientNameOrReply(c, c.argv[2])) c.reply.ok();
}

function clientGetNameCommand(c: Client): void {
  c.reply.bulkOrNull(c.name);
}

/** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX prefix ...] [OPTIN] [OPTOUT] [NOLOOP] */
function clientTrackingCommand(c: Client): void {
  const argv = c.argv;
  const tracking = c.server.tracking;
  let redirect = 0;
  const opts = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j > 0;
    const opt = argv[j];
    if (isOption(opt, 'redirect') && moreargs) {
      j++;
      if (redirect !== 0) {
        c.reply.error('A client can only redirect to a single other client');
        return;
      }
      const v = getLongLongOrReply(c, argv[j]);
      if (v === null) return;
      redirect = v;
      // The client must exist now, even if it may go away later.
      if (!c.server.clients.has(redirect)) {
        c.reply.error('The client ID you want redirect to does not exist');
        return;
      }
    } else if (isOption(opt, 'bcast')) {
      opts.bcast = true;
    } else if (isOption(opt, 'optin')) {
      opts.optin = true;
    } else if (isOption(opt, 'optout')) {
      opts.optout = true;
    } else if (isOption(opt, 'noloop')) {
      opts.noloop = true;
    } else if (isOption(opt, 'prefix') && moreargs) {
      j++;
      prefixes.push(argv[j]);
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const t = c.tracking;
  if (isOption(argv[2], 'on')) {
    if (!opts.bcast && prefixes.length > 0) {
      c.reply.error('PREFIX option requires BCAST mode to be enabled');
      return;
    }
    if (t && t.bcast !== opts.bcast) {
      c.reply.error("You can't switch BCAST mode on/off before disabling tracking for this client, and then " +
        're-enabling it with a different mode.');
      return;
    }
    if (opts.bcast && (opts.optin || opts.optout)) {
      c.reply.error('OPTIN and OPTOUT are not compatible with BCAST');
      return;
    }
    if (opts.optin && opts.optout) {
      c.reply.error("You can't specify both OPTIN mode and OPTOUT mode");
      return;
    }
    if (t && ((opts.optin && t.optout) || (opts.optout && t.optin))) {
      c.reply.error("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then " +
        're-enabling it with a different mode.');
      return;
    }
    if (opts.bcast && !tracking.checkPrefixCollisions(c, prefixes)) return;
    tracking.enable(c, redirect, opts, prefixes);
  } else if (isOption(argv[2], 'off')) {
    tracking.disable(c);
  } else {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  c.reply.ok();
}

/** CLIENT CACHING YES|NO: whether the next command's reads are tracked (OPTIN / OPTOUT modes). */
function clientCachingCommand(c: Client): void {
  const t = c.tracking;
  if (!t) {
    c.reply.error('CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
    return;
  }
  const opt = c.argv[2];
  if (isOption(opt, 'yes')) {
    if (!t.optin) {
      c.reply.error('CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
      return;
    }
  } else if (isOption(opt, 'no')) {
    if (!t.optout) {
      c.reply.error('CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
      return;
    }
  } else {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  t.caching = true;
  c.reply.ok();
}

function clientGetRedirCommand(c: Client): void {
  c.reply.integer(c.tracking ? c.tracking.redirect : -1);
}

/** CLIENT TRACKINGINFO: flags, redirect and prefixes. */
function clientTrackingInfoCommand(c: Client): void {
  const t = c.tracking;
  const flags = [t ? 'on' : 'off'];
  if (t) {
    if (t.bcast) flags.push('bcast');
    if (t.optin) flags.push('optin');
    if (t.optin && t.caching) flags.push('caching-yes');
    if (t.optout) flags.push('optout');
    if (t.optout && t.caching) flags.push('caching-no');
    if (t.noloop) flags.push('noloop');
    if (t.brokenRedirect) flags.push('broken_redirect');
  }
  const r = c.reply;
  r.map(3);
  r.bulk('flags');
  r.set(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk('redirect');
  r.integer(t ? t.redirect : -1);
  r.bulk('prefixes');
  r.bulks(t ? t.prefixes : []);
}

// =================================================================================================
// AUTH

/** AUTH [username] password */
function authCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length > 3) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  redactArgument(c, 1);
  let user: string, password: string;
  if (argv.length === 2) {
    // The old form needs a password to check against.
    if (!c.server.requiresPassword) {
      c.reply.error('AUTH <password> called without any password configured for the default user. ' +
        'Are you sure your configuration is correct?');
      return;
    }
    user = 'default';
    password = argv[1];
  } else {
    user = argv[1];
    password = argv[2];
    redactArgument(c, 2);
  }
  if (authenticateUser(c, user, password)) c.reply.ok();
  else c.reply.error(WRONGPASS);
}

export const clientCommands: CommandImplementations = {
  'client|help': clientHelpCommand,
  'client|id': clientIdCommand,
  'client|info': clientInfoCommand,
  'client|list': clientListCommand,
  'client|reply': clientReplyCommand,
  'client|no-evict': clientNoEvictCommand,
  'client|kill': clientKillCommand,
  'client|setname': clientSetNameCommand,
  'client|getname': clientGetNameCommand,
  'client|tracking': clientTrackingCommand,
  'client|caching': clientCachingCommand,
  'client|getredir': clientGetRedirCommand,
  'client|trackinginfo': clientTrackingInfoCommand,
  'client|unblock': clientUnblockCommand,
  'client|pause': clientPauseCommand,
  'client|unpause': clientUnpauseCommand,
  auth: authCommand,
};

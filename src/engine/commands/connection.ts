// Connection commands (Redis's networking.c and server.c parts): PING, ECHO, QUIT, HELLO, RESET.
// SELECT lives with the keyspace commands (generic.ts).
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { REDIS_VERSION } from '../server/version.ts';
import { isOption } from '../server/args.ts';
import { parseBigInteger } from '../numbers.ts';
import { authenticateUser, redactArgument, WRONGPASS } from '../server/auth.ts';

function pingCommand(c: Client): void {
  // PING's arity is -1 so that a subscribed client may send it; more than one argument is
  // refused here, with the usual arity error.
  if (c.argv.length > 2) {
    c.reply.error(`wrong number of arguments for '${c.cmd!.fullName}' command`);
    return;
  }
  // A subscribed RESP2 client gets ["pong", message]: a status reply would not fit among the
  // message frames it reads.
  if (c.inPubSub && c.protocol === 2) {
    c.reply.array(2);
    c.reply.bulk('pong');
    c.reply.bulk(c.argv.length === 1 ? '' : c.argv[1]);
  } else if (c.argv.length === 1) {
    c.reply.status('PONG');
  } else {
    c.reply.bulk(c.argv[1]);
  }
}

function echoCommand(c: Client): void {
  c.reply.bulk(c.argv[1]);
}

function quitCommand(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}

/** clientSetName: an empty name clears it; only printable ASCII without spaces is allowed. */
export function setClientNameOrReply(c: Client, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      c.reply.error('Client names cannot contain spaces, newlines or special characters.');
      return false;
    }
  }
  c.name = name.length === 0 ? null : name;
  return true;
}

/** HELLO AUTH: ACLAuthenticateUser with the only user there is, "default" (server/auth.ts). */
function authenticate(c: Client, user: string, password: string): boolean {
  return authenticateUser(c, user, password);
}

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
function helloCommand(c: Client): void {
  let version = 0n;
  let next = 1;
  if (c.argv.length >= 2) {
    const v = parseBigInteger(c.argv[next++]);
    if (v === null) {
      c.reply.error('Protocol version is not an integer or out of range');
      return;
    }
    version = v;
    if (version < 2n || version > 3n) {
      c.reply.error('-NOPROTO unsupported protocol version');
      return;
    }
  }
  // Options take effect as they are read, as in Redis: a SETNAME before a failing AUTH sticks.
  for (let j = next; j < c.argv.length; j++) {
    const more = c.argv.length - 1 - j;
    const opt = c.argv[j];
    if (isOption(opt, 'auth') && more >= 2) {
      redactArgument(c, j + 1);
      redactArgument(c, j + 2);
      if (!authenticate(c, c.argv[j + 1], c.argv[j + 2])) {
        c.reply.error(WRONGPASS);
        return;
      }
      j += 2;
    } else if (isOption(opt, 'setname') && more >= 1) {
      if (!setClientNameOrReply(c, c.argv[j + 1])) return;
      j++;
    } else {
      c.reply.error(`Syntax error in HELLO option '${opt}'`);
      return;
    }
  }
  if (!c.authenticated) {
    c.reply.error('-NOAUTH HELLO must be called with the client already authenticated, otherwise the ' +
      'HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP ' +
      'protocol version at the same time');
    return;
  }
  if (version) c.reply.protocol = Number(version) as 2 | 3;
  const r = c.reply;
  r.map(7);
  r.bulk('server'); r.bulk('redis');
  r.bulk('version'); r.bulk(REDIS_VERSION);
  r.bulk('proto'); r.integer(c.protocol);
  r.bulk('id'); r.integer(c.id);
  r.bulk('mode'); r.bulk('standalone');
  r.bulk('role'); r.bulk('master');
  r.bulk('modules'); r.emptyArray();
}

/** RESET: the connection goes back to its initial state. */
function resetCommand(c: Client): void {
  // Replicas and masters' links cannot be reset ("can only reset normal client connections");
  // the engine has no such connections yet.
  c.clearConnectionState();
  c.reply.status('RESET');
}

export const connectionCommands: CommandImplementations = {
  ping: pingCommand,
  echo: echoCommand,
  quit: quitCommand,
  hello: helloCommand,
  reset: resetCommand,
};

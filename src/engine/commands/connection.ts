// Connection commands: PING, ECHO, QUIT, SELECT, HELLO, RESET ...
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';

function pingCommand(c: Client): void {
  if (c.argv.length > 2) {
    c.reply.error(`wrong number of arguments for '${c.cmd!.fullName}' command`);
    return;
  }
  if (c.argv.length === 1) c.reply.status('PONG');
  else c.reply.bulk(c.argv[1]);
}

function echoCommand(c: Client): void {
  c.reply.bulk(c.argv[1]);
}

function quitCommand(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}

export const connectionCommands: CommandImplementations = {
  ping: pingCommand,
  echo: echoCommand,
  quit: quitCommand,
};

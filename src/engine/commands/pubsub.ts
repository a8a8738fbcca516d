// Pub/Sub commands (pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB.
// The tables and frames live in server/pubsub.ts. Sharded pub/sub (SSUBSCRIBE, SPUBLISH,
// SUNSUBSCRIBE) belongs to cluster support and is not implemented, so no shard channel ever has
// subscribers.
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { globMatch } from '../server/glob.ts';
import { replyHelp } from './generic.ts';

/**
 * CLIENT_DENY_BLOCKING without CLIENT_MULTI: a client that expects exactly one reply per command
 * (a script) may not subscribe. Inside a transaction it may, for backward compatibility.
 */
function denySubscribe(c: Client, name: string): boolean {
  if (!c.denyBlocking || c.tx.multi) return false;
  c.reply.error(`${name} isn't allowed for a DENY BLOCKING client`);
  return true;
}

/** SUBSCRIBE channel [channel ...] */
function subscribeCommand(c: Client): void {
  if (denySubscribe(c, 'SUBSCRIBE')) return;
  for (let j = 1; j < c.argv.length; j++) c.server.pubsub.subscribeChannel(c, c.argv[j]);
}

/** UNSUBSCRIBE [channel ...] */
function unsubscribeCommand(c: Client): void {
  const pubsub = c.server.pubsub;
  if (c.argv.length === 1) pubsub.unsubscribeAllChannels(c, true);
  else for (let j = 1; j < c.argv.length; j++) pubsub.unsubscribeChannel(c, c.argv[j], true);
}

/** PSUBSCRIBE pattern [pattern ...] */
function psubscribeCommand(c: Client): void {
  if (denySubscribe(c, 'PSUBSCRIBE')) return;
  for (let j = 1; j < c.argv.length; j++) c.server.pubsub.subscribePattern(c, c.argv[j]);
}

/** PUNSUBSCRIBE [pattern ...] */
function punsubscribeCommand(c: Client): void {
  const pubsub = c.server.pubsub;
  if (c.argv.length === 1) pubsub.unsubscribeAllPatterns(c, true);
  else for (let j = 1; j < c.argv.length; j++) pubsub.unsubscribePattern(c, c.argv[j], true);
}

/** PUBLISH channel message: replies how many frames went out. */
function publishCommand(c: Client): void {
  c.reply.integer(c.server.pubsub.publish(c.argv[1], c.argv[2]));
}

/** addReplySubcommandSyntaxError */
function subcommandSyntaxError(c: Client): void {
  c.reply.error(`unknown subcommand or wrong number of arguments for '${c.argv[1].slice(0, 128)}'. ` +
    `Try ${c.argv[0].replace(/[a-z]+/g, (m) => m.toUpperCase())} HELP.`);
}

/** channelList: the channels with subscribers, those matching the pattern if one is given. */
function channelList(c: Client, channels: Iterable<string>): void {
  const pattern = c.argv.length === 3 ? c.argv[2] : null;
  const matching: string[] = [];
  for (const channel of channels) if (pattern === null || globMatch(pattern, channel)) matching.push(channel);
  c.reply.bulks(matching);
}

/** PUBSUB CHANNELS [pattern] */
function pubsubChannelsCommand(c: Client): void {
  if (c.argv.length > 3) return subcommandSyntaxError(c);
  channelList(c, c.server.pubsub.channels.keys());
}

/** PUBSUB NUMSUB [channel ...]: pairs of channel and subscriber count (patterns not counted). */
function pubsubNumsubCommand(c: Client): void {
  const channels = c.server.pubsub.channels;
  c.reply.array((c.argv.length - 2) * 2);
  for (let j = 2; j < c.argv.length; j++) {
    c.reply.bulk(c.argv[j]);
    c.reply.integer(channels.get(c.argv[j])?.size ?? 0);
  }
}

/** PUBSUB NUMPAT: how many distinct patterns have subscribers. */
function pubsubNumpatCommand(c: Client): void {
  c.reply.integer(c.server.pubsub.patterns.size);
}

/** PUBSUB SHARDCHANNELS [pattern]: there are no shard subscriptions (see the top of the file). */
function pubsubShardchannelsCommand(c: Client): void {
  if (c.argv.length > 3) return subcommandSyntaxError(c);
  channelList(c, []);
}

/** PUBSUB SHARDNUMSUB [shardchannel ...] */
function pubsubShardnumsubCommand(c: Client): void {
  c.reply.array((c.argv.length - 2) * 2);
  for (let j = 2; j < c.argv.length; j++) {
    c.reply.bulk(c.argv[j]);
    c.reply.integer(0);
  }
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

export const pubsubCommands: CommandImplementations = {
  subscribe: subscribeCommand,
  unsubscribe: unsubscribeCommand,
  psubscribe: psubscribeCommand,
  punsubscribe: punsubscribeCommand,
  publish: publishCommand,
  'pubsub|channels': pubsubChannelsCommand,
  'pubsub|numsub': pubsubNumsubCommand,
  'pubsub|numpat': pubsubNumpatCommand,
  'pubsub|shardchannels': pubsubShardchannelsCommand,
  'pubsub|shardnumsub': pubsubShardnumsubCommand,
  'pubsub|help': (c) => replyHelp(c, PUBSUB_HELP),
};

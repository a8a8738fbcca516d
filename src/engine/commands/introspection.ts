// Watching the server work: MONITOR (server.c), SLOWLOG (slowlog.c) and LATENCY (latency.c). The
// durations they report are the engine's modelled ones (server/cost.ts).
import type { Client } from '../server/client.ts';
import type { Command, CommandImplementations } from '../server/commandTable.ts';
import type { CommandHistogram } from '../server/latency.ts';
import { getRangeLongOrReply } from '../server/args.ts';
import { replyHelp } from './generic.ts';

const LONG_MAX = 9223372036854775807;

/** addReplySubcommandSyntaxError */
function subcommandSyntaxError(c: Client): void {
  c.reply.error(`unknown subcommand or wrong number of arguments for '${c.argv[1].slice(0, 128)}'. ` +
    `Try ${c.argv[0].toUpperCase()} HELP.`);
}

/** C string functions stop at the first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

// =================================================================================================
// MONITOR

/** monitorCommand: from now on the client gets every command the server runs (server/monitor.ts). */
function monitorCommand(c: Client): void {
  // Inside EXEC the client expects one reply per command, which a monitor cannot give.
  if (c.denyBlocking) {
    c.reply.error("MONITOR isn't allowed for DENY BLOCKING client");
    return;
  }
  if (c.server.monitors.has(c)) return; // already monitoring: no reply at all, as in Redis
  c.server.monitors.add(c);
  c.reply.ok();
}

// =================================================================================================
// SLOWLOG

function slowlogHelpCommand(c: Client): void {
  replyHelp(c, [
    'GET [<count>]',
    '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
    '    Entries are made of:',
    '    id, timestamp, time in microseconds, arguments array, client IP and port,',
    '    client name',
    'LEN',
    '    Return the length of the slowlog.',
    'RESET',
    '    Reset the slowlog.',
  ]);
}

/** SLOWLOG GET [count]: the newest entries first (10 by default, -1 for all). */
function slowlogGetCommand(c: Client): void {
  if (c.argv.length > 3) {
    subcommandSyntaxError(c);
    return;
  }
  const entries = c.server.slowlog.entries;
  let count = 10;
  if (c.argv.length === 3) {
    const v = getRangeLongOrReply(c, c.argv[2], -1, LONG_MAX, 'count should be greater than or equal to -1');
    if (v === null) return;
    count = v === -1 ? entries.length : v;
  }
  const sent = entries.slice(0, Math.min(count, entries.length));
  const r = c.reply;
  r.array(sent.length);
  for (const e of sent) {
    r.array(6);
    r.integer(e.id);
    r.integer(e.time);
    r.integer(e.duration);
    r.bulks(e.argv);
    r.bulk(e.peer);
    r.bulk(e.name);
  }
}

function slowlogLenCommand(c: Client): void {
  c.reply.integer(c.server.slowlog.entries.length);
}

function slowlogResetCommand(c: Client): void {
  c.server.slowlog.reset();
  c.reply.ok();
}

// =================================================================================================
// LATENCY

function latencyHelpCommand(c: Client): void {
  replyHelp(c, [
    'DOCTOR',
    '    Return a human readable latency analysis report.',
    'GRAPH <event>',
    '    Return an ASCII latency graph for the <event> class.',
    'HISTORY <event>',
    '    Return time-latency samples for the <event> class.',
    'LATEST',
    '    Return the latest latency samples for all events.',
    'RESET [<event> ...]',
    '    Reset latency data of one or more <event> classes.',
    '    (default: reset all data for all event classes)',
    'HISTOGRAM [COMMAND ...]',
    '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
    '    If no commands are specified then all histograms are replied.',
  ]);
}

/** LATENCY HISTORY event: [time, latency] pairs, oldest first. */
function latencyHistoryCommand(c: Client): void {
  const ts = c.server.latency.events.get(cString(c.argv[2]));
  if (!ts) {
    c.reply.emptyArray();
    return;
  }
  const samples = [...ts.ordered()];
  c.reply.array(samples.length);
  for (const s of samples) {
    c.reply.array(2);
    c.reply.integer(s.time);
    c.reply.integer(s.latency);
  }
}

/** LATENCY LATEST: per event, its latest sample and all-time maximum. */
function latencyLatestCommand(c: Client): void {
  const events = c.server.latency.events;
  c.reply.array(events.size);
  for (const [event, ts] of events) {
    const last = ts.latest;
    c.reply.array(4);
    c.reply.bulk(event);
    c.reply.integer(last.time);
    c.reply.integer(last.latency);
    c.reply.integer(ts.max);
  }
}

/** LATENCY GRAPH event: an ASCII sparkline of the event's samples. */
function latencyGraphCommand(c: Client): void {
  const event = cString(c.argv[2]);
  const ts = c.server.latency.events.get(event);
  if (!ts) {
    c.reply.error(`No samples available for event '${event}'`);
    return;
  }
  c.reply.verbatim(c.server.latency.graph(event, ts), 'txt');
}

function latencyDoctorCommand(c: Client): void {
  c.reply.verbatim(c.server.latency.report(), 'txt');
}

/** LATENCY RESET [event ...]: how many event series were dropped. */
function latencyResetCommand(c: Client): void {
  const latency = c.server.latency;
  if (c.argv.length === 2) {
    c.reply.integer(latency.reset(null));
    return;
  }
  let resets = 0;
  for (const event of c.argv.slice(2)) resets += latency.reset(cString(event));
  c.reply.integer(resets);
}

/** A command's histogram entry: its name, then {calls, histogram_usec}. */
function replyHistogram(c: Client, cmd: Command, h: CommandHistogram): void {
  const r = c.reply;
  r.bulk(cmd.fullName);
  r.map(2);
  r.bulk('calls');
  r.integer(h.calls);
  r.bulk('histogram_usec');
  const cdf = h.cdf();
  r.map(cdf.length);
  for (const [us, count] of cdf) {
    r.integer(us);
    r.integer(count);
  }
}

/** lookupCommandBySds: "name" or "container|sub", case-insensitive. */
function lookupCommandByName(c: Client, name: string): Command | null {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2 || parts[0] === '') return null;
  const base = c.server.commands.commands.get(parts[0]) ?? null;
  if (parts.length === 1 || !base) return base;
  return base.subcommands.get(parts[1]) ?? null;
}

/**
 * LATENCY HISTOGRAM [command ...]: per command, its calls and the cumulative distribution of its
 * (modelled) latencies in power-of-two microsecond buckets. A container command lists its
 * subcommands' histograms; unknown names are skipped.
 */
function latencyHistogramCommand(c: Client): void {
  const histograms = c.server.latency.histograms;
  const shown: [Command, CommandHistogram][] = [];
  const add = (cmd: Command) => {
    const h = histograms.get(cmd.fullName);
    if (h) shown.push([cmd, h]);
  };
  if (c.argv.length === 2) {
    for (const cmd of c.server.commands.all()) add(cmd);
  } else {
    for (const name of c.argv.slice(2)) {
      const cmd = lookupCommandByName(c, name);
      if (!cmd) continue;
      add(cmd);
      for (const sub of cmd.subcommands.values()) add(sub);
    }
  }
  c.reply.map(shown.length);
  for (const [cmd, h] of shown) replyHistogram(c, cmd, h);
}

export const introspectionCommands: CommandImplementations = {
  monitor: monitorCommand,
  'slowlog|help': slowlogHelpCommand,
  'slowlog|get': slowlogGetCommand,
  'slowlog|len': slowlogLenCommand,
  'slowlog|reset': slowlogResetCommand,
  'latency|help': latencyHelpCommand,
  'latency|history': latencyHistoryCommand,
  'latency|latest': latencyLatestCommand,
  'latency|graph': latencyGraphCommand,
  'latency|doctor': latencyDoctorCommand,
  'latency|reset': latencyResetCommand,
  'latency|histogram': latencyHistogramCommand,
};

// The help table built without a server must be the one redis-cli builds from Redis 7.0.15's
// COMMAND DOCS (all but the summaries, which are ours); and the one built from our engine's
// COMMAND DOCS must agree with it for every command the engine has.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ReplyReader, type Reply } from '../../../src/ui/engine/replyReader.ts';
import { CommandHelp, type HelpEntry } from '../../../src/ui/terminal/commandHelp.ts';
import { staticCommandHelp } from '../../../src/ui/terminal/staticCommandDocs.ts';
import { COMMAND_SUMMARIES } from '../../../src/engine/server/commandSummaries.ts';
import { EngineHarness } from '../../support/engineHarness.ts';
import { startRealRedis, type RealRedis } from '../../support/realRedis.ts';
import { RespClient } from '../../support/respClient.ts';

let real: RealRedis;
beforeAll(async () => { real = await startRealRedis(); });
afterAll(async () => { await real?.stop(); });

function parse(bytes: Uint8Array | string): Reply {
  const reader = new ReplyReader();
  reader.feed(typeof bytes === 'string' ? Uint8Array.from(bytes, (c) => c.charCodeAt(0)) : bytes);
  const r = reader.next();
  if (!r) throw new Error('incomplete reply');
  return r;
}

const withoutSummary = ({ summary: _, ...rest }: HelpEntry) => rest;

it('matches what redis-cli builds from Redis 7.0.15, summaries aside', async () => {
  const client = await RespClient.connect(real.port);
  const fromRedis = CommandHelp.fromCommandDocsReply(parse(await client.call('COMMAND', 'DOCS')));
  client.close();
  expect(fromRedis).not.toBeNull();
  const ours = staticCommandHelp();
  expect(ours.entries.map(withoutSummary)).toEqual(fromRedis!.entries.map(withoutSummary));
  expect(ours.entries.length).toBeGreaterThan(300);
  // Same hints, then, for a sample of lines.
  for (const line of ['SET k v EX', 'XADD s', 'CLIENT KILL ', 'object encoding', 'SORT k BY']) {
    expect(ours.hint(line), line).toBe(fromRedis!.hint(line));
  }
});

it('agrees with the table redis-cli builds from our engine, whose summaries are ours', () => {
  const h = new EngineHarness();
  const fromEngine = CommandHelp.fromCommandDocsReply(parse(h.raw('COMMAND', 'DOCS')));
  expect(fromEngine).not.toBeNull();
  const all = new Map(staticCommandHelp().entries.map((e) => [e.full, e]));
  const commands = fromEngine!.entries.filter((e) => e.kind === 'command');
  expect(commands.length).toBeGreaterThan(100);
  for (const e of fromEngine!.entries) expect(e, e.full).toEqual(all.get(e.full));
  const get = fromEngine!.entries.find((e) => e.full === 'GET');
  expect(get?.summary).toBe(COMMAND_SUMMARIES.get);
});

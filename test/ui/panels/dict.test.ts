// The dict panel's logic without a page: which dict it reads and which events concern it, the step
// an event highlights, the words for resizes and rehash steps (every message they name exists in
// both languages), and the SCAN walk: the command, its reply, and the buckets behind it — run on a
// real engine connection, in another database too.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import { dictSnapshot, type DictSnapshot } from '../../../src/engine/trace/dict.ts';
import type { DictRehashTraceEvent, DictResizeTraceEvent } from '../../../src/engine/trace/dictTrace.ts';
import type { TraceEvent } from '../../../src/engine/trace/events.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import { dict as messages } from '../../../src/ui/i18n/messages/dict.ts';
import {
  cursorBits, describeEvent, describeResize, dictTarget, parseScanReply, relevantTo, scanCalls, scanCommand, stepOf,
  touchedBuckets, visitedBuckets, windowAround, type Phrase,
} from '../../../src/ui/panels/dict/model.ts';
import { canRunScan, runInDb } from '../../../src/ui/panels/dict/scanRunner.ts';
import type { ConnectionHandlers, EngineConnection } from '../../../src/ui/engine/engineConnection.ts';

const resize = (over: Partial<DictResizeTraceEvent>): DictResizeTraceEvent => ({
  kind: 'dict-resize', at: 0, dict: { kind: 'keyspace', db: 0 }, reason: 'grow', fn: '_dictExpandIfNeeded',
  asked: 5, from: 4, to: 8, used: 4, rehash: true, ...over,
});
const rehash = (over: Partial<DictRehashTraceEvent>): DictRehashTraceEvent => ({
  kind: 'dict-rehash', at: 0, dict: { kind: 'keyspace', db: 0 }, trigger: 'find', fn: '_dictRehashStep', n: 1,
  from: 0, next: 1, size0: 4, size1: 8, buckets: [{ index: 0, entries: 2, to: [0, 4] }], bucketCount: 1, moved: 2,
  emptyVisited: 0, finished: false, ...over,
});

/** Looks a dotted message key up in one language's messages. */
function lookup(tree: unknown, key: string): unknown {
  return key.split('.').slice(1).reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
}

function expectMessagesExist(phrases: Phrase[]): void {
  for (const lang of ['en', 'zh'] as const) {
    for (const p of phrases) {
      expect(typeof lookup(messages[lang], p.key), `${lang} ${p.key}`).toBe('string');
      for (const v of [p.values.trigger, p.values.reason]) {
        if (typeof v === 'string') expect(typeof lookup(messages[lang], v), `${lang} ${v}`).toBe('string');
      }
    }
  }
}

describe('what the panel reads and listens to', () => {
  it('the target: a db\'s keyspace or expires, or the focused key', () => {
    expect(dictTarget('keyspace', 3, null)).toEqual({ kind: 'keyspace', db: 3 });
    expect(dictTarget('expires', 0, { db: 2, key: 'k' })).toEqual({ kind: 'expires', db: 0 });
    expect(dictTarget('key', 0, { db: 2, key: 'k' })).toEqual({ kind: 'key', db: 2, key: 'k' });
    expect(dictTarget('key', 0, null)).toBeNull();
  });

  it('events of this dict, commands and keyspace events of its db are relevant; other dicts are not', () => {
    const ks = relevantTo({ kind: 'keyspace', db: 0 });
    const key = relevantTo({ kind: 'key', db: 0, key: 'h' });
    expect(ks(rehash({}))).toBe(true);
    expect(ks(rehash({ dict: { kind: 'keyspace', db: 1 } }))).toBe(false);
    expect(ks(rehash({ dict: { kind: 'expires', db: 0 } }))).toBe(false);
    expect(ks(rehash({ dict: null }))).toBe(false);
    expect(key(resize({ dict: { kind: 'key', db: 0, key: 'h' } }))).toBe(true);
    expect(key(resize({ dict: { kind: 'key', db: 0, key: 'other' } }))).toBe(false);
    const ev = (db: number, k: string): TraceEvent => ({ kind: 'keyspace', at: 0, type: 1, event: 'del', key: k, db });
    expect(ks(ev(0, 'x'))).toBe(true);
    expect(ks(ev(1, 'x'))).toBe(false);
    expect(key(ev(0, 'x'))).toBe(false);
    expect(key(ev(0, 'h'))).toBe(true);
    expect(relevantTo(null)(rehash({}))).toBe(false);
  });
});

describe('steps and words', () => {
  it('each event lights its step of the list', () => {
    expect(stepOf(resize({ reason: 'grow' }))).toBe('expand');
    expect(stepOf(resize({ reason: 'init' }))).toBe('expand');
    expect(stepOf(resize({ reason: 'expand' }))).toBe('expand');
    expect(stepOf(resize({ reason: 'shrink' }))).toBe('shrink');
    expect(stepOf(rehash({ trigger: 'add' }))).toBe('step');
    expect(stepOf(rehash({ trigger: 'cron', fn: 'incrementallyRehash' }))).toBe('cron');
    expect(stepOf(rehash({ finished: true, next: -1 }))).toBe('done');
  });

  it('a resize says why, with the load factor or fill that decided it', () => {
    const grow = describeResize(resize({}));
    expect(grow[0]).toEqual({ key: 'dict.resize.grow', values: expect.objectContaining({ from: 4, to: 8, used: 4, lf: '1.00' }) });
    expect(grow[1]).toEqual({ key: 'dict.resize.by', values: { fn: '_dictExpandIfNeeded' } });
    expect(grow[2].key).toBe('dict.resize.rehash');
    const shrink = describeResize(resize({ reason: 'shrink', fn: 'tryResizeHashTables', from: 1024, to: 128, used: 102 }));
    expect(shrink[0].values).toMatchObject({ percent: '9.96' });
    const all = (['init', 'grow', 'forced-grow', 'shrink', 'fit', 'expand'] as const).flatMap((reason) => describeResize(resize({ reason, rehash: reason !== 'init' })));
    expectMessagesExist(all);
  });

  it('a rehash step names the bucket, its entries and where they went; batches are summed up', () => {
    expect(describeEvent(rehash({}))).toEqual([{
      key: 'dict.log.one', values: { fn: '_dictRehashStep', trigger: 'dict.log.triggers.find', from: 0, next: 1, index: 0, entries: 2, to: '0, 4' },
    }]);
    const batch = rehash({ trigger: 'cron', fn: 'incrementallyRehash', n: 100, from: 0, next: -1, bucketCount: 60, moved: 90, finished: true });
    expect(describeEvent(batch).map((p) => p.key)).toEqual(['dict.log.many', 'dict.log.finished']);
    expect(describeEvent(rehash({ buckets: [], bucketCount: 0, emptyVisited: 10, next: 10 }))[0].key).toBe('dict.log.skipped');
    expect(describeEvent(rehash({ buckets: [{ index: 3, entries: 20, to: [1, 2] }] }))[0].values.to).toBe('1, 2, …');
    const triggers = (['find', 'add', 'delete', 'random', 'sample', 'cron', 'rehash'] as const).flatMap((trigger) => describeEvent(rehash({ trigger })));
    expectMessagesExist([...triggers, ...describeEvent(batch), ...describeEvent(resize({}))]);
  });

  it('the buckets to flash: moved out of ht[0], received in ht[1]', () => {
    const { moved, received } = touchedBuckets([
      rehash({ buckets: [{ index: 2, entries: 2, to: [2, 6] }] }),
      rehash({ buckets: [{ index: 3, entries: 1, to: [7] }] }),
      resize({}),
    ]);
    expect([...moved]).toEqual([2, 3]);
    expect([...received]).toEqual([2, 6, 7]);
  });

  it('a window around a bucket stays inside the table', () => {
    expect(windowAround(100, 1024, 32)).toBe(92);
    expect(windowAround(3, 1024, 32)).toBe(0);
    expect(windowAround(1020, 1024, 32)).toBe(992);
    expect(windowAround(5, 8, 32)).toBe(0);
  });
});

/** An engine stand-in whose connections are clients of an in-process server. */
function connector(h: EngineHarness) {
  return {
    connect(handlers: ConnectionHandlers): EngineConnection {
      const client = h.server.connect({
        write: (data: string) => handlers.data(Uint8Array.from(data, (ch) => ch.charCodeAt(0))),
        close: () => handlers.closed(),
      });
      return {
        ready: Promise.resolve(null),
        send: (bytes) => client.feed(bytes),
        close: () => h.server.disconnect(client),
      };
    },
  };
}

describe('the SCAN walk', () => {
  it('the command: SCAN for the keyspace, HSCAN/SSCAN/ZSCAN for a key, none for expires', () => {
    expect(scanCommand({ kind: 'keyspace', db: 0 }, null, '0', 2)).toEqual(['SCAN', '0', 'COUNT', '2']);
    expect(scanCommand({ kind: 'key', db: 0, key: 'h' }, 'hash', '5', 1)).toEqual(['HSCAN', 'h', '5', 'COUNT', '1']);
    expect(scanCommand({ kind: 'key', db: 0, key: 's' }, 'set', '5', 1)?.[0]).toBe('SSCAN');
    expect(scanCommand({ kind: 'key', db: 0, key: 'z' }, 'zset', '5', 1)?.[0]).toBe('ZSCAN');
    expect(scanCommand({ kind: 'expires', db: 0 }, null, '0', 1)).toBeNull();
    expect(scanCommand({ kind: 'key', db: 0, key: 'l' }, 'list', '0', 1)).toBeNull();
  });

  it('cursor bits and the visiting order of the last SCAN', () => {
    expect(cursorBits(4, 3)).toBe('100');
    expect(cursorBits(1, 4)).toBe('0001');
    expect(cursorBits(13, 2)).toBe('01');
    const [ht0, ht1] = visitedBuckets({ from: '0', next: '2', count: 3, calls: [
      { cursor: 0, visits: [{ table: 0, index: 0 }, { table: 1, index: 0 }, { table: 1, index: 4 }] },
      { cursor: 4, visits: [{ table: 0, index: 0 }, { table: 1, index: 2 }] },
    ] });
    expect([...ht0]).toEqual([[0, 1]]);
    expect([...ht1]).toEqual([[0, 2], [4, 3], [2, 4]]);
  });

  it('runs on its own connection in the panel\'s db; the buckets it names hold exactly the keys returned', async () => {
    const h = new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
    h.raw('SELECT', '2');
    h.raw('DEBUG', 'POPULATE', '40');
    h.raw('SELECT', '0');
    h.raw('SET', 'only-in-db0', 'x');
    const engine = connector(h);
    expect(canRunScan(engine)).toBe(true);
    expect(canRunScan({})).toBe(false);
    const snap: DictSnapshot = dictSnapshot(h.server, { kind: 'dict', target: { kind: 'keyspace', db: 2 }, maxBuckets: 1024 });
    let cursor = '0';
    const seen = new Set<string>();
    do {
      const reply = await runInDb(engine, 2, ['SCAN', cursor, 'COUNT', '3']);
      const { next, count } = parseScanReply(reply, 1);
      const keys = reply.kind === 'array' && reply.items[1].kind === 'array' ? reply.items[1].items.map((i) => (i.kind === 'bulk' ? i.text : '')) : [];
      expect(keys).toHaveLength(count);
      const calls = scanCalls(snap, cursor, next);
      expect(calls[0].cursor).toBe(Number(cursor));
      expect(keys).toEqual(calls.flatMap((c) => c.visits.flatMap((v) => snap.tables[v.table]!.buckets[v.index].keys)));
      for (const k of keys) seen.add(k);
      cursor = next;
    } while (cursor !== '0');
    expect(seen.size).toBe(40);
    expect(seen.has('only-in-db0')).toBe(false);
    await expect(runInDb(engine, 99, ['SCAN', '0'])).rejects.toThrow('DB index is out of range');
    expect(() => parseScanReply({ kind: 'error', text: 'ERR invalid cursor' }, 1)).toThrow('invalid cursor');
  });

  it('an HSCAN reply counts field/value pairs once', () => {
    expect(parseScanReply({ kind: 'array', items: [{ kind: 'bulk', text: '6' }, { kind: 'array', items: [
      { kind: 'bulk', text: 'f' }, { kind: 'bulk', text: 'v' }, { kind: 'bulk', text: 'g' }, { kind: 'bulk', text: 'w' },
    ] }] }, 2)).toEqual({ next: '6', count: 2 });
  });
});

describe('events from the engine reach the panel\'s filters', () => {
  it('a hash key\'s conversion and growth are events of that key', () => {
    const h = new EngineHarness();
    const rec = new TraceRecorder(10000);
    h.server.trace = rec;
    h.raw('CONFIG', 'SET', 'hash-max-listpack-entries', '2');
    h.raw('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    for (let i = 0; i < 10; i++) h.raw('HSET', 'h', `f${i}`, 'v');
    const events = rec.take().events;
    const mine = events.filter(relevantTo({ kind: 'key', db: 0, key: 'h' })).filter((e) => e.kind === 'dict-resize');
    expect(mine.map((e) => (e as DictResizeTraceEvent).reason)).toEqual(['expand', 'grow', 'grow']);
    expect(events.filter(relevantTo({ kind: 'key', db: 0, key: 'other' })).filter((e) => e.kind !== 'command')).toEqual([]);
  });
});

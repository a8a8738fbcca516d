// The worker's side of snapshot queries and the event stream: a query is answered from the world's
// state without changing it; events flow only while asked for, one message per flush, bounded in a
// burst, and follow the world when it is replaced.
import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../../src/ui/engine/engineConnection.ts';
import { EngineHost, EVENTS_PER_KIND } from '../../src/worker/engineHost.ts';
import { PROTOCOL_VERSION, versioned, type FromWorker, type ToWorkerBody } from '../../src/worker/protocol.ts';
import type { KeyspaceSnapshot } from '../../src/engine/trace/keyspace.ts';
import { World } from '../../src/engine/sim/world.ts';

function setup() {
  const out: FromWorker[] = [];
  const deferred: (() => void)[] = [];
  const host = new EngineHost((m) => out.push(m), { seed: 1, startTime: 1_700_000_000_000, defer: (fn) => deferred.push(fn) });
  const send = (body: ToWorkerBody) => host.handle(versioned(body));
  const cmd = (clientId: string, ...argv: string[]) => send({ type: 'send', clientId, bytes: encodeCommand(argv) });
  /** Every message since the last call except client data. */
  const take = () => {
    for (const fn of deferred.splice(0)) fn();
    return out.splice(0).filter((m) => m.type !== 'data');
  };
  const eventsOf = (messages: FromWorker[]) => messages.filter((m) => m.type === 'events');
  /** An events message with only the keyspace and command events (the internals' events are tested with their panels). */
  const coreOf = (m: FromWorker) => (m.type === 'events' ? { ...m, events: m.events.filter((e) => e.kind === 'keyspace' || e.kind === 'command') } : m);
  send({ type: 'connect', clientId: 'a' });
  take();
  return { host, send, cmd, take, eventsOf, coreOf };
}

describe('snapshot queries', () => {
  it('a keyspace query is answered with its id, from the state the commands made', () => {
    const { host, send, cmd, take } = setup();
    cmd('a', 'RPUSH', 'l', 'x', 'y');
    cmd('a', 'SET', 'n', '10', 'EX', '100');
    cmd('a', 'SELECT', '2');
    cmd('a', 'HSET', 'h', 'f', 'v');
    take();
    send({ type: 'query', id: 41, query: { kind: 'keyspace', db: 0, limit: 10 } });
    const [answer] = take();
    expect(answer).toMatchObject({ v: PROTOCOL_VERSION, type: 'snapshot', id: 41 });
    const snap = (answer as { result: KeyspaceSnapshot }).result;
    expect(snap.now).toBe(host.world.now);
    expect(snap.keys).toEqual([
      { key: 'l', type: 'list', encoding: 'quicklist', ttl: null, length: 2, size: expect.any(Number) },
      { key: 'n', type: 'string', encoding: 'int', ttl: 100_000, length: 2, size: expect.any(Number) },
    ]);
    expect(snap.dbs.slice(0, 3).map((d) => d.keys)).toEqual([2, 0, 1]);
  });

  it('a query leaves the stats alone; a bad one gets an error result', () => {
    const { host, send, cmd, take } = setup();
    cmd('a', 'SET', 'k', 'v');
    take();
    const before = { hits: host.server.stats.keyspaceHits, misses: host.server.stats.keyspaceMisses, cmds: host.server.stats.totalCommandsProcessed };
    send({ type: 'query', id: 1, query: { kind: 'keyspace', db: 0, limit: 10 } });
    send({ type: 'query', id: 2, query: { kind: 'keyspace', db: 99, limit: 10 } });
    const answers = take();
    expect((answers[0] as { result: KeyspaceSnapshot }).result.keys.map((k) => k.key)).toEqual(['k']);
    expect(answers[1]).toEqual({ v: PROTOCOL_VERSION, type: 'snapshot', id: 2, result: { kind: 'error', message: 'DB index is out of range' } });
    expect({ hits: host.server.stats.keyspaceHits, misses: host.server.stats.keyspaceMisses, cmds: host.server.stats.totalCommandsProcessed }).toEqual(before);
  });
});

describe('the event stream', () => {
  it('is off until asked for: no events, no sink on the server', () => {
    const { host, cmd, take, eventsOf } = setup();
    cmd('a', 'SET', 'k', 'v');
    expect(eventsOf(take())).toEqual([]);
    expect(host.server.trace).toBeNull();
  });

  it('while on, each flush posts what happened as one message: keyspace events, then the command', () => {
    const { host, send, cmd, take, eventsOf, coreOf } = setup();
    send({ type: 'trace', enabled: true });
    expect(take()).toEqual([]);
    cmd('a', 'SET', 'k', 'v');
    const [m] = eventsOf(take());
    expect(coreOf(m)).toEqual({
      v: PROTOCOL_VERSION, type: 'events', dropped: {}, resync: false,
      events: [
        { kind: 'keyspace', at: host.world.now, type: expect.any(Number), event: 'new', key: 'k', db: 0 },
        { kind: 'keyspace', at: host.world.now, type: expect.any(Number), event: 'set', key: 'k', db: 0 },
        expect.objectContaining({ kind: 'command', name: 'set', keys: ['k'], db: 0, failed: false }),
      ],
    });
    // A pipeline is one message; nothing happening is no message.
    send({ type: 'send', clientId: 'a', bytes: new Uint8Array([...encodeCommand(['INCR', 'n']), ...encodeCommand(['DEL', 'n'])]) });
    const batches = eventsOf(take());
    expect(batches).toHaveLength(1);
    expect((coreOf(batches[0]) as { events: { kind: string; event?: string; name?: string }[] }).events.map((e) => e.event ?? e.name))
      .toEqual(['new', 'incrby', 'incr', 'del', 'del']);
    host.advance(10);
    expect(eventsOf(take())).toEqual([]);
  });

  it('the active expire cycle reports when virtual time passes', () => {
    const { host, send, cmd, take, eventsOf } = setup();
    send({ type: 'trace', enabled: true });
    cmd('a', 'SET', 'k', 'v', 'PX', '50');
    take();
    host.advance(1000);
    const events = eventsOf(take()).flatMap((m) => (m as { events: { kind: string; event?: string; key?: string }[] }).events);
    // The key's 'expired' event, then the cycle that deleted it (later cycles meet no TTL: silent).
    expect(events).toEqual([
      expect.objectContaining({ kind: 'keyspace', event: 'expired', key: 'k' }),
      expect.objectContaining({ kind: 'expire-cycle', type: 'slow', expired: 1 }),
    ]);
  });

  it('DEBUG POPULATE 100000 is one bounded message, with the rest counted', () => {
    const { send, cmd, take, eventsOf } = setup();
    send({ type: 'trace', enabled: true });
    cmd('a', 'DEBUG', 'POPULATE', '100000');
    const batches = eventsOf(take());
    expect(batches).toHaveLength(1);
    const m = batches[0] as { events: { kind: string; name?: string }[]; dropped: Record<string, number> };
    expect(m.events.filter((e) => e.kind === 'keyspace')).toHaveLength(EVENTS_PER_KIND);
    expect(m.dropped).toEqual({ keyspace: 100_000 - EVENTS_PER_KIND });
    expect(m.events.at(-1)).toMatchObject({ kind: 'command', name: 'debug' });
  });

  it('stops when asked, and drops what was pending', () => {
    const { host, send, cmd, take, eventsOf } = setup();
    send({ type: 'trace', enabled: true });
    send({ type: 'trace', enabled: false });
    cmd('a', 'SET', 'k', 'v');
    expect(eventsOf(take())).toEqual([]);
    expect(host.server.trace).toBeNull();
  });

  it('follows the world when it is replaced, and says the old reads are stale', () => {
    const { host, send, take, eventsOf, coreOf } = setup();
    send({ type: 'trace', enabled: true });
    const old = host.server;
    const world = new World({ seed: 2, startTime: 1_700_000_000_000 });
    world.addServer('main', { port: 6379 });
    host.replaceWorld(world);
    host.flush();
    expect(old.trace).toBeNull();
    expect(host.server.trace).not.toBeNull();
    expect(eventsOf(take())).toEqual([{ v: PROTOCOL_VERSION, type: 'events', events: [], dropped: {}, resync: true }]);
    send({ type: 'connect', clientId: 'b' });
    send({ type: 'send', clientId: 'b', bytes: encodeCommand(['SET', 'x', '1']) });
    const [m] = eventsOf(take());
    expect(coreOf(m)).toMatchObject({ resync: false, events: [{ event: 'new', key: 'x' }, { event: 'set' }, { name: 'set' }] });
  });
});

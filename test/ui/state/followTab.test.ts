// Following the terminal with the tabs (state/followTab.ts): the rule table row by row, and the
// follower over a real engine: each command's trace events (as the worker streams them) pick the
// panel for the key as it really is (type and encoding read from the encoding snapshot).
import { afterEach, describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import type { EncodingQuery, EncodingSnapshot } from '../../../src/engine/trace/encoding.ts';
import type { EventBatch } from '../../../src/ui/engine/engineConnection.ts';
import {
  FOLLOW_RULES, followedCommand, panelAreaTarget, panelFor, TabFollower, type FollowEngine, type FollowFacts, type FollowRule,
} from '../../../src/ui/state/followTab.ts';
import { usePanels } from '../../../src/ui/state/panels.ts';
import { useDictPanel } from '../../../src/ui/panels/dict/state.ts';
import type { Encoding, RedisType } from '../../../src/engine/server/object.ts';

const ALL = ['keyspace', 'encoding', 'skiplist', 'expiry', 'dict'];

/** Facts for a command; `type` (null: the key is gone) and `encoding` describe its key, none: keyless. */
function facts(p: Partial<Omit<FollowFacts, 'key'>> & { type?: RedisType | null; encoding?: Encoding | null }): FollowFacts {
  const { type, encoding, ...rest } = p;
  const key = type === undefined ? null : { db: 0, key: 'k', exists: type !== null, type, encoding: encoding ?? null };
  return { command: 'get', setTtl: false, keyspaceResized: null, ...rest, key };
}

describe('the rule table', () => {
  it('picks the panel for each kind of key, the first matching row winning', () => {
    const rule = (f: FollowFacts, available = ALL) => panelFor(f, available)?.id ?? null;
    expect(rule(facts({ type: 'string', encoding: 'embstr' }))).toBe('compact');
    expect(rule(facts({ type: 'list', encoding: 'quicklist' }))).toBe('compact');
    expect(rule(facts({ type: 'hash', encoding: 'listpack' }))).toBe('compact');
    expect(rule(facts({ type: 'set', encoding: 'intset' }))).toBe('compact');
    expect(rule(facts({ type: 'set', encoding: 'listpack' }))).toBe('compact');
    expect(rule(facts({ type: 'hash', encoding: 'hashtable' }))).toBe('hashtable');
    expect(rule(facts({ type: 'set', encoding: 'hashtable' }))).toBe('hashtable');
    expect(rule(facts({ type: 'zset', encoding: 'listpack' }))).toBe('zset');
    expect(rule(facts({ type: 'zset', encoding: 'skiplist' }))).toBe('zset');
    // TTL commands and commands that set a TTL come first, whatever the key's type.
    expect(rule(facts({ type: 'zset', encoding: 'skiplist', command: 'expire' }))).toBe('ttl');
    expect(rule(facts({ type: 'string', encoding: 'embstr', command: 'ttl' }))).toBe('ttl');
    expect(rule(facts({ type: 'string', encoding: 'embstr', command: 'set', setTtl: true }))).toBe('ttl');
    // A key that is gone (DEL, EXPIRE in the past, TTL of a missing key): stay.
    expect(rule(facts({ type: null, command: 'del' }))).toBeNull();
    expect(rule(facts({ type: null, command: 'expire' }))).toBeNull();
    // Keyless: only a keyspace resize moves the tab.
    expect(rule(facts({ command: 'debug', keyspaceResized: 3 }))).toBe('keyspace');
    expect(rule(facts({ command: 'ping' }))).toBeNull();
    expect(FOLLOW_RULES.map((r) => [r.id, r.panel])).toEqual([
      ['ttl', 'expiry'], ['zset', 'skiplist'], ['hashtable', 'dict'], ['compact', 'encoding'], ['keyspace', 'dict'],
    ]);
  });

  it('only switches to a tab that exists: the next matching row, or nothing', () => {
    const noExpiry = ALL.filter((p) => p !== 'expiry');
    expect(panelFor(facts({ type: 'zset', encoding: 'skiplist', command: 'expire' }), noExpiry)?.id).toBe('zset');
    expect(panelFor(facts({ type: 'string', encoding: 'int', command: 'expire' }), noExpiry)?.id).toBe('compact');
    expect(panelFor(facts({ type: 'string', encoding: 'int' }), ['keyspace'])).toBeNull();
    expect(panelFor(facts({ type: 'hash', encoding: 'hashtable' }), ['keyspace', 'encoding'])?.id).toBe('compact');
  });
});

// --- the follower over a real engine --------------------------------------------------------------

/** The engine as the panel area sees it: encoding queries answered from the server, batches fed by the test. */
class FakeEngine implements FollowEngine {
  queries: EncodingQuery[] = [];
  private listeners = new Set<(b: EventBatch) => void>();
  readonly sink = new TraceRecorder();
  constructor(readonly h: EngineHarness) { h.server.trace = this.sink; }
  async query(q: EncodingQuery): Promise<EncodingSnapshot> {
    this.queries.push(q);
    const r = runSnapshotQuery(this.h.server, q);
    if (r.kind === 'error') throw new Error(r.message);
    return r as EncodingSnapshot;
  }
  onEvents(fn: (b: EventBatch) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  /** Runs commands and returns what they traced as one batch (one animation frame's worth). */
  batch(...commands: string[][]): EventBatch {
    for (const argv of commands) this.h.raw(...argv);
    const { events, dropped } = this.sink.take();
    return { events, dropped, resync: false };
  }
}

function setup(available = ALL) {
  const h = new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
  const engine = new FakeEngine(h);
  const shown: { rule: FollowRule['id']; panel: string; facts: FollowFacts }[] = [];
  let enabled = true;
  const follower = new TabFollower(engine, {
    enabled: () => enabled,
    available: () => available,
    show: (rule, f) => { shown.push({ rule: rule.id, panel: rule.panel, facts: f }); },
  });
  /** Runs commands as one batch; the panel shown for it, or null. */
  const run = async (...commands: string[][]) => {
    const before = shown.length;
    await follower.onEvents(engine.batch(...commands));
    return shown.length > before ? shown[shown.length - 1].panel : null;
  };
  return { h, engine, follower, shown, run, setEnabled: (on: boolean) => { enabled = on; } };
}

describe('TabFollower', () => {
  it('shows the panel for the key each command touched, as the engine has it', async () => {
    const { run } = setup();
    expect(await run(['SET', 'greeting', 'hello'])).toBe('encoding');
    expect(await run(['ZADD', 'board', '1', 'ada'])).toBe('skiplist');
    expect(await run(['HSET', 'user', 'name', 'Ada'])).toBe('encoding');
    expect(await run(['SADD', 'ids', '1', '2'])).toBe('encoding');
    expect(await run(['RPUSH', 'queue', 'a'])).toBe('encoding');
    expect(await run(['EXPIRE', 'greeting', '100'])).toBe('expiry');
    expect(await run(['TTL', 'greeting'])).toBe('expiry');
    expect(await run(['GET', 'greeting'])).toBe('encoding');
    expect(await run(['SET', 'session', 'x', 'EX', '60'])).toBe('expiry');
    expect(await run(['SETEX', 'other', '60', 'x'])).toBe('expiry');
    expect(await run(['SET', 'plain', 'x'])).toBe('encoding');
    // A read of a sorted set, and a command on a key that does not exist.
    expect(await run(['ZRANK', 'board', 'ada'])).toBe('skiplist');
    expect(await run(['GET', 'nothing'])).toBeNull();
    expect(await run(['DEL', 'plain'])).toBeNull();
    // A failed command changes nothing; keyless commands neither, unless they resize a keyspace.
    expect(await run(['INCR', 'board'])).toBeNull();
    expect(await run(['PING'])).toBeNull();
    expect(await run(['DEBUG', 'POPULATE', '100'])).toBe('dict');
  });

  it('a hash or set leaving listpack/intset for a hash table switches to the dict panel, with the conversion', async () => {
    const { run, engine } = setup();
    await run(['CONFIG', 'SET', 'hash-max-listpack-entries', '2']);
    expect(await run(['HSET', 'h', 'a', '1', 'b', '2'])).toBe('encoding');
    const asked = engine.queries.length;
    expect(await run(['HSET', 'h', 'a', '3'])).toBe('encoding');
    expect(engine.queries.length).toBe(asked); // same key, nothing changed its kind: no new read
    expect(await run(['HSET', 'h', 'c', '3'])).toBe('dict');
    expect(engine.queries.length).toBe(asked + 1); // the conversion made it read again
    expect(await run(['SADD', 's', '1', '2'])).toBe('encoding');
    await run(['CONFIG', 'SET', 'set-max-intset-entries', '2']);
    expect(await run(['SADD', 's', '3'])).toBe('dict');
    // A key deleted and made again as another type is read again.
    expect(await run(['DEL', 'h'], ['ZADD', 'h', '1', 'm'])).toBe('skiplist');
  });

  it('follows the last command of a batch that named a key; a stream to one key reads it once', async () => {
    const { run, engine } = setup();
    expect(await run(['SET', 'a', '1'], ['ZADD', 'z', '1', 'x'], ['PING'])).toBe('skiplist');
    const asked = engine.queries.length;
    for (let i = 0; i < 20; i++) expect(await run(['ZADD', 'z', String(i), `m${i}`], ['ZADD', 'z', String(i), `n${i}`])).toBe('skiplist');
    expect(engine.queries.length).toBe(asked);
    // Commands inside a transaction: the key of the last one.
    expect(await run(['MULTI'], ['SET', 'a', '2'], ['ZADD', 'z', '5', 'y'], ['HSET', 'hh', 'f', 'v'], ['EXEC'])).toBe('encoding');
  });

  it('does nothing while following is off (or the focus pinned)', async () => {
    const { run, setEnabled, engine } = setup();
    setEnabled(false);
    expect(await run(['ZADD', 'z', '1', 'x'])).toBeNull();
    expect(engine.queries).toHaveLength(0);
    setEnabled(true);
    expect(await run(['ZADD', 'z', '2', 'y'])).toBe('skiplist');
  });

  it('only switches to tabs that exist', async () => {
    const { run } = setup(['keyspace', 'encoding']);
    // No skiplist or expiry tab: the next row that applies (the encoding panel shows any key).
    expect(await run(['ZADD', 'z', '1', 'x'])).toBe('encoding');
    expect(await run(['EXPIRE', 'z', '100'])).toBe('encoding');
    expect(await run(['SET', 's', 'v', 'EX', '10'])).toBe('encoding');
    const { run: runKeyspaceOnly } = setup(['keyspace']);
    expect(await runKeyspaceOnly(['SET', 's', 'v'])).toBeNull();
    expect(await runKeyspaceOnly(['DEBUG', 'POPULATE', '10'])).toBeNull();
  });

  it('followedCommand: the key, a TTL set by the command, a keyspace resize of a keyless one', () => {
    const { engine } = setup();
    expect(followedCommand(engine.batch(['SET', 'k', 'v', 'PX', '500']).events)).toMatchObject({ command: { name: 'set', keys: ['k'] }, setTtl: true });
    expect(followedCommand(engine.batch(['SET', 'k', 'v']).events)).toMatchObject({ setTtl: false });
    expect(followedCommand(engine.batch(['DEBUG', 'POPULATE', '10', 'x']).events)).toMatchObject({ command: { name: 'debug', keys: [] }, keyspaceResized: 0 });
    // HSET on a string fails: the SET before it is the one followed.
    expect(followedCommand(engine.batch(['SET', 'str', 'x'], ['HSET', 'str', 'f', 'v']).events)).toMatchObject({ command: { name: 'set', keys: ['str'] } });
    expect(followedCommand([])).toBeNull();
  });
});

describe('the panel area target', () => {
  afterEach(() => {
    usePanels.setState({ active: 'keyspace', followTab: true, pinned: false, focus: null });
    useDictPanel.setState({ mode: 'keyspace', db: 0 });
  });

  it('follows while the switch is on and the focus is not pinned; picking a tab turns it off', () => {
    const target = panelAreaTarget(() => ALL);
    expect(target.enabled()).toBe(true);
    usePanels.getState().setPinned(true);
    expect(target.enabled()).toBe(false);
    usePanels.getState().setPinned(false);
    usePanels.getState().pick('expiry');
    expect(usePanels.getState().active).toBe('expiry');
    expect(target.enabled()).toBe(false);
    usePanels.getState().setFollowTab(true);
    expect(target.enabled()).toBe(true);
    // A panel shown by the app (a lesson opening its panel) leaves following as it is.
    usePanels.getState().show('encoding');
    expect(target.enabled()).toBe(true);
  });

  it('shows the panel, and points the dict panel at the key or at the resized keyspace', () => {
    const target = panelAreaTarget(() => ALL);
    const rule = (id: string) => FOLLOW_RULES.find((r) => r.id === id)!;
    target.show(rule('zset'), facts({ type: 'zset', encoding: 'skiplist' }));
    expect(usePanels.getState().active).toBe('skiplist');
    target.show(rule('hashtable'), facts({ type: 'hash', encoding: 'hashtable' }));
    expect(usePanels.getState().active).toBe('dict');
    expect(useDictPanel.getState().mode).toBe('key');
    target.show(rule('keyspace'), facts({ command: 'debug', keyspaceResized: 2 }));
    expect(useDictPanel.getState()).toMatchObject({ mode: 'keyspace', db: 2 });
    expect(usePanels.getState().followTab).toBe(true);
  });
});

// Following the terminal with the tabs: a command that touches a key shows the panel that explains
// that key (issue 5, item 8), as the focused key already follows it (state/panels.ts). The rule is
// one small table, FOLLOW_RULES, read top to bottom; the first row that matches and whose tab
// exists wins. The panel area says it in words beside its "Follow the terminal" switch.
//
// It switches only while following is on (the default) and the focus is not pinned. Picking a tab
// by hand turns following off (state/panels.ts `pick`), so a tab the learner chose stays until they
// turn following on again: predictable, and said next to the switch.
//
// What a key is (type, encoding, does it exist) comes from the encoding snapshot, which only reads
// (trace/encoding.ts); it is asked again only when the command names another key or the events say
// the key may have changed kind (a conversion, a new or deleted value), so a stream of ZADDs to one
// key costs one query, not one per command.
import type { Encoding, RedisType } from '../../engine/server/object.ts';
import type { EncodingQuery, EncodingSnapshot } from '../../engine/trace/encoding.ts';
import type { CommandTraceEvent, TraceEvent } from '../../engine/trace/events.ts';
import type { EventBatch } from '../engine/engineConnection.ts';
import { useDictPanel } from '../panels/dict/state.ts';
import { usePanels } from './panels.ts';

/** What the rules look at, for the last command of a batch that the panels follow. */
export interface FollowFacts {
  /** The command's full name, lowercase ('expire', 'debug', 'client|list'). */
  command: string;
  /** The key it named first (the focused key), as it is after the command; null for a keyless command. */
  key: { db: number; key: string; exists: boolean; type: RedisType | null; encoding: Encoding | null } | null;
  /** The command set the key's TTL (an 'expire' keyspace event: EXPIRE, SET EX, SETEX, GETEX PX ...). */
  setTtl: boolean;
  /** A keyless command resized a database's keyspace dict (DEBUG POPULATE): that db, else null. */
  keyspaceResized: number | null;
}

export type FollowRuleId = 'ttl' | 'zset' | 'hashtable' | 'compact' | 'keyspace';

export interface FollowRule {
  id: FollowRuleId;
  /** The panel's id in panels/registry.ts. */
  panel: string;
  matches(f: FollowFacts): boolean;
}

/** Commands about a key's time to live. */
export const TTL_COMMANDS: ReadonlySet<string> = new Set([
  'expire', 'pexpire', 'expireat', 'pexpireat', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'persist',
]);

/** The rule table, first match wins (the area's `follow.rules.<id>` messages say each row in words). */
export const FOLLOW_RULES: readonly FollowRule[] = [
  // A TTL command, or a command that just set a TTL: the expiry panel (the key must still exist).
  { id: 'ttl', panel: 'expiry', matches: (f) => !!f.key?.exists && (TTL_COMMANDS.has(f.command) || f.setTtl) },
  // Any sorted set: the skiplist panel (it also shows a small one's listpack and when it converts).
  { id: 'zset', panel: 'skiplist', matches: (f) => f.key?.type === 'zset' },
  // A hash or set kept in a hash table: the dict panel, on that key.
  { id: 'hashtable', panel: 'dict', matches: (f) => (f.key?.type === 'hash' || f.key?.type === 'set') && f.key.encoding === 'hashtable' },
  // Everything else that exists (strings, lists, listpack hashes, intset/listpack sets): its bytes.
  { id: 'compact', panel: 'encoding', matches: (f) => !!f.key?.exists },
  // A keyless command that resized a keyspace's table (DEBUG POPULATE): the dict panel on that keyspace.
  { id: 'keyspace', panel: 'dict', matches: (f) => f.key === null && f.keyspaceResized !== null },
];

/** The panel to show for `facts`: the first rule that matches and whose tab exists; null: stay. */
export function panelFor(facts: FollowFacts, available: readonly string[]): FollowRule | null {
  for (const rule of FOLLOW_RULES) {
    if (rule.matches(facts) && available.includes(rule.panel)) return rule;
  }
  return null;
}

/** Keyspace events after which a key may be of another type or encoding than last read. */
const KIND_CHANGES: ReadonlySet<string> = new Set(['new', 'del', 'expired', 'evicted', 'rename_to', 'move_to', 'restore', 'copy_to']);

/** The command a batch's tab decision is about, with the events that belong to it. */
export interface FollowedCommand {
  command: CommandTraceEvent;
  setTtl: boolean;
  keyspaceResized: number | null;
  /** The batch may have changed the key's type or encoding. */
  kindChanged: boolean;
}

/**
 * The command in `events` the panels follow: the last one (not failed) that names a key, as
 * state/panels.ts `follow` picks the focus, else the last keyless one; and what its own events
 * (those since the command before it) say about it.
 */
export function followedCommand(events: readonly TraceEvent[]): FollowedCommand | null {
  let end = -1;
  let keyless = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.kind !== 'command' || e.failed) continue;
    if (e.keys.length > 0) { end = i; break; }
    if (keyless < 0) keyless = i;
  }
  if (end < 0) end = keyless;
  if (end < 0) return null;
  const command = events[end] as CommandTraceEvent;
  const key = command.keys[0];
  let setTtl = false;
  let keyspaceResized: number | null = null;
  let kindChanged = false;
  // The command's own events come right before it (after the previous command's event).
  for (let i = end - 1; i >= 0; i--) {
    const e = events[i];
    if (e.kind === 'command') break;
    if (key !== undefined) {
      if (e.kind === 'keyspace' && e.db === command.db && e.key === key) {
        if (e.event === 'expire') setTtl = true;
        if (KIND_CHANGES.has(e.event)) kindChanged = true;
      } else if (e.kind === 'encoding' && e.db === command.db && e.key === key) {
        kindChanged = true;
      }
    } else if (e.kind === 'dict-resize' && e.dict?.kind === 'keyspace') {
      keyspaceResized = e.dict.db;
    }
  }
  // Conversions and new values of the key anywhere in the batch (an earlier command's) count too.
  if (key !== undefined && !kindChanged) {
    kindChanged = events.some((e) => (e.kind === 'encoding' || (e.kind === 'keyspace' && KIND_CHANGES.has(e.event)))
      && e.db === command.db && e.key === key);
  }
  return { command, setTtl, keyspaceResized, kindChanged };
}

/** What the follower needs of the engine (EngineWorker has it). */
export interface FollowEngine {
  query(query: EncodingQuery): Promise<EncodingSnapshot>;
  onEvents(fn: (batch: EventBatch) => void): () => void;
}

/** Where decisions go: whether to follow now, which tabs exist, and showing one. */
export interface FollowTarget {
  /** Following is on and the focus is not pinned. */
  enabled(): boolean;
  available(): readonly string[];
  show(rule: FollowRule, facts: FollowFacts): void;
}

type KeyFacts = NonNullable<FollowFacts['key']>;

/** Watches the event stream and shows the panel FOLLOW_RULES picks for each followed command. */
export class TabFollower {
  private unsubscribe: (() => void) | null = null;
  /** The last key read, and what it was. */
  private known: KeyFacts | null = null;
  /** Increases with each decision: an answer for an older one is dropped. */
  private seq = 0;

  constructor(private readonly engine: FollowEngine, private readonly target: FollowTarget) {}

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.engine.onEvents((b) => { void this.onEvents(b); });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.seq++;
  }

  /** Decides for one batch; resolves once the decision is applied (tests wait on it). */
  async onEvents(batch: EventBatch): Promise<void> {
    if (batch.resync) this.known = null;
    if (!this.target.enabled()) return;
    const followed = followedCommand(batch.events);
    if (!followed) return;
    const seq = ++this.seq;
    const { command } = followed;
    let key: KeyFacts | null = null;
    if (command.keys.length > 0) {
      const db = command.db;
      const name = command.keys[0];
      const known = this.known;
      if (known && known.db === db && known.key === name && !followed.kindChanged) {
        key = known;
      } else {
        try {
          const s = await this.engine.query({ kind: 'encoding', db, key: name, limit: 2 });
          key = { db, key: name, exists: s.exists, type: s.type, encoding: s.encoding };
        } catch {
          return;
        }
        if (seq !== this.seq) return;
        this.known = key;
      }
    }
    const facts: FollowFacts = { command: command.name, key, setTtl: followed.setTtl, keyspaceResized: followed.keyspaceResized };
    const rule = panelFor(facts, this.target.available());
    if (rule && this.target.enabled()) this.target.show(rule, facts);
  }
}

/**
 * The panel area's target: follows while `followTab` is on and the focus is not pinned; shows the
 * rule's panel, pointing the dict panel at the focused key or at the resized keyspace.
 */
export function panelAreaTarget(available: () => readonly string[]): FollowTarget {
  return {
    enabled: () => {
      const s = usePanels.getState();
      return s.followTab && !s.pinned;
    },
    available,
    show: (rule, facts) => {
      if (rule.panel === 'dict') {
        const dict = useDictPanel.getState();
        if (rule.id === 'hashtable' && dict.mode !== 'key') dict.setMode('key');
        if (rule.id === 'keyspace' && facts.keyspaceResized !== null) {
          if (dict.mode !== 'keyspace') dict.setMode('keyspace');
          if (dict.db !== facts.keyspaceResized) dict.setDb(facts.keyspaceResized);
        }
      }
      const panels = usePanels.getState();
      if (panels.active !== rule.panel) panels.show(rule.panel);
    },
  };
}

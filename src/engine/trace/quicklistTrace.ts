// Trace events from a list's quicklist (quicklist.c): nodes created on a push or an insert, split by
// _quicklistSplitNode, joined by _quicklistListpackMerge, deleted by __quicklistDelNode, and
// compressed or decompressed as list-compress-depth asks (or for a moment, to be read).
//
// The quicklist (ds/quicklist.ts) knows nothing of servers or keys: every quicklist of a server
// shares its QuicklistSettings, whose observer is this server's QuicklistTracer. While nobody
// listens (`server.trace` null) the quicklist builds no report. While someone does, the tracer
// names the key holding the list — the key it was last seen under if that still holds it, else
// one of the running command's keys whose value it is — and emits. A list that no key holds yet (a
// value being built by SORT ... STORE, RESTORE, COPY, an RDB load) is not reported: no key's list
// changed.
import type { Quicklist, QuicklistChange, QuicklistNodeState, QuicklistObserver } from '../ds/quicklist.ts';
import { getKeysFromCommand } from '../server/keySpecs.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { SideTable } from '../sideTable.ts';

interface QuicklistEventBase {
  at: number;
  db: number;
  key: string;
}

/** A node came, went, was split or merged (or relinked as the head by a rotation). */
export type QuicklistNodeTraceEvent = QuicklistEventBase & { kind: 'quicklistNode' } & (
  | { op: 'create'; fn: 'quicklistCreateNode' | '__quicklistCreatePlainNode'; caller: string; node: QuicklistNodeState }
  | { op: 'split'; fn: '_quicklistSplitNode'; caller: '_quicklistInsert'; node: QuicklistNodeState; newNode: QuicklistNodeState; offset: number; after: boolean; before: { count: number; bytes: number } }
  | { op: 'merge'; fn: '_quicklistListpackMerge'; caller: '_quicklistMergeNodes'; a: QuicklistNodeState; b: QuicklistNodeState; kept: QuicklistNodeState; droppedId: number }
  | { op: 'delete'; fn: '__quicklistDelNode'; caller: string; node: QuicklistNodeState }
  | { op: 'move'; fn: 'quicklistRotatePlain'; caller: 'quicklistRotate'; node: QuicklistNodeState; from: number }
);

/**
 * A node was LZF-compressed (__quicklistCompressNode; `node.compressedBytes` is the LZF data) or
 * decompressed (__quicklistDecompressNode; `compressedBytes` is what it held). `caller`: who asked
 * (__quicklistCompress keeping the depth, a read decompressing for use and recompressing after,
 * _quicklistListpackMerge).
 */
export type QuicklistCompressTraceEvent = QuicklistEventBase & {
  kind: 'quicklistCompress';
  caller: string;
  node: QuicklistNodeState;
} & (
  | { op: 'compress'; fn: '__quicklistCompressNode' }
  | { op: 'decompress'; fn: '__quicklistDecompressNode'; compressedBytes: number }
);

export type QuicklistTraceEvent = QuicklistNodeTraceEvent | QuicklistCompressTraceEvent;

/** Builds the event for a change (db, key and time given). */
export function quicklistEvent(change: QuicklistChange, base: QuicklistEventBase): QuicklistTraceEvent {
  switch (change.op) {
    case 'create':
      return {
        kind: 'quicklistNode', ...base, op: 'create', fn: change.node.container === 'plain' ? '__quicklistCreatePlainNode' : 'quicklistCreateNode',
        caller: change.caller, node: change.node,
      };
    case 'split':
      return {
        kind: 'quicklistNode', ...base, op: 'split', fn: '_quicklistSplitNode', caller: '_quicklistInsert', node: change.node,
        newNode: change.newNode, offset: change.offset, after: change.after, before: change.before,
      };
    case 'merge':
      return {
        kind: 'quicklistNode', ...base, op: 'merge', fn: '_quicklistListpackMerge', caller: '_quicklistMergeNodes', a: change.a,
        b: change.b, kept: change.kept, droppedId: change.droppedId,
      };
    case 'delete':
      return { kind: 'quicklistNode', ...base, op: 'delete', fn: '__quicklistDelNode', caller: change.caller, node: change.node };
    case 'move':
      return { kind: 'quicklistNode', ...base, op: 'move', fn: 'quicklistRotatePlain', caller: 'quicklistRotate', node: change.node, from: change.from };
    case 'compress':
      return { kind: 'quicklistCompress', ...base, op: 'compress', fn: '__quicklistCompressNode', caller: change.caller, node: change.node };
    case 'decompress':
      return {
        kind: 'quicklistCompress', ...base, op: 'decompress', fn: '__quicklistDecompressNode', caller: change.caller, node: change.node,
        compressedBytes: change.compressedBytes,
      };
  }
}

/** Names a server's lists and emits what their quicklists report. */
export class QuicklistTracer implements QuicklistObserver {
  /** The key each list was last named under (checked again before it is used). */
  private readonly lastName = new SideTable<Quicklist, { db: number; key: string }>('quicklistTrace.lastName');

  constructor(private readonly server: RedisServer) {}

  get active(): boolean { return this.server.trace !== null; }

  /** The db and key holding `ql` now, or null. */
  resolve(ql: Quicklist): { db: number; key: string } | null {
    const server = this.server;
    // The last name found is checked first: a command's reports usually concern one list.
    const last = this.lastName.get(ql);
    if (last && server.dbs[last.db]?.dict.peek(last.key)?.value === ql) return last;
    const c = server.tracking.currentClient;
    if (c && c.cmd) {
      const dict = c.db.dict;
      for (const r of getKeysFromCommand(c.cmd, c.argv)) {
        const key = c.argv[r.pos];
        if (dict.peek(key)?.value === ql) {
          const name = { db: c.db.id, key };
          this.lastName.set(ql, name);
          return name;
        }
      }
    }
    return null;
  }

  changed(ql: Quicklist, change: QuicklistChange): void {
    const sink = this.server.trace;
    if (!sink) return;
    const name = this.resolve(ql);
    if (!name) return;
    sink.emit(quicklistEvent(change, { at: this.server.clock.now(), db: name.db, key: name.key }));
  }
}

// Exact copies of whole worlds, for the timeline's checkpoints (timeline.ts, checkpoints.ts): the
// copy is the same world, not a similar one, so a later input gives the same replies, trace events
// and state in both (test/engine/sim/clone.test.ts compares full digests after stepping both).
//
// A world is a graph of plain data and class instances: servers, dbs, dicts with their tables and
// chains, listpack bytes, skiplist nodes, clients with their parsers and reply buffers, the PRNGs,
// the scheduler's pending events (data that names a server or a client, see world.ts). The copy is
// a generic deep copy of that graph: every object reached is copied once (a memo map, so shared
// references and cycles stay shared and cyclic), with its prototype (class instances stay
// instances of their class), its own enumerable properties in their order, Map and Set entries in
// insertion order, arrays (holes kept), typed arrays as views on copied ArrayBuffers (views that
// shared a buffer still share one), DataViews, and the side-table record of the object
// (sideTable.ts: state a module keeps about an object, e.g. a client's fd). Strings, numbers,
// bigints and symbols are values: shared.
//
// The rules for what a world may hold:
// - No closures. A function found in the graph makes the copy throw, naming where it was found: a
//   closure cannot be copied (it would keep acting on the original world). Hold data, or an
//   instance of a class whose methods do the work (e.g. the timeline's TimelineConnection, the
//   blocked-client servers of list.ts and zset.ts, Client as its parser's limits source).
// - No WeakMaps keyed by world objects: use a SideTable (they are not iterable, so a copy would
//   lose them). Per-command scaffolding that never outlives a command is the exception (the
//   skiplist tracer's `attached`: empty between inputs, when copies are made).
// - Module data the world points at is shared, not copied: the command table and its commands
//   (a client's cmd, a queued MULTI command), the config table's entries, the default byte
//   decoder. Frozen objects are shared too (immutable). Anything else module-level the world
//   points at is copied, which is right for data and wrong only for an identity a module compares
//   against (none today: the digest tests would show it).
// - What belongs to the host is not copied: each server's `trace` sink and `onBusy` hook are null
//   in the copy. onBusy is re-attached to the copy's world (world.attach); the host attaches its
//   trace sink to the copy when it wants one. Other host objects the world points at (a timeline
//   that made the connections) are named in `keep` and stay as they are.
// - Getters, non-enumerable string-keyed properties, extra properties on arrays, and JS #private
//   fields are not copied (the engine uses none); WeakMap, WeakSet, WeakRef, Promise and Error
//   objects in the graph throw.
import { bytesToBinary } from '../bytes.ts';
import type { CommandTable } from '../server/commandTable.ts';
import { CONFIG_TABLE } from '../server/config.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { SIDE_TABLES } from '../sideTable.ts';
import type { World } from './world.ts';

export interface CloneOptions {
  /** Objects outside the world that parts of it point at: the copy points at them too. */
  keep?: Iterable<object>;
}

export interface WorldCopy {
  world: World;
  /**
   * The copy of something of the original world (a client, a server ...), or what it stands for
   * in the copy (itself for what is kept, null for a host hook). Something the world did not reach
   * is copied now, into the same copy.
   */
  copyOf<T>(value: T): T;
  /** Objects copied so far: what the copy cost, and roughly what it holds. */
  readonly objects: number;
}

/** A function, or something else that cannot be copied, was found in a world. */
export class CloneError extends Error {}

/** Copies `world` exactly (see the header for what is shared, kept, nulled and refused). */
export function cloneWorld(world: World, options: CloneOptions = {}): WorldCopy {
  const copier = new GraphCopier(world);
  for (const v of moduleData(world)) copier.keep(v);
  for (const v of options.keep ?? []) copier.keep(v);
  const rewire: RedisServer[] = [];
  for (const server of world.servers.values()) {
    if (server.trace) copier.replace(server.trace, null);
    if (server.onBusy) {
      copier.replace(server.onBusy, null);
      rewire.push(server);
    }
  }
  const preset = copier.size;
  const copy = copier.copy(world);
  for (const server of rewire) copy.attach(copier.copy(server));
  return {
    world: copy,
    copyOf: (value) => copier.copy(value),
    get objects() { return copier.size - preset; },
  };
}

// --- what is shared ---------------------------------------------------------------------------------

const moduleDataByTable = new WeakMap<CommandTable, readonly unknown[]>();

/** Module data the world's servers point at (see the header), found once per command table. */
function moduleData(world: World): readonly unknown[] {
  const out: unknown[] = [];
  for (const server of world.servers.values()) {
    const table = server.commands;
    let data = moduleDataByTable.get(table);
    if (!data) {
      data = [table, ...table.all(), ...CONFIG_TABLE, bytesToBinary];
      moduleDataByTable.set(table, data);
    }
    out.push(...data);
  }
  return out;
}

// --- the copy ------------------------------------------------------------------------------------

type AnyObject = Record<PropertyKey, unknown>;
type TypedArray = Exclude<ArrayBufferView, DataView> & { length: number };
type TypedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

/** Prototypes of built-in objects a copy cannot reproduce (their state is internal). */
const REFUSED: readonly (object | undefined)[] = [
  WeakMap.prototype, WeakSet.prototype, Promise.prototype, Error.prototype,
  globalThis.WeakRef?.prototype, globalThis.FinalizationRegistry?.prototype, globalThis.SharedArrayBuffer?.prototype,
];

/** Whether objects with this prototype are plain data a copy reproduces (cached per prototype). */
const copyableProto = new WeakMap<object, boolean>();

function isCopyableProto(proto: object): boolean {
  let ok = copyableProto.get(proto);
  if (ok === undefined) {
    ok = true;
    for (let p: object | null = proto; p !== null; p = Object.getPrototypeOf(p) as object | null) {
      if (REFUSED.includes(p)) ok = false;
    }
    copyableProto.set(proto, ok);
  }
  return ok;
}

function isRef(v: unknown): v is object {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

/**
 * A deep copy of an object graph, iterative (skiplists, quicklists and dict chains are long linked
 * lists: recursion would overflow the stack). Each object reached gets its copy at once (an empty
 * shell, memoized), and its contents are filled in from a work list.
 */
class GraphCopier {
  private readonly memo = new Map<unknown, unknown>();
  /** What keep() and replace() named (not part of the world: error paths do not go through them). */
  private readonly preset = new Set<unknown>();
  /** Pairs (original, copy) whose contents are still to fill in. */
  private readonly todo: unknown[] = [];

  constructor(private readonly root: unknown) {}

  get size(): number { return this.memo.size; }

  /** `v` stays itself in the copy. */
  keep(v: unknown): void { this.replace(v, v); }

  /** `v` becomes `by` in the copy (null: a host hook the copy does without). */
  replace(v: unknown, by: unknown): void {
    this.memo.set(v, by);
    this.preset.add(v);
  }

  copy<T>(v: T): T {
    const c = this.ref(v) as T;
    this.drain();
    return c;
  }

  private ref(v: unknown): unknown {
    if (!isRef(v)) return v;
    const done = this.memo.get(v);
    if (done !== undefined) return done;
    if (typeof v === 'function') throw this.refuse(v, `a function (${v.name || 'anonymous'})`);
    const c = this.shell(v);
    this.memo.set(v, c);
    return c;
  }

  /** The copy of `v`, empty if it has contents to fill in (queued). */
  private shell(v: object): unknown {
    if (Array.isArray(v)) {
      const c = v.slice(); // same length, holes and element kind; object elements replaced in fill
      this.todo.push(v, c);
      return c;
    }
    if (ArrayBuffer.isView(v)) {
      const buffer = this.ref(v.buffer) as ArrayBuffer;
      if (v instanceof DataView) return new DataView(buffer, v.byteOffset, v.byteLength);
      const Ctor = v.constructor as TypedArrayConstructor;
      return new Ctor(buffer, v.byteOffset, (v as TypedArray).length);
    }
    if (v instanceof ArrayBuffer) return v.slice(0);
    const proto = Object.getPrototypeOf(v) as object | null;
    if (!Object.isExtensible(v)) {
      if (Object.isFrozen(v)) return v; // immutable: shared
      throw this.refuse(v, 'a sealed or non-extensible object');
    }
    if (proto !== null && proto !== Object.prototype && !isCopyableProto(proto)) {
      throw this.refuse(v, `a ${(proto.constructor as { name?: string } | undefined)?.name ?? 'built-in'} object`);
    }
    let c: object;
    if (v instanceof Map) c = new Map();
    else if (v instanceof Set) c = new Set();
    else if (v instanceof Date) c = new Date(v.getTime());
    else if (v instanceof RegExp) c = new RegExp(v);
    else {
      // A spread, then the prototype: V8 keeps the copy's fields in-object, in one shape shared by
      // the copies of a class. (Object.create and then adding the fields one by one makes objects
      // with many fields slow dictionary-mode objects: the engine would run slower on a copy.)
      // The spread copies the primitive fields; drain() replaces the others with their copies.
      c = { ...v };
      if (proto !== Object.prototype) Object.setPrototypeOf(c, proto);
      this.todo.push(v, c);
      return c;
    }
    if (Object.getPrototypeOf(c) !== proto) Object.setPrototypeOf(c, proto); // a subclass
    this.todo.push(v, c);
    return c;
  }

  private drain(): void {
    const todo = this.todo;
    while (todo.length > 0) {
      const c = todo.pop() as AnyObject;
      const v = todo.pop() as AnyObject;
      if (Array.isArray(v)) {
        const a = c as unknown as unknown[];
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (isRef(x)) a[i] = this.ref(x);
        }
      } else {
        if (v instanceof Map) {
          const m = c as unknown as Map<unknown, unknown>;
          for (const [k, x] of v) m.set(this.ref(k), this.ref(x));
        } else if (v instanceof Set) {
          const s = c as unknown as Set<unknown>;
          for (const x of v) s.add(this.ref(x));
        } else if (v instanceof RegExp) {
          (c as unknown as RegExp).lastIndex = v.lastIndex;
        }
        const keys = Object.keys(v);
        const spread = !(v instanceof Map || v instanceof Set || v instanceof Date || v instanceof RegExp);
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          const x = v[k];
          if (isRef(x)) c[k] = this.ref(x);
          else if (!spread) c[k] = x;
        }
      }
      const side = v[SIDE_TABLES];
      if (side !== undefined) {
        Object.defineProperty(c, SIDE_TABLES, { value: this.ref(side), writable: true, configurable: true, enumerable: false });
      }
    }
  }

  /** An error naming where in the world `bad` was found. */
  private refuse(bad: object, what: string): CloneError {
    const path = pathTo(this.root, bad, this.preset);
    return new CloneError(`cannot copy the world: ${what} at ${path ?? '(not reachable from the world)'}. ` +
      'A world must hold data or class instances, not closures (see src/engine/sim/clone.ts)');
  }
}

/** The shortest path from `root` to `target` (breadth first), not through what `skip` names. Slow: for errors only. */
function pathTo(root: unknown, target: object, skip: ReadonlySet<unknown>): string | null {
  const seen = new Set<unknown>([root]);
  let level: [unknown, string][] = [[root, 'world']];
  while (level.length > 0) {
    const next: [unknown, string][] = [];
    const visit = (x: unknown, path: string): boolean => {
      if (x === target) return true;
      if (!isRef(x) || seen.has(x) || skip.has(x) || typeof x === 'function') return false;
      seen.add(x);
      next.push([x, path]);
      return false;
    };
    for (const [v, path] of level) {
      const o = v as AnyObject;
      if (Array.isArray(o)) {
        for (let i = 0; i < o.length; i++) if (visit(o[i], `${path}[${i}]`)) return `${path}[${i}]`;
        continue;
      }
      if (ArrayBuffer.isView(o)) continue;
      if (o instanceof Map) {
        for (const [k, x] of o) {
          const label = `${path}.get(${typeof k === 'string' || typeof k === 'number' ? JSON.stringify(k) : '…'})`;
          if (visit(k, `${path}.keys()…`)) return `${path} (a key)`;
          if (visit(x, label)) return label;
        }
      } else if (o instanceof Set) {
        let i = 0;
        for (const x of o) if (visit(x, `${path}.values()[${i++}]`)) return `${path}.values()[${i - 1}]`;
      }
      for (const k of Object.keys(o)) if (visit(o[k], `${path}.${k}`)) return `${path}.${k}`;
      const side = o[SIDE_TABLES];
      if (side !== undefined && visit(side, `${path}[SIDE_TABLES]`)) return `${path}[SIDE_TABLES]`;
    }
    level = next;
  }
  return null;
}

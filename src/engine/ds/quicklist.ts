// Redis 7.0's quicklist (quicklist.c): a doubly linked list of nodes, each holding a listpack of
// elements (a PACKED node) or, for an element of packed-threshold bytes or more, that one element
// on its own (a PLAIN node). Every list in Redis 7.0 is a quicklist, whatever its size.
//
// The node layout is what the list panel draws and what decides memory use, so the rules that
// shape it are reproduced exactly: the list-max-listpack-size fill rule with its size estimate and
// 8 KB safety limit, node splits and the merge attempts that follow them on insert, node removal
// when a node empties (nodes are never merged on delete), and the seek from the nearer end.
//
// Compression (list-compress-depth) is modelled too: a node is flagged compressed exactly when
// Redis would hold it LZF-compressed, and its compressed length is computed with a real LZF
// (lzf.ts) over the node's real listpack bytes (listpackEncode.ts). We keep the entries readable,
// so "compressed" is a state and a size, not a different storage. Bookmarks (used only by
// active defrag) are not modelled.
//
// An observer (QuicklistSettings.observer, engine/trace/quicklistTrace.ts) hears of every node
// created, split, merged, deleted, compressed or decompressed, from the place that does it. Reports
// are only built while the observer is active; they read the list and never change it.
import { binaryToBytes } from '../bytes.ts';
import { Listpack } from './listpack.ts';
import { listpackToBytes } from './listpackEncode.ts';
import { lzfCompressedLength } from './lzf.ts';

/** list-max-listpack-size levels -1..-5: the byte limit of one node's listpack. */
export const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536] as const;
/** Largest listpack a count-limited node may grow to. */
export const SIZE_SAFETY_LIMIT = 8192;
/** Over-estimate of one entry's listpack overhead, used when deciding whether it still fits. */
export const SIZE_ESTIMATE_OVERHEAD = 8;
/** Nodes smaller than this are never compressed. */
export const MIN_COMPRESS_BYTES = 48;
/** Compression must save at least this many bytes to be kept. */
export const MIN_COMPRESS_IMPROVE = 8;
/** Elements of this many bytes or more get a PLAIN node of their own (DEBUG QUICKLIST-PACKED-THRESHOLD). */
export const DEFAULT_PACKED_THRESHOLD = 1 << 30;
/** The fill and compress fields are 16-bit in the node header. */
export const FILL_MAX = (1 << 15) - 1;
export const COMPRESS_MAX = (1 << 16) - 1;

export type ListEnd = 'head' | 'tail';
/** 'forward' walks head to tail (AL_START_HEAD), 'backward' tail to head (AL_START_TAIL). */
export type IterDirection = 'forward' | 'backward';

export class QuicklistNode {
  prev: QuicklistNode | null = null;
  next: QuicklistNode | null = null;
  /** PACKED nodes hold a listpack; PLAIN nodes hold one large element as is. */
  readonly container: 'packed' | 'plain';
  /** The node's listpack (PACKED nodes only). */
  lp: Listpack;
  /** The single element of a PLAIN node. */
  plainValue: string;
  /** Whether Redis would hold this node LZF-compressed right now (encoding LZF vs RAW). */
  compressed = false;
  /** Length of the LZF data while compressed, 0 otherwise. */
  compressedSize = 0;
  /** Decompressed temporarily for use; to be compressed again when done (node->recompress). */
  recompress = false;
  /** Compression is suspended while a replace is in progress (node->dont_compress). */
  dontCompress = false;
  /** Stable identity for panels and traces; unique within its quicklist. */
  readonly id: number;

  // Compression result cache: LZF only re-runs when the content changed since the last attempt.
  private version = 0;
  private cachedVersion = -1;
  private cachedLzf = 0;

  constructor(id: number, container: 'packed' | 'plain', plainValue = '') {
    this.id = id;
    this.container = container;
    this.lp = new Listpack();
    this.plainValue = plainValue;
  }

  get isPlain(): boolean { return this.container === 'plain'; }
  /** Number of elements (node->count). */
  get count(): number { return this.isPlain ? 1 : this.lp.length; }
  /** Uncompressed size in bytes (node->sz): the listpack's bytes, or a PLAIN element's length. */
  get sz(): number { return this.isPlain ? this.plainValue.length : this.lp.bytes; }
  /**
   * Bytes of the node's payload allocation before allocator rounding: the LZF block (its 8-byte
   * length field plus the data) when compressed, else the listpack or PLAIN element itself.
   */
  get payloadBytes(): number { return this.compressed ? 8 + this.compressedSize : this.sz; }
  /** Element at position i of this node (0-based). */
  get(i: number): string { return this.isPlain ? this.plainValue : this.lp.get(i); }
  /** The node's elements, head to tail. */
  get entries(): readonly string[] { return this.isPlain ? [this.plainValue] : this.lp.entries; }

  /** Must be called after every change to the content. */
  touch(): void { this.version++; }

  /** lzf_compress's result for the current content with an output buffer of sz bytes. */
  lzfLength(): number {
    if (this.cachedVersion !== this.version) {
      const bytes = this.isPlain ? binaryToBytes(this.plainValue) : listpackToBytes(this.lp);
      this.cachedLzf = lzfCompressedLength(bytes, this.sz);
      this.cachedVersion = this.version;
    }
    return this.cachedLzf;
  }
}

/** One element reached by an iterator (quicklistEntry). */
export interface QuicklistEntry {
  readonly node: QuicklistNode;
  /** Redis's signed offset in the node: >= 0 from the node's head, < 0 from its tail. */
  readonly offset: number;
  /** Position of the element in the node, always >= 0. */
  readonly index: number;
  readonly value: string;
}

/** A snapshot of one node for inspection panels. */
export interface QuicklistNodeView {
  id: number;
  container: 'packed' | 'plain';
  count: number;
  /** node->sz: uncompressed bytes. */
  bytes: number;
  compressed: boolean;
  /** Bytes of LZF data when compressed, else null. */
  compressedBytes: number | null;
  entries: readonly string[];
}

/** How the last index lookup walked the list (for teaching panels). */
export interface SeekInfo {
  /** Whether the walk started from the head. */
  fromHead: boolean;
  /** Nodes stepped over before reaching the target node. */
  nodesSkipped: number;
}

export class QuicklistIterator {
  /** Node being walked (null once past either end, or after an insert/replace reset). */
  current: QuicklistNode | null;
  /** Redis's signed offset inside the current node. */
  offset: number;
  direction: IterDirection;
  /** Position of the last returned element in `current`, or -1 when it must be looked up (zi == NULL). */
  private zi = -1;

  constructor(readonly ql: Quicklist, direction: IterDirection) {
    this.direction = direction;
    if (direction === 'forward') { this.current = ql.head; this.offset = 0; }
    else { this.current = ql.tail; this.offset = -1; }
  }

  /** Forget the position, e.g. after the list was changed under the iterator. */
  reset(): void { this.current = null; this.zi = -1; }
  /** The current element was deleted: the next call must look its position up again. */
  invalidatePosition(): void { this.zi = -1; }

  /** quicklistNext: the next element in the iterator's direction, or null at the end. */
  next(): QuicklistEntry | null {
    const ql = this.ql;
    for (;;) {
      const node = this.current;
      if (!node) return null;
      if (this.zi < 0) {
        ql.decompressNodeForUse(node);
        this.zi = node.isPlain ? 0 : seekIndex(node.count, this.offset);
      } else if (node.isPlain) {
        this.zi = -1;
      } else if (this.direction === 'forward') {
        this.zi = this.zi + 1 < node.count ? this.zi + 1 : -1;
        this.offset += 1;
      } else {
        this.zi = this.zi - 1;
        this.offset -= 1;
      }
      if (this.zi >= 0) {
        return { node, offset: this.offset, index: this.zi, value: node.get(this.zi) };
      }
      // Ran off this node: recompress it and move on to the neighbour.
      ql.compress(node);
      if (this.direction === 'forward') { this.current = node.next; this.offset = 0; }
      else { this.current = node.prev; this.offset = -1; }
    }
  }

  /** quicklistReleaseIterator: the node we stopped in goes back to its resting compression state. */
  release(): void {
    if (this.current) this.ql.compress(this.current);
  }
}

/** lpSeek on a node of `count` entries: a signed offset to a position, or -1 if out of range. */
function seekIndex(count: number, offset: number): number {
  const i = offset < 0 ? count + offset : offset;
  return i >= 0 && i < count ? i : -1;
}

/** A node as a report gives it: a copy of its state at that moment. */
export interface QuicklistNodeState {
  id: number;
  /** Position from the head (0-based) at the moment of the report. */
  index: number;
  container: 'packed' | 'plain';
  count: number;
  /** node->sz: uncompressed bytes. */
  bytes: number;
  compressed: boolean;
  /** Bytes of LZF data while compressed, else null. */
  compressedBytes: number | null;
}

/** The Redis function whose call created a node. */
export type NodeCreateCaller = 'quicklistPushHead' | 'quicklistPushTail' | '_quicklistInsert' | 'quicklistAppendListpack' | 'quicklistAppendPlainNode' | 'quicklistDup';
/** The Redis function whose call removed a node with __quicklistDelNode (merges report themselves). */
export type NodeDeleteCaller = 'quicklistDelIndex' | 'quicklistDelRange' | 'quicklistReplaceEntry';
/**
 * Who changed a node's compression: __quicklistCompress keeping list-compress-depth; a node
 * decompressed for use (quicklistDecompressNodeForUse) and compressed again after it
 * (quicklistRecompressOnly); _quicklistListpackMerge opening both nodes before joining them.
 */
export type CompressCaller = '__quicklistCompress' | 'quicklistDecompressNodeForUse' | 'quicklistRecompressOnly' | '_quicklistListpackMerge';

/** What a quicklist did to its nodes, as its observer hears it. */
export type QuicklistChange =
  /** quicklistCreateNode (or __quicklistCreatePlainNode) and __quicklistInsertNode: a node was linked in. */
  | { op: 'create'; caller: NodeCreateCaller; node: QuicklistNodeState }
  /**
   * _quicklistSplitNode cut `node` at `offset`; the cut-off part (`newNode`, with the element
   * _quicklistInsert then added to it) was linked next to it. `before`: the node before the cut.
   * Both states are as linked, before any merge.
   */
  | { op: 'split'; node: QuicklistNodeState; newNode: QuicklistNodeState; offset: number; after: boolean; before: { count: number; bytes: number } }
  /**
   * _quicklistListpackMerge (asked by _quicklistMergeNodes) joined neighbours a (left) and b: the
   * larger listpack's node (`kept`, now at a's position) holds both; the other node went away.
   */
  | { op: 'merge'; a: QuicklistNodeState; b: QuicklistNodeState; kept: QuicklistNodeState; droppedId: number }
  /** __quicklistDelNode: a node went away (reported before it was unlinked). */
  | { op: 'delete'; caller: NodeDeleteCaller; node: QuicklistNodeState }
  /** quicklistRotatePlain: a PLAIN tail node was relinked as the head. */
  | { op: 'move'; node: QuicklistNodeState; from: number }
  /** __quicklistCompressNode compressed a node (`node.compressedBytes`: the LZF data's size). */
  | { op: 'compress'; caller: CompressCaller; node: QuicklistNodeState }
  /** __quicklistDecompressNode opened a node that held `compressedBytes` of LZF data. */
  | { op: 'decompress'; caller: CompressCaller; node: QuicklistNodeState; compressedBytes: number };

/** Hears what quicklists do to their nodes (engine/trace/quicklistTrace.ts). */
export interface QuicklistObserver {
  /** Reports are built and delivered only while this is true. */
  readonly active: boolean;
  changed(ql: Quicklist, change: QuicklistChange): void;
}

/**
 * Settings Redis keeps process-wide rather than per list. The packed threshold is a global in
 * quicklist.c that DEBUG QUICKLIST-PACKED-THRESHOLD changes for every list at once, so lists of
 * one server share one settings object. The observer is ours: the server's tracer.
 */
export interface QuicklistSettings {
  packedThreshold: number;
  observer?: QuicklistObserver | null;
}

/** Settings for lists not tied to a server (tests, tools). */
export const defaultQuicklistSettings: QuicklistSettings = { packedThreshold: DEFAULT_PACKED_THRESHOLD };

/**
 * quicklistisSetPackedThreshold: 0 restores the default; values above 4 GB minus 1 MB are refused.
 * Returns false when refused.
 */
export function setPackedThreshold(settings: QuicklistSettings, sz: number): boolean {
  if (sz > 2 ** 32 - 2 ** 20) return false;
  settings.packedThreshold = sz === 0 ? DEFAULT_PACKED_THRESHOLD : sz;
  return true;
}

export class Quicklist {
  head: QuicklistNode | null = null;
  tail: QuicklistNode | null = null;
  /** Total number of elements (quicklist->count). */
  count = 0;
  /** Number of nodes (quicklist->len). */
  len = 0;
  /** list-max-listpack-size at creation, clamped to -5..FILL_MAX. */
  fill = -2;
  /** list-compress-depth at creation: nodes kept uncompressed at each end (0 = off). */
  compressDepth = 0;
  /** Shared settings (the packed threshold); see QuicklistSettings. */
  settings: QuicklistSettings;
  /** How the most recent index lookup walked (null before any). */
  lastSeek: SeekInfo | null = null;

  private nextNodeId = 1;
  /** The node _quicklistSplitNode just cut off, until it is linked (its report is the split's). */
  private splitOff: { node: QuicklistNode; from: QuicklistNode; offset: number; after: boolean; count: number; bytes: number } | null = null;
  /** Reports only: the last node whose position was looked up, valid while `shape` is unchanged. */
  private indexed: { node: QuicklistNode; index: number; shape: number } | null = null;
  /** Changes whenever nodes are linked or unlinked (reports only). */
  private shape = 0;

  /** quicklistNew(fill, compress); quicklistCreate() is `new Quicklist()` (fill -2, no compression). */
  constructor(fill = -2, compressDepth = 0, settings: QuicklistSettings = defaultQuicklistSettings) {
    this.setOptions(fill, compressDepth);
    this.settings = settings;
  }

  /** Elements of at least this many bytes go into PLAIN nodes. */
  get packedThreshold(): number { return this.settings.packedThreshold; }

  setFill(fill: number): void {
    this.fill = fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill;
  }

  setCompressDepth(depth: number): void {
    this.compressDepth = depth > COMPRESS_MAX ? COMPRESS_MAX : depth < 0 ? 0 : depth;
  }

  setOptions(fill: number, compressDepth: number): void {
    this.setFill(fill);
    this.setCompressDepth(compressDepth);
  }

  private createNode(): QuicklistNode {
    return new QuicklistNode(this.nextNodeId++, 'packed');
  }

  private createPlainNode(value: string): QuicklistNode {
    return new QuicklistNode(this.nextNodeId++, 'plain', value);
  }

  private isLargeElement(sz: number): boolean {
    return sz >= this.settings.packedThreshold;
  }

  // ---------------------------------------------------------------------------------------------
  // Reports to the observer (built only while it is active; they only read)

  /** The observer, if one is listening now. */
  private get listener(): QuicklistObserver | null {
    const o = this.settings.observer;
    return o != null && o.active ? o : null;
  }

  /** Position of a linked node from the head: walks from the nearer end (or steps from the last one asked). */
  nodeIndex(node: QuicklistNode): number {
    const last = this.indexed;
    let index = -1;
    if (last && last.shape === this.shape) {
      if (last.node === node) index = last.index;
      else if (last.node.next === node) index = last.index + 1;
      else if (last.node.prev === node) index = last.index - 1;
    }
    if (index < 0) {
      let f = this.head;
      let r = this.tail;
      for (let i = 0; f && r && i < this.len; i++, f = f.next, r = r.prev) {
        if (f === node) { index = i; break; }
        if (r === node) { index = this.len - 1 - i; break; }
      }
    }
    if (index >= 0) this.indexed = { node, index, shape: this.shape };
    return index;
  }

  private stateOf(node: QuicklistNode, index = this.nodeIndex(node)): QuicklistNodeState {
    return {
      id: node.id, index, container: node.container, count: node.count, bytes: node.sz,
      compressed: node.compressed, compressedBytes: node.compressed ? node.compressedSize : null,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Compression state

  /** __quicklistCompressNode: try to compress an interior node. */
  private compressNodeNow(node: QuicklistNode, caller: CompressCaller): boolean {
    if (node.dontCompress) return false;
    node.recompress = false;
    if (node.sz < MIN_COMPRESS_BYTES) return false;
    const lzf = node.lzfLength();
    // liblzf returns 0 when the output would not fit; also refuse gains under MIN_COMPRESS_IMPROVE.
    if (lzf === 0 || lzf + MIN_COMPRESS_IMPROVE >= node.sz) return false;
    node.compressed = true;
    node.compressedSize = lzf;
    const o = this.listener;
    if (o) o.changed(this, { op: 'compress', caller, node: this.stateOf(node) });
    return true;
  }

  /** quicklistCompressNode: compress if not already compressed. */
  private compressNode(node: QuicklistNode | null, caller: CompressCaller): void {
    if (node && !node.compressed) this.compressNodeNow(node, caller);
  }

  /** quicklistDecompressNode. */
  private decompressNode(node: QuicklistNode | null, caller: CompressCaller): void {
    if (node && node.compressed) {
      const compressedBytes = node.compressedSize;
      node.recompress = false;
      node.compressed = false;
      node.compressedSize = 0;
      const o = this.listener;
      if (o) o.changed(this, { op: 'decompress', caller, node: this.stateOf(node), compressedBytes });
    }
  }

  /** quicklistDecompressNodeForUse: decompress and remember to compress again afterwards. */
  decompressNodeForUse(node: QuicklistNode | null): void {
    if (node && node.compressed) {
      this.decompressNode(node, 'quicklistDecompressNodeForUse');
      node.recompress = true;
    }
  }

  /**
   * __quicklistCompress: make the nodes within compress-depth of either end uncompressed and
   * compress `node` (unless it is within that depth) and the first node past the depth on each side.
   */
  private compressAround(node: QuicklistNode | null): void {
    if (this.len === 0) return;
    const depthLimit = this.compressDepth;
    if (depthLimit === 0 || this.len < depthLimit * 2) return;

    let forward = this.head!;
    let reverse = this.tail!;
    let depth = 0;
    let inDepth = false;
    while (depth++ < depthLimit) {
      this.decompressNode(forward, '__quicklistCompress');
      this.decompressNode(reverse, '__quicklistCompress');
      if (forward === node || reverse === node) inDepth = true;
      // The two walks met: every node is within the depth of one end.
      if (forward === reverse || forward.next === reverse) return;
      forward = forward.next!;
      reverse = reverse.prev!;
    }
    if (!inDepth) this.compressNode(node, '__quicklistCompress');
    this.compressNode(forward, '__quicklistCompress');
    this.compressNode(reverse, '__quicklistCompress');
  }

  /** quicklistCompress: recompress a node used temporarily, or re-establish the depth rule. */
  compress(node: QuicklistNode): void {
    if (node.recompress) this.compressNode(node, 'quicklistRecompressOnly');
    else this.compressAround(node);
  }

  /** quicklistRecompressOnly. */
  private recompressOnly(node: QuicklistNode): void {
    if (node.recompress) this.compressNode(node, 'quicklistRecompressOnly');
  }

  // ---------------------------------------------------------------------------------------------
  // Node linking

  /**
   * __quicklistInsertNode: link newNode after (or before) oldNode, which may be null. `caller`
   * names who created the node, for the report.
   */
  private insertNode(oldNode: QuicklistNode | null, newNode: QuicklistNode, after: boolean, caller: NodeCreateCaller): void {
    if (after) {
      newNode.prev = oldNode;
      if (oldNode) {
        newNode.next = oldNode.next;
        if (oldNode.next) oldNode.next.prev = newNode;
        oldNode.next = newNode;
      }
      if (this.tail === oldNode) this.tail = newNode;
    } else {
      newNode.next = oldNode;
      if (oldNode) {
        newNode.prev = oldNode.prev;
        if (oldNode.prev) oldNode.prev.next = newNode;
        oldNode.prev = newNode;
      }
      if (this.head === oldNode) this.head = newNode;
    }
    if (this.len === 0) this.head = this.tail = newNode;
    this.len++;
    this.shape++;
    const o = this.listener;
    if (o) this.reportLinked(o, newNode, caller);
    else this.splitOff = null;
    if (oldNode) this.compress(oldNode);
    this.compress(newNode);
  }

  /** The report of a node just linked: a split's cut-off part, or a new node. */
  private reportLinked(o: QuicklistObserver, node: QuicklistNode, caller: NodeCreateCaller): void {
    const split = this.splitOff;
    if (split && split.node === node) {
      this.splitOff = null;
      o.changed(this, {
        op: 'split', node: this.stateOf(split.from), newNode: this.stateOf(node), offset: split.offset, after: split.after,
        before: { count: split.count, bytes: split.bytes },
      });
    } else {
      o.changed(this, { op: 'create', caller, node: this.stateOf(node) });
    }
  }

  /**
   * __quicklistDelNode: unlink a node, dropping its elements from the count. `caller` names who
   * asked, for the report (null: a merge, which reports itself).
   */
  private delNode(node: QuicklistNode, caller: NodeDeleteCaller | null): void {
    const o = caller === null ? null : this.listener;
    if (o) o.changed(this, { op: 'delete', caller: caller!, node: this.stateOf(node) });
    if (node.next) node.next.prev = node.prev;
    if (node.prev) node.prev.next = node.next;
    if (node === this.tail) this.tail = node.prev;
    if (node === this.head) this.head = node.next;
    this.len--;
    this.shape++;
    this.count -= node.count;
    // A node inside the uncompressed depth may have gone: re-establish the rule.
    this.compressAround(null);
  }

  /** quicklistDelIndex: delete one element; returns true if its node went away. */
  private delIndex(node: QuicklistNode, index: number): boolean {
    if (node.isPlain) {
      this.delNode(node, 'quicklistDelIndex');
      return true;
    }
    node.lp.delete(index, 1);
    node.touch();
    let gone = false;
    if (node.count === 0) {
      gone = true;
      this.delNode(node, 'quicklistDelIndex');
    }
    this.count--;
    return gone;
  }

  private insertPlainNode(oldNode: QuicklistNode | null, value: string, after: boolean, caller: NodeCreateCaller): void {
    this.insertNode(oldNode, this.createPlainNode(value), after, caller);
    this.count++;
  }

  // ---------------------------------------------------------------------------------------------
  // Fill rule

  /** _quicklistNodeSizeMeetsOptimizationRequirement: within a negative fill's byte limit. */
  private meetsSizeLimit(sz: number): boolean {
    if (this.fill >= 0) return false;
    const level = -this.fill - 1;
    return level < OPTIMIZATION_LEVEL.length && sz <= OPTIMIZATION_LEVEL[level];
  }

  /**
   * _quicklistNodeAllowInsert: may an element of `sz` bytes (its raw length, not its listpack
   * encoding) go into `node`? The node's size is over-estimated by SIZE_ESTIMATE_OVERHEAD.
   */
  allowInsert(node: QuicklistNode | null, sz: number): boolean {
    if (!node) return false;
    if (node.isPlain || this.isLargeElement(sz)) return false;
    const newSz = node.sz + sz + SIZE_ESTIMATE_OVERHEAD;
    if (this.meetsSizeLimit(newSz)) return true;
    if (newSz > SIZE_SAFETY_LIMIT) return false;
    return node.count < this.fill;
  }

  /** _quicklistNodeAllowMerge: would a and b fit together in one node? */
  allowMerge(a: QuicklistNode | null, b: QuicklistNode | null): boolean {
    if (!a || !b) return false;
    if (a.isPlain || b.isPlain) return false;
    // Approximate merged size: one listpack header and end byte (and then some) fewer.
    const mergeSz = a.sz + b.sz - 11;
    if (this.meetsSizeLimit(mergeSz)) return true;
    if (mergeSz > SIZE_SAFETY_LIMIT) return false;
    return a.count + b.count <= this.fill;
  }

  // ---------------------------------------------------------------------------------------------
  // Push / pop

  /** quicklistPushHead; returns true if a new head node was created. */
  pushHead(value: string): boolean {
    const origHead = this.head;
    if (this.isLargeElement(value.length)) {
      this.insertPlainNode(this.head, value, false, 'quicklistPushHead');
      return true;
    }
    if (this.allowInsert(this.head, value.length)) {
      this.head!.lp.unshift(value);
      this.head!.touch();
    } else {
      const node = this.createNode();
      node.lp.unshift(value);
      this.insertNode(this.head, node, false, 'quicklistPushHead');
    }
    this.count++;
    return origHead !== this.head;
  }

  /** quicklistPushTail; returns true if a new tail node was created. */
  pushTail(value: string): boolean {
    const origTail = this.tail;
    if (this.isLargeElement(value.length)) {
      this.insertPlainNode(this.tail, value, true, 'quicklistPushTail');
      return true;
    }
    if (this.allowInsert(this.tail, value.length)) {
      this.tail!.lp.push(value);
      this.tail!.touch();
    } else {
      const node = this.createNode();
      node.lp.push(value);
      this.insertNode(this.tail, node, true, 'quicklistPushTail');
    }
    this.count++;
    return origTail !== this.tail;
  }

  push(value: string, where: ListEnd): void {
    if (where === 'head') this.pushHead(value);
    else this.pushTail(value);
  }

  /** quicklistPop: remove and return the element at one end, or null if the list is empty. */
  pop(where: ListEnd): string | null {
    if (this.count === 0) return null;
    const node = where === 'head' ? this.head : this.tail;
    if (!node) return null;
    const index = where === 'head' ? 0 : node.count - 1;
    const value = node.get(index);
    this.delIndex(node, index);
    return value;
  }

  /** quicklistRotate: move the tail element to the head. */
  rotate(): void {
    if (this.count <= 1) return;
    const tail = this.tail!;
    if (tail.isPlain) {
      // A PLAIN tail node is relinked as the new head as is (quicklistRotatePlain).
      const o = this.listener;
      const from = o ? this.nodeIndex(tail) : -1;
      const newTail = tail.prev!;
      this.head!.prev = tail;
      newTail.next = null;
      tail.next = this.head;
      tail.prev = null;
      this.head = tail;
      this.tail = newTail;
      this.shape++;
      if (o) o.changed(this, { op: 'move', node: this.stateOf(tail, 0), from });
      return;
    }
    const value = tail.get(tail.count - 1);
    this.pushHead(value);
    const t = this.tail!;
    this.delIndex(t, t.count - 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Iteration and lookup

  /** quicklistGetIterator. */
  iterator(direction: IterDirection): QuicklistIterator {
    return new QuicklistIterator(this, direction);
  }

  /**
   * quicklistGetIteratorAtIdx: an iterator positioned at element `idx` (negative counts from the
   * tail), found by walking nodes from whichever end is nearer. Null if out of range.
   */
  iteratorAtIndex(direction: IterDirection, idx: number): QuicklistIterator | null {
    const forward = idx >= 0;
    const index = forward ? idx : -idx - 1;
    if (index >= this.count) return null;

    let seekForward = forward;
    let seekIndex = index;
    if (index > Math.floor((this.count - 1) / 2)) {
      seekForward = !forward;
      seekIndex = this.count - 1 - index;
    }

    let n = seekForward ? this.head : this.tail;
    let accum = 0;
    let skipped = 0;
    while (n) {
      if (accum + n.count > seekIndex) break;
      accum += n.count;
      skipped++;
      n = seekForward ? n.next : n.prev;
    }
    if (!n) return null;
    this.lastSeek = { fromHead: seekForward, nodesSkipped: skipped };

    // Express accum as if we had walked from the end the index counts from.
    if (seekForward !== forward) accum = this.count - n.count - accum;

    const iter = new QuicklistIterator(this, direction);
    iter.current = n;
    iter.offset = forward ? index - accum : -index - 1 + accum;
    return iter;
  }

  /** quicklistGetIteratorEntryAtIdx: the element at idx and an iterator sitting on it. */
  entryAtIndex(idx: number): { iter: QuicklistIterator; entry: QuicklistEntry } | null {
    const iter = this.iteratorAtIndex('backward', idx);
    if (!iter) return null;
    const entry = iter.next();
    if (!entry) throw new Error('quicklist: index lookup found no entry');
    return { iter, entry };
  }

  /** The element at idx (negative counts from the tail), or null if out of range. */
  index(idx: number): string | null {
    const found = this.entryAtIndex(idx);
    if (!found) return null;
    found.iter.release();
    return found.entry.value;
  }

  // ---------------------------------------------------------------------------------------------
  // Delete

  /** quicklistDelEntry: delete the element the iterator just returned; iteration may go on. */
  delEntry(iter: QuicklistIterator, entry: QuicklistEntry): void {
    const prev = entry.node.prev;
    const next = entry.node.next;
    const deletedNode = this.delIndex(entry.node, entry.index);
    iter.invalidatePosition();
    if (deletedNode) {
      if (iter.direction === 'forward') { iter.current = next; iter.offset = 0; }
      else { iter.current = prev; iter.offset = -1; }
    }
    // Otherwise the offset already names the following element: [a,b,c] minus offset 1 is [a,c].
  }

  /** quicklistDelRange: delete `count` elements from index `start`; false if nothing was deleted. */
  delRange(start: number, count: number): boolean {
    if (count <= 0) return false;
    let extent = count;
    if (start >= 0 && extent > this.count - start) extent = this.count - start;
    else if (start < 0 && extent > -start) extent = -start;

    const iter = this.iteratorAtIndex('backward', start);
    if (!iter) return false;
    let node: QuicklistNode | null = iter.current;
    let offset = iter.offset;
    iter.release();

    while (extent > 0 && node) {
      const next: QuicklistNode | null = node.next;
      let del: number;
      let deleteEntireNode = false;
      if (offset === 0 && extent >= node.count) {
        deleteEntireNode = true;
        del = node.count;
      } else if (offset >= 0 && extent + offset >= node.count) {
        del = node.count - offset;
      } else if (offset < 0) {
        // Negative only on the first node: delete from there to the node's end (or less).
        del = -offset;
        if (del > extent) del = extent;
      } else {
        del = extent;
      }

      if (deleteEntireNode || node.isPlain) {
        this.delNode(node, 'quicklistDelRange');
      } else {
        this.decompressNodeForUse(node);
        const from = offset < 0 ? node.count + offset : offset;
        node.lp.delete(from, del);
        node.touch();
        this.count -= del;
        if (node.count === 0) this.delNode(node, 'quicklistDelRange');
        else this.recompressOnly(node);
      }
      extent -= del;
      node = next;
      offset = 0;
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Insert and replace

  insertBefore(iter: QuicklistIterator, entry: QuicklistEntry, value: string): void {
    this.insert(iter, entry, value, false);
  }

  insertAfter(iter: QuicklistIterator, entry: QuicklistEntry, value: string): void {
    this.insert(iter, entry, value, true);
  }

  /** _quicklistInsert: insert value next to entry, splitting and merging nodes as Redis does. */
  private insert(iter: QuicklistIterator, entry: QuicklistEntry, value: string, after: boolean): void {
    const sz = value.length;
    const node = entry.node;

    const full = !this.allowInsert(node, sz);
    let atTail = false;
    let atHead = false;
    let availNext = false;
    let availPrev = false;
    if (after && (entry.offset === node.count - 1 || entry.offset === -1)) {
      atTail = true;
      availNext = this.allowInsert(node.next, sz);
    }
    if (!after && (entry.offset === 0 || entry.offset === -node.count)) {
      atHead = true;
      availPrev = this.allowInsert(node.prev, sz);
    }

    if (this.isLargeElement(sz)) {
      if (node.isPlain || (atTail && after) || (atHead && !after)) {
        this.insertPlainNode(node, value, after, '_quicklistInsert');
      } else {
        // In the middle of a packed node: split it around the element and put a PLAIN node between.
        this.decompressNodeForUse(node);
        const newNode = this.splitNode(node, entry.offset, after);
        const entryNode = this.createPlainNode(value);
        this.insertNode(node, entryNode, after, '_quicklistInsert');
        this.insertNode(entryNode, newNode, after, '_quicklistInsert');
        this.count++;
      }
      return;
    }

    if (!full) {
      this.decompressNodeForUse(node);
      node.lp.insert(after ? entry.index + 1 : entry.index, value);
      node.touch();
      this.recompressOnly(node);
    } else if (atTail && availNext && after) {
      // Full, but the next node has room: the value becomes its first element.
      const nextNode = node.next!;
      this.decompressNodeForUse(nextNode);
      nextNode.lp.unshift(value);
      nextNode.touch();
      this.recompressOnly(nextNode);
      this.recompressOnly(node);
    } else if (atHead && availPrev && !after) {
      // Full, but the previous node has room: the value becomes its last element.
      const prevNode = node.prev!;
      this.decompressNodeForUse(prevNode);
      prevNode.lp.push(value);
      prevNode.touch();
      this.recompressOnly(prevNode);
      this.recompressOnly(node);
    } else if ((atTail && !availNext && after) || (atHead && !availPrev && !after)) {
      // At the node's edge with no room next door: a new node just for this value.
      const newNode = this.createNode();
      newNode.lp.unshift(value);
      this.insertNode(node, newNode, after, '_quicklistInsert');
    } else {
      // In the middle of a full node: split it, add the value to the split-off part, and then
      // try to merge neighbours back together.
      this.decompressNodeForUse(node);
      const newNode = this.splitNode(node, entry.offset, after);
      if (after) newNode.lp.unshift(value);
      else newNode.lp.push(value);
      newNode.touch();
      this.insertNode(node, newNode, after, '_quicklistInsert');
      this.mergeNodes(node);
    }
    this.count++;
    // The list changed under the iterator: it must not be used to continue.
    iter.reset();
  }

  /**
   * _quicklistSplitNode: with after, `node` keeps [0, offset] and the returned node gets
   * [offset+1, end]; without, the returned node gets [0, offset-1] and `node` keeps the rest.
   */
  private splitNode(node: QuicklistNode, offset: number, after: boolean): QuicklistNode {
    const newNode = this.createNode();
    newNode.lp = node.lp.clone();
    if (offset < 0) offset = node.count + offset;
    const n = node.count;
    this.splitOff = { node: newNode, from: node, offset, after, count: n, bytes: node.sz };
    if (after) {
      node.lp.delete(offset + 1, n - (offset + 1));
      newNode.lp.delete(0, offset + 1);
    } else {
      node.lp.delete(0, offset);
      newNode.lp.delete(offset, n - offset);
    }
    node.touch();
    newNode.touch();
    return newNode;
  }

  /**
   * _quicklistListpackMerge: join b's elements onto a's (a is left of b). Like lpMerge, the larger
   * listpack is the one kept; the other node is removed. Returns the surviving node.
   */
  private listpackMerge(a: QuicklistNode, b: QuicklistNode): QuicklistNode {
    this.decompressNode(a, '_quicklistListpackMerge');
    this.decompressNode(b, '_quicklistListpackMerge');
    const keep = a.sz >= b.sz ? a : b;
    const drop = keep === a ? b : a;
    const o = this.listener;
    const aIndex = o ? this.nodeIndex(a) : -1;
    const before = o ? { a: this.stateOf(a, aIndex), b: this.stateOf(b, aIndex + 1) } : null;
    const merged = a.lp.clone();
    for (const s of b.lp.entries) merged.push(s);
    keep.lp = merged;
    keep.touch();
    drop.lp = new Listpack(); // its elements now live in `keep`; the count must not drop
    drop.touch();
    if (o) o.changed(this, { op: 'merge', a: before!.a, b: before!.b, kept: this.stateOf(keep, aIndex), droppedId: drop.id });
    this.delNode(drop, null);
    this.compress(keep);
    return keep;
  }

  /** _quicklistMergeNodes: after a split, try merging the nodes around `center`. */
  private mergeNodes(center: QuicklistNode): void {
    let prev: QuicklistNode | null = center.prev;
    let prevPrev: QuicklistNode | null = prev ? prev.prev : null;
    let next: QuicklistNode | null = center.next;
    let nextNext: QuicklistNode | null = next ? next.next : null;

    if (this.allowMerge(prev, prevPrev)) {
      this.listpackMerge(prevPrev!, prev!);
      prev = prevPrev = null;
    }
    if (this.allowMerge(next, nextNext)) {
      this.listpackMerge(next!, nextNext!);
      next = nextNext = null;
    }
    let target: QuicklistNode;
    if (this.allowMerge(center, center.prev)) {
      target = this.listpackMerge(center.prev!, center);
    } else {
      target = center;
    }
    if (this.allowMerge(target, target.next)) {
      this.listpackMerge(target, target.next!);
    }
  }

  /** quicklistReplaceEntry: replace the element the iterator just returned. */
  replaceEntry(iter: QuicklistIterator, entry: QuicklistEntry, value: string): void {
    const node = entry.node;
    const sz = value.length;
    if (!node.isPlain && !this.isLargeElement(sz)) {
      node.lp.replace(entry.index, value);
      node.touch();
      this.compress(node);
    } else if (node.isPlain) {
      if (this.isLargeElement(sz)) {
        node.plainValue = value;
        node.touch();
        this.compress(node);
      } else {
        this.insertAfter(iter, entry, value);
        this.delNode(node, 'quicklistReplaceEntry');
      }
    } else {
      // A large value replacing a packed element: insert it as a PLAIN node right after the
      // element (splitting the node there), then drop the element, now the node's last.
      node.dontCompress = true;
      this.insertAfter(iter, entry, value);
      if (node.count === 1) {
        this.delNode(node, 'quicklistReplaceEntry');
      } else {
        this.delIndex(node, node.count - 1);
        node.dontCompress = false;
        this.compress(node);
        if (node.next) this.compress(node.next);
      }
    }
    iter.reset();
  }

  /** quicklistReplaceAtIndex: false if idx is out of range. */
  replaceAtIndex(idx: number, value: string): boolean {
    const found = this.entryAtIndex(idx);
    if (!found) return false;
    this.replaceEntry(found.iter, found.entry, value);
    found.iter.release();
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Whole-list helpers

  /** quicklistDup: a copy with the same options and the same node layout and compression. */
  dup(): Quicklist {
    const copy = new Quicklist(this.fill, this.compressDepth, this.settings);
    for (let cur = this.head; cur; cur = cur.next) {
      const node = cur.isPlain ? copy.createPlainNode(cur.plainValue) : copy.createNode();
      if (!cur.isPlain) { node.lp = cur.lp.clone(); node.touch(); }
      node.compressed = cur.compressed;
      node.compressedSize = cur.compressedSize;
      copy.count += node.count;
      copy.insertNode(copy.tail, node, true, 'quicklistDup');
    }
    return copy;
  }

  /** quicklistAppendListpack: a whole listpack as the new tail node (RDB loading keeps the saved nodes). */
  appendListpackNode(lp: Listpack): void {
    const node = this.createNode();
    node.lp = lp;
    node.touch();
    this.insertNode(this.tail, node, true, 'quicklistAppendListpack');
    this.count += node.count;
  }

  /** quicklistAppendPlainNode: one element as the new tail PLAIN node (RDB loading). */
  appendPlainNode(value: string): void {
    this.insertNode(this.tail, this.createPlainNode(value), true, 'quicklistAppendPlainNode');
    this.count++;
  }

  /** For COPY (duplicateObject): same as dup(). */
  clone(): Quicklist {
    return this.dup();
  }

  /** The nodes from head to tail (live objects: read, do not change). */
  *nodes(): IterableIterator<QuicklistNode> {
    for (let n = this.head; n; n = n.next) yield n;
  }

  /** Snapshot of the node layout for panels. */
  nodeViews(): QuicklistNodeView[] {
    const out: QuicklistNodeView[] = [];
    for (let n = this.head; n; n = n.next) {
      out.push({
        id: n.id,
        container: n.container,
        count: n.count,
        bytes: n.sz,
        compressed: n.compressed,
        compressedBytes: n.compressed ? n.compressedSize : null,
        entries: n.entries.slice(),
      });
    }
    return out;
  }

  /** All elements head to tail, without touching compression state. */
  toArray(): string[] {
    const out: string[] = [];
    for (let n = this.head; n; n = n.next) for (const s of n.entries) out.push(s);
    return out;
  }

  /** Sum of node->sz (DEBUG OBJECT's ql_uncompressed_size). */
  uncompressedSize(): number {
    let sz = 0;
    for (let n = this.head; n; n = n.next) sz += n.sz;
    return sz;
  }
}

// The encoding snapshot: how one key's value is laid out in memory right now, byte by byte where
// Redis packs it (listpack, intset, quicklist nodes, the SDS behind a string), and the limits from
// the live CONFIG that decide its next conversion, with how close the key is to each.
//
// Sizes are read from the real structures (Listpack's entries and byte count, Intset's width and
// blob, QuicklistNode's sz and compressed size, the string's modelled SDS): nothing is re-modelled
// here except splitting each listpack entry into the parts listpack.c writes (encoding byte(s),
// data, back-length), which lpEncodedSize/lpBacklenSize already size.
//
// Reading is all it does: dict.peek for the key (no lazy expiry, no LRU/LFU touch, no stats, no
// rehash step), plain reads of the structures (no quicklist decompression for use), no events.
import type { Dict } from '../ds/dict.ts';
import { INTSET_HEADER_SIZE, type Intset, type IntsetWidth } from '../ds/intset.ts';
import { LP_EOF_SIZE, LP_HDR_SIZE, lpBacklenSize, lpEncodedSize, lpIsIntegerEntry, type Listpack } from '../ds/listpack.ts';
import { OPTIMIZATION_LEVEL, SIZE_SAFETY_LIMIT, type Quicklist, type QuicklistNode } from '../ds/quicklist.ts';
import { EMBSTR_SIZE_LIMIT, ROBJ_SIZE, sdsAvail, sdsHeaderSize, type SdsType } from '../ds/sds.ts';
import type { ZsetSkiplist } from '../commands/zset.ts';
import { isStrictInteger } from '../numbers.ts';
import type { Encoding, RedisObject, RedisType } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import {
  OBJ_SHARED_INTEGERS, objectRefcount, sharedIntegersAllowed, stringObjectSds, type StringObject,
} from '../server/stringObject.ts';

export interface EncodingQuery {
  kind: 'encoding';
  db: number;
  key: string;
  /** Elements (listpack entries, intset values, quicklist nodes) listed at most: the first half and the last half. Default 64. */
  limit?: number;
  /** For a list: the position of the quicklist node whose listpack is detailed (default 0, the head). */
  node?: number;
}

export const DEFAULT_ENCODING_LIMIT = 64;
export const MAX_ENCODING_LIMIT = 1000;
/** A value is quoted with at most this many bytes. */
export const VALUE_PREVIEW = 48;
/** Hashtables and skiplists bigger than this are not walked for their longest element. */
export const LONGEST_SCAN_LIMIT = 100_000;

/** listpack.c's names for an entry's encoding (the top bits of its first byte). */
export type LpEncodingName =
  | 'LP_ENCODING_7BIT_UINT' | 'LP_ENCODING_13BIT_INT' | 'LP_ENCODING_16BIT_INT' | 'LP_ENCODING_24BIT_INT'
  | 'LP_ENCODING_32BIT_INT' | 'LP_ENCODING_64BIT_INT'
  | 'LP_ENCODING_6BIT_STR' | 'LP_ENCODING_12BIT_STR' | 'LP_ENCODING_32BIT_STR';

/** One listpack entry: <encoding-type><element-data><element-tot-len>. */
export interface LpEntryView {
  index: number;
  /** Byte offset of the entry from the start of the listpack (the header is bytes 0..5). */
  offset: number;
  /** The element (at most VALUE_PREVIEW bytes of it). */
  value: string;
  /** The element's length as a string, in bytes. */
  length: number;
  /** Stored as an integer (the element is a canonical 64-bit integer) or as a string. */
  kind: 'int' | 'str';
  encoding: LpEncodingName;
  /** The encoding byte(s): type bits plus, for strings, the length (DEBUG LISTPACK's hdrlen). */
  encodingBytes: number;
  /** The data after them (0 for a 7-bit uint, whose value sits in the encoding byte; 1 for a 13-bit int, whose low byte follows). */
  dataBytes: number;
  /** The back-length: encoding + data length, 7 bits per byte, for walking backwards. */
  backlenBytes: number;
  /** encodingBytes + dataBytes + backlenBytes. */
  size: number;
}

/** A range of elements not listed, between the listed head and tail. */
export interface HiddenRange {
  /** Position of the first one not listed. */
  from: number;
  count: number;
  /** Their bytes (for listpack entries and quicklist nodes). */
  bytes: number;
}

export interface ListpackView {
  /** lpBytes: the total-bytes field, header to end byte. */
  totalBytes: number;
  /** 4-byte total length + 2-byte element count. */
  headerBytes: number;
  /** The 0xFF end marker. */
  endBytes: number;
  count: number;
  /** What the 2-byte count field holds (65535 = "unknown, count them" for 65535+ entries). */
  countField: number;
  entries: LpEntryView[];
  hidden: HiddenRange | null;
}

export interface ListpackDetail {
  form: 'listpack';
  /** Entries per element: 2 for a hash (field, value) or zset (member, score). */
  stride: 1 | 2;
  listpack: ListpackView;
}

export interface IntsetDetail {
  form: 'intset';
  /** Bytes per element. */
  width: IntsetWidth;
  encodingName: 'INTSET_ENC_INT16' | 'INTSET_ENC_INT32' | 'INTSET_ENC_INT64';
  /** u32 encoding + u32 length. */
  headerBytes: number;
  count: number;
  /** intsetBlobLen: header + count * width. */
  bytes: number;
  /** Values listed (ascending), decimal. */
  values: { index: number; value: string }[];
  hidden: HiddenRange | null;
  /** The range the current width holds; a value outside it upgrades the set (null at 64 bits: nothing wider). */
  range: { min: string; max: string };
  nextWidth: 4 | 8 | null;
}

export interface QuicklistNodeInfo {
  index: number;
  /** The node's stable id (animation keys). */
  id: number;
  container: 'packed' | 'plain';
  count: number;
  /** node->sz: the listpack's bytes (or a PLAIN element's length), uncompressed. */
  bytes: number;
  compressed: boolean;
  /** LZF data length while compressed, else null. */
  compressedBytes: number | null;
  /** Within list-compress-depth of an end: always kept uncompressed. */
  inDepth: boolean;
  /** The first and last element (previews). */
  first: string;
  last: string;
}

export interface QuicklistDetail {
  form: 'quicklist';
  /** The list's own fill (list-max-listpack-size when it was created). */
  fill: number;
  /** The list's own compress depth (list-compress-depth when it was created). */
  compressDepth: number;
  /** list-max-listpack-size and list-compress-depth in the live CONFIG (new lists take these). */
  configFill: number;
  configCompressDepth: number;
  /** How a node's fill is limited: bytes of its listpack (negative fill), or entries (positive, with an 8 KB safety limit). */
  nodeLimit: { kind: 'bytes'; bytes: number } | { kind: 'count'; count: number; safetyBytes: number };
  /** Elements of at least this many bytes get a PLAIN node of their own. */
  packedThreshold: number;
  nodeCount: number;
  count: number;
  /** Sum of node->sz. */
  uncompressedBytes: number;
  /** Sum of what the nodes hold: LZF data for compressed nodes, else node->sz. */
  storedBytes: number;
  compressedNodes: number;
  nodes: QuicklistNodeInfo[];
  hidden: HiddenRange | null;
  /** The detailed node's listpack (null for a PLAIN node or an empty list). */
  detail: { index: number; id: number; listpack: ListpackView | null } | null;
}

export interface SdsView {
  /** Header type: sdshdr5, 8, 16, 32, 64. */
  type: SdsType;
  headerBytes: number;
  len: number;
  alloc: number;
  /** sdsavail: alloc - len (0 for sdshdr5). */
  avail: number;
  /** What the allocator handed out for header + buffer + NUL (DEBUG SDSLEN's val_zmalloc). */
  zmalloc: number;
}

export interface StringDetail {
  form: 'string';
  encoding: 'int' | 'embstr' | 'raw';
  /** STRLEN. */
  length: number;
  /** The value (at most VALUE_PREVIEW bytes). */
  value: string;
  /** One of the shared integers 0..9999 (OBJECT REFCOUNT 2147483647). */
  shared: boolean;
  refcount: number;
  /** sizeof(robj). */
  robjBytes: number;
  /** The sds behind embstr/raw (as DEBUG SDSLEN reports it), null for int: the number sits in the robj's pointer. */
  sds: SdsView | null;
  /** embstr only: robj and sds in one allocation of this many bytes. */
  embstrBlock: number | null;
}

/** A hashtable or skiplist value: drawn by the dict or skiplist panel; here its summary. */
export interface SummaryDetail {
  form: 'summary';
  panel: 'dict' | 'skiplist';
  count: number;
}

export type EncodingDetail = ListpackDetail | IntsetDetail | QuicklistDetail | StringDetail | SummaryDetail;

/** A limit deciding the key's next (or past) conversion. */
export interface EncodingThreshold {
  id: 'entries' | 'value' | 'node-size' | 'node-count' | 'compress' | 'embstr' | 'int' | 'shared';
  /** The CONFIG parameter, or null for a constant compiled into Redis. */
  config: string | null;
  /** Redis's name for a compiled-in constant, or null. */
  constant: string | null;
  /** The limit (the live CONFIG value for a parameter). */
  limit: number;
  /** The key's value for it: element count, longest element, node bytes ... (null: not measured, e.g. too big to walk). */
  current: number | null;
  /** current is past the limit: the conversion has happened or is due ('over' = current > limit). */
  passed: boolean;
  /** The encoding passing it leads to, or null (a list's node split, compression). */
  to: Encoding | null;
}

export interface EncodingSnapshot {
  kind: 'encoding';
  db: number;
  key: string;
  exists: boolean;
  type: RedisType | null;
  encoding: Encoding | null;
  /** STRLEN / LLEN / HLEN / SCARD / ZCARD. */
  length: number;
  /** PTTL at the snapshot (ms; <= 0: expired but not yet deleted), null without a TTL. */
  ttl: number | null;
  detail: EncodingDetail | null;
  thresholds: EncodingThreshold[];
  /** Hash and set conversions are one way: Redis never converts them back (a zset may, via *STORE). */
  oneWay: boolean;
}

// --- listpack ------------------------------------------------------------------------------------

/** The name and encoding-byte count of the encoding listpack.c picks for an element. */
function lpEncodingOf(s: string): { encoding: LpEncodingName; encodingBytes: number } {
  if (lpIsIntegerEntry(s)) {
    switch (lpEncodedSize(s)) {
      case 1: return { encoding: 'LP_ENCODING_7BIT_UINT', encodingBytes: 1 };
      case 2: return { encoding: 'LP_ENCODING_13BIT_INT', encodingBytes: 1 };
      case 3: return { encoding: 'LP_ENCODING_16BIT_INT', encodingBytes: 1 };
      case 4: return { encoding: 'LP_ENCODING_24BIT_INT', encodingBytes: 1 };
      case 5: return { encoding: 'LP_ENCODING_32BIT_INT', encodingBytes: 1 };
      default: return { encoding: 'LP_ENCODING_64BIT_INT', encodingBytes: 1 };
    }
  }
  if (s.length < 64) return { encoding: 'LP_ENCODING_6BIT_STR', encodingBytes: 1 };
  if (s.length < 4096) return { encoding: 'LP_ENCODING_12BIT_STR', encodingBytes: 2 };
  return { encoding: 'LP_ENCODING_32BIT_STR', encodingBytes: 5 };
}

export function lpEntryView(s: string, index: number, offset: number): LpEntryView {
  const encoded = lpEncodedSize(s);
  const { encoding, encodingBytes } = lpEncodingOf(s);
  const backlenBytes = lpBacklenSize(encoded);
  return {
    index, offset, value: preview(s), length: s.length, kind: lpIsIntegerEntry(s) ? 'int' : 'str', encoding,
    encodingBytes, dataBytes: encoded - encodingBytes, backlenBytes, size: encoded + backlenBytes,
  };
}

/** Which positions of n are listed with a limit (keeping pairs together when stride is 2). */
function shownRange(n: number, limit: number, stride: number): { head: number; tailFrom: number } {
  if (n <= limit) return { head: n, tailFrom: n };
  const half = Math.max(stride, Math.floor(limit / 2 / stride) * stride);
  return { head: half, tailFrom: n - half };
}

export function listpackView(lp: Listpack, limit: number, stride: 1 | 2 = 1): ListpackView {
  const entries: LpEntryView[] = [];
  const n = lp.length;
  const { head, tailFrom } = shownRange(n, limit, stride);
  let offset = LP_HDR_SIZE;
  let hiddenBytes = 0;
  const items = lp.entries;
  for (let i = 0; i < n; i++) {
    const s = items[i];
    if (i < head || i >= tailFrom) {
      const e = lpEntryView(s, i, offset);
      entries.push(e);
      offset += e.size;
    } else {
      const size = lpEncodedSize(s);
      const total = size + lpBacklenSize(size);
      hiddenBytes += total;
      offset += total;
    }
  }
  return {
    totalBytes: lp.bytes, headerBytes: LP_HDR_SIZE, endBytes: LP_EOF_SIZE, count: n,
    countField: n < 65535 ? n : 65535, entries,
    hidden: tailFrom > head ? { from: head, count: tailFrom - head, bytes: hiddenBytes } : null,
  };
}

// --- intset --------------------------------------------------------------------------------------

const INTSET_NAMES = { 2: 'INTSET_ENC_INT16', 4: 'INTSET_ENC_INT32', 8: 'INTSET_ENC_INT64' } as const;
const INTSET_RANGES = {
  2: { min: '-32768', max: '32767' },
  4: { min: '-2147483648', max: '2147483647' },
  8: { min: '-9223372036854775808', max: '9223372036854775807' },
} as const;

function intsetDetail(is: Intset, limit: number): IntsetDetail {
  const n = is.length;
  const { head, tailFrom } = shownRange(n, limit, 1);
  const values: IntsetDetail['values'] = [];
  for (let i = 0; i < head; i++) values.push({ index: i, value: is.getString(i) });
  for (let i = tailFrom; i < n; i++) values.push({ index: i, value: is.getString(i) });
  return {
    form: 'intset', width: is.width, encodingName: INTSET_NAMES[is.width], headerBytes: INTSET_HEADER_SIZE,
    count: n, bytes: is.blobBytes, values,
    hidden: tailFrom > head ? { from: head, count: tailFrom - head, bytes: (tailFrom - head) * is.width } : null,
    range: { ...INTSET_RANGES[is.width] }, nextWidth: is.width === 2 ? 4 : is.width === 4 ? 8 : null,
  };
}

// --- quicklist -----------------------------------------------------------------------------------

function nodeInfo(node: QuicklistNode, index: number, inDepth: boolean): QuicklistNodeInfo {
  const n = node.count;
  return {
    index, id: node.id, container: node.container, count: n, bytes: node.sz, compressed: node.compressed,
    compressedBytes: node.compressed ? node.compressedSize : null, inDepth,
    first: n > 0 ? preview(node.get(0)) : '', last: n > 0 ? preview(node.get(n - 1)) : '',
  };
}

function quicklistDetail(server: RedisServer, ql: Quicklist, limit: number, detailIndex: number): QuicklistDetail {
  const len = ql.len;
  const { head, tailFrom } = shownRange(len, limit, 1);
  const depth = ql.compressDepth;
  const nodes: QuicklistNodeInfo[] = [];
  let hiddenBytes = 0;
  let uncompressed = 0;
  let stored = 0;
  let compressedNodes = 0;
  let detail: QuicklistDetail['detail'] = null;
  const wanted = Math.min(Math.max(0, Math.trunc(detailIndex) || 0), Math.max(0, len - 1));
  let i = 0;
  for (let node = ql.head; node; node = node.next, i++) {
    uncompressed += node.sz;
    stored += node.compressed ? node.compressedSize : node.sz;
    if (node.compressed) compressedNodes++;
    if (i < head || i >= tailFrom) nodes.push(nodeInfo(node, i, depth > 0 && (i < depth || i >= len - depth)));
    else hiddenBytes += node.sz;
    if (i === wanted) detail = { index: i, id: node.id, listpack: node.isPlain ? null : listpackView(node.lp, limit) };
  }
  const fill = ql.fill;
  const nodeLimit: QuicklistDetail['nodeLimit'] = fill < 0
    ? { kind: 'bytes', bytes: OPTIMIZATION_LEVEL[Math.min(-fill, OPTIMIZATION_LEVEL.length) - 1] }
    : { kind: 'count', count: fill, safetyBytes: SIZE_SAFETY_LIMIT };
  return {
    form: 'quicklist', fill, compressDepth: depth,
    configFill: server.config.num('list-max-listpack-size'), configCompressDepth: server.config.num('list-compress-depth'), nodeLimit, packedThreshold: ql.packedThreshold,
    nodeCount: len, count: ql.count, uncompressedBytes: uncompressed, storedBytes: stored, compressedNodes, nodes,
    hidden: tailFrom > head ? { from: head, count: tailFrom - head, bytes: hiddenBytes } : null, detail,
  };
}

// --- strings -------------------------------------------------------------------------------------

function stringDetail(o: StringObject): StringDetail {
  const sds = stringObjectSds(o);
  const encoding = o.encoding as StringDetail['encoding'];
  return {
    form: 'string', encoding, length: o.value.length, value: preview(o.value), shared: o.shared === true,
    refcount: objectRefcount(o), robjBytes: ROBJ_SIZE,
    sds: sds && {
      type: sds.type, headerBytes: sdsHeaderSize(sds.type), len: sds.len, alloc: sds.alloc, avail: sdsAvail(sds), zmalloc: sds.zmalloc,
    },
    embstrBlock: encoding === 'embstr' && sds ? sds.zmalloc + ROBJ_SIZE : null,
  };
}

// --- the snapshot --------------------------------------------------------------------------------

function preview(s: string): string {
  return s.length > VALUE_PREVIEW ? s.slice(0, VALUE_PREVIEW) : s;
}

/** The longest of the strings (0 when none). */
function longest(items: Iterable<string>): number {
  let max = 0;
  for (const s of items) if (s.length > max) max = s.length;
  return max;
}

/** Every key and value of a dict, read straight from its tables (no iterator: no rehash pause/step). */
function* dictStrings(d: Dict<unknown>, withValues: boolean): Generator<string> {
  for (const table of d.tables) {
    if (!table) continue;
    for (let i = 0; i < table.length; i++) {
      for (let e = table[i]; e; e = e.next) {
        yield e.key;
        if (withValues) yield e.value as string;
      }
    }
  }
}

/** Hash fields and values (or zset members) of a listpack: every `stride`-th entry from 0, or all. */
function* listpackElements(lp: Listpack, stride: 1 | 2): Generator<string> {
  const items = lp.entries;
  for (let i = 0; i < items.length; i += stride) yield items[i];
}

function over(id: EncodingThreshold['id'], config: string | null, constant: string | null, limit: number, current: number | null, to: Encoding | null): EncodingThreshold {
  return { id, config, constant, limit, current, passed: current !== null && current > limit, to };
}

function thresholdsFor(server: RedisServer, o: RedisObject, length: number, detail: EncodingDetail): EncodingThreshold[] {
  const cfg = (name: string) => server.config.num(name);
  switch (o.type) {
    case 'hash': {
      const longestLen = o.encoding === 'listpack'
        ? longest(listpackElements(o.value as Listpack, 1))
        : length <= LONGEST_SCAN_LIMIT ? longest(dictStrings(o.value as Dict<unknown>, true)) : null;
      return [
        over('entries', 'hash-max-listpack-entries', null, cfg('hash-max-listpack-entries'), length, 'hashtable'),
        over('value', 'hash-max-listpack-value', null, cfg('hash-max-listpack-value'), longestLen, 'hashtable'),
      ];
    }
    case 'set':
      return [over('entries', 'set-max-intset-entries', null, Math.min(cfg('set-max-intset-entries'), 2 ** 30), length, 'hashtable')];
    case 'zset': {
      let longestLen: number | null;
      if (o.encoding === 'listpack') longestLen = longest(listpackElements(o.value as Listpack, 2));
      else if (length <= LONGEST_SCAN_LIMIT) {
        let max = 0;
        for (const n of (o.value as ZsetSkiplist).zsl.nodes()) if (n.member.length > max) max = n.member.length;
        longestLen = max;
      } else longestLen = null;
      return [
        over('entries', 'zset-max-listpack-entries', null, cfg('zset-max-listpack-entries'), length, 'skiplist'),
        over('value', 'zset-max-listpack-value', null, cfg('zset-max-listpack-value'), longestLen, 'skiplist'),
      ];
    }
    case 'list': {
      const q = detail as QuicklistDetail;
      const ql = o.value as Quicklist;
      const tail = ql.tail;
      const out: EncodingThreshold[] = [];
      // The tail node is where RPUSH adds: how full it is by the list's own fill rule.
      if (q.nodeLimit.kind === 'bytes') {
        out.push(over('node-size', 'list-max-listpack-size', null, q.nodeLimit.bytes, tail ? tail.sz : 0, null));
      } else {
        out.push(over('node-count', 'list-max-listpack-size', null, q.nodeLimit.count, tail ? tail.count : 0, null));
        out.push(over('node-size', null, 'SIZE_SAFETY_LIMIT', q.nodeLimit.safetyBytes, tail ? tail.sz : 0, null));
      }
      // Nodes past depth*2 can be compressed; with depth 0 compression is off.
      if (ql.compressDepth > 0) out.push(over('compress', 'list-compress-depth', null, ql.compressDepth * 2, ql.len, null));
      return out;
    }
    case 'string': {
      const value = (o as StringObject).value;
      const out: EncodingThreshold[] = [over('embstr', null, 'OBJ_ENCODING_EMBSTR_SIZE_LIMIT', EMBSTR_SIZE_LIMIT, value.length, 'raw')];
      if (value.length <= 20 && isStrictInteger(value)) {
        out.push(over('int', null, 'LONG_STR_SIZE', 20, value.length, 'embstr'));
        if (sharedIntegersAllowed(server)) {
          const n = Number(value);
          out.push(over('shared', null, 'OBJ_SHARED_INTEGERS', OBJ_SHARED_INTEGERS - 1, n < 0 ? null : n, 'int'));
        }
      }
      return out;
    }
  }
}

function detailOf(server: RedisServer, o: RedisObject, length: number, limit: number, node: number): EncodingDetail {
  switch (o.encoding) {
    case 'listpack': return { form: 'listpack', stride: 2, listpack: listpackView(o.value as Listpack, limit, 2) };
    case 'intset': return intsetDetail(o.value as Intset, limit);
    case 'quicklist': return quicklistDetail(server, o.value as Quicklist, limit, node);
    case 'int': case 'embstr': case 'raw': return stringDetail(o as StringObject);
    case 'hashtable': return { form: 'summary', panel: 'dict', count: length };
    case 'skiplist': return { form: 'summary', panel: 'skiplist', count: length };
  }
}

function lengthOf(o: RedisObject): number {
  switch (o.encoding) {
    case 'listpack': return (o.value as Listpack).length / 2;
    case 'intset': return (o.value as Intset).length;
    case 'quicklist': return (o.value as Quicklist).count;
    case 'hashtable': return (o.value as Dict<unknown>).size;
    case 'skiplist': return (o.value as ZsetSkiplist).length;
    default: return (o.value as string).length;
  }
}

export function encodingSnapshot(server: RedisServer, query: EncodingQuery): EncodingSnapshot {
  const dbIndex = Math.trunc(query.db);
  if (!(dbIndex >= 0 && dbIndex < server.dbs.length)) throw new RangeError('DB index is out of range');
  if (typeof query.key !== 'string') throw new TypeError('key must be a string');
  const limit = Math.max(2, Math.min(MAX_ENCODING_LIMIT, Math.trunc(query.limit ?? DEFAULT_ENCODING_LIMIT) || DEFAULT_ENCODING_LIMIT));
  const db = server.dbs[dbIndex];
  const o = db.dict.peek(query.key);
  const base = { kind: 'encoding' as const, db: dbIndex, key: query.key };
  if (!o) return { ...base, exists: false, type: null, encoding: null, length: 0, ttl: null, detail: null, thresholds: [], oneWay: false };
  const when = db.expires.size > 0 ? db.expires.peek(query.key) : undefined;
  const length = lengthOf(o);
  const detail = detailOf(server, o, length, limit, query.node ?? 0);
  return {
    ...base, exists: true, type: o.type, encoding: o.encoding, length,
    ttl: when === undefined ? null : Number(when) - server.clock.now(),
    detail, thresholds: thresholdsFor(server, o, length, detail), oneWay: o.type === 'hash' || o.type === 'set',
  };
}

// A model of how Redis allocates the memory behind a string (sds.c + jemalloc), so that what
// Redis lets you observe — DEBUG SDSLEN (len, avail, zmalloc size) and MEMORY USAGE — comes out
// the same. Only sizes are modelled: the bytes themselves live in the engine's byte strings.
//
// An sds is a header followed by the bytes and a NUL. The header type is the smallest that can
// hold the length (sds5 keeps the length in the flags byte and has no room for spare capacity);
// "alloc" is the capacity the header records, and jemalloc rounds every request up to a size class,
// which is where spare capacity comes from even without preallocation.

/** Header type: the bit width of its len/alloc fields (5 = length packed in the flags byte). */
export type SdsType = 5 | 8 | 16 | 32 | 64;

/** The observable shape of one sds allocation. */
export interface SdsInfo {
  readonly type: SdsType;
  /** Bytes in use (sdslen). */
  readonly len: number;
  /** Capacity recorded in the header, excluding header and NUL (sdsalloc; equals len for sds5). */
  readonly alloc: number;
  /** What jemalloc really handed out for header + buffer + NUL (zmalloc_size / sdsZmallocSize). */
  readonly zmalloc: number;
}

/** Strings up to this length become embstr objects (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
export const EMBSTR_SIZE_LIMIT = 44;
/** Above this, greedy growth adds 1MB instead of doubling (SDS_MAX_PREALLOC). */
export const SDS_MAX_PREALLOC = 1024 * 1024;
/** sizeof(robj) on 64-bit builds: type/encoding/lru (4) + refcount (4) + ptr (8). */
export const ROBJ_SIZE = 16;

const HEADER_SIZE: Record<SdsType, number> = { 5: 1, 8: 3, 16: 5, 32: 9, 64: 17 };

export function sdsHeaderSize(type: SdsType): number {
  return HEADER_SIZE[type];
}

/** The smallest header type whose length field holds size (sdsReqType). */
export function sdsTypeFor(size: number): SdsType {
  if (size < 1 << 5) return 5;
  if (size < 1 << 8) return 8;
  if (size < 1 << 16) return 16;
  if (size < 2 ** 32) return 32;
  return 64;
}

/** The largest alloc a header type can record. */
function sdsTypeMaxSize(type: SdsType): number {
  switch (type) {
    case 5: return 31;
    case 8: return 255;
    case 16: return 65535;
    case 32: return 2 ** 32 - 1;
    default: return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * jemalloc 5.3's usable size for a request (x86-64: 8-byte tiny class, 16-byte quantum, then four
 * classes per power of two). Small and large classes follow the same spacing, so one rule covers
 * every size a Redis string can reach.
 */
export function jemallocSize(request: number): number {
  if (request <= 8) return 8;
  if (request <= 128) return Math.ceil(request / 16) * 16;
  const lg = Math.floor(Math.log2(request - 1)); // the class group [2^lg, 2^(lg+1)]
  const delta = 2 ** (lg - 2);
  return Math.ceil(request / delta) * delta;
}

/** Spare room after len (sdsavail; sds5 never reports any). */
export function sdsAvail(s: SdsInfo): number {
  return s.type === 5 ? 0 : s.alloc - s.len;
}

/** A fresh allocation sized by its header type; capacity is whatever the size class leaves. */
function allocate(type: SdsType, requestedCapacity: number, len: number): SdsInfo {
  const zmalloc = jemallocSize(sdsHeaderSize(type) + requestedCapacity + 1);
  if (type === 5) return { type, len, alloc: len, zmalloc };
  const usable = Math.min(zmalloc - sdsHeaderSize(type) - 1, sdsTypeMaxSize(type));
  return { type, len, alloc: usable, zmalloc };
}

/** sdsnewlen: exact-length string; an empty one gets sds8 because it is usually appended to. */
export function sdsNewLen(len: number): SdsInfo {
  let type = sdsTypeFor(len);
  if (type === 5 && len === 0) type = 8;
  return allocate(type, len, len);
}

/**
 * sdsMakeRoomFor: make room for addlen more bytes. Greedy growth (APPEND, SETRANGE, SETBIT...)
 * doubles the needed size below 1MB and adds 1MB above; non-greedy grows to just what is needed.
 * Growing never picks sds5, which cannot remember spare capacity.
 */
export function sdsMakeRoomFor(s: SdsInfo, addlen: number, greedy = true): SdsInfo {
  if (sdsAvail(s) >= addlen) return s;
  let newlen = s.len + addlen;
  if (greedy) newlen = newlen < SDS_MAX_PREALLOC ? newlen * 2 : newlen + SDS_MAX_PREALLOC;
  let type = sdsTypeFor(newlen);
  if (type === 5) type = 8;
  // Same type: realloc; different type: fresh malloc. Either way jemalloc hands out the class size.
  return allocate(type, newlen, s.len);
}

/** sdscatlen: append addlen bytes (greedy growth). */
export function sdsCatLen(s: SdsInfo, addlen: number): SdsInfo {
  const grown = sdsMakeRoomFor(s, addlen);
  return withLen(grown, s.len + addlen);
}

/** sdsgrowzero: extend with zero bytes up to len (greedy growth), as SETRANGE/SETBIT do. */
export function sdsGrowZero(s: SdsInfo, len: number): SdsInfo {
  if (len <= s.len) return s;
  return withLen(sdsMakeRoomFor(s, len - s.len), len);
}

function withLen(s: SdsInfo, len: number): SdsInfo {
  // sds5's alloc is its length, so it follows len.
  return { ...s, len, alloc: s.type === 5 ? len : s.alloc };
}

/**
 * sdsResize: set the capacity to size (recorded exactly, whatever jemalloc hands out). When the
 * header type stays the same (or shrinks but stays wider than sds8) the block is realloc'ed in
 * place with the old header; otherwise it is copied to a block with the fitting header.
 * wouldRegrow avoids sds5.
 */
export function sdsResize(s: SdsInfo, size: number, wouldRegrow: boolean): SdsInfo {
  if (s.alloc === size) return s;
  const len = Math.min(s.len, size);
  let type = sdsTypeFor(size);
  if (wouldRegrow && type === 5) type = 8;
  const useRealloc = s.type === type || (type < s.type && type > 8);
  if (useRealloc) {
    const zmalloc = jemallocSize(sdsHeaderSize(s.type) + size + 1);
    return { type: s.type, len, alloc: s.type === 5 ? len : size, zmalloc };
  }
  const zmalloc = jemallocSize(sdsHeaderSize(type) + size + 1);
  return { type, len, alloc: type === 5 ? len : size, zmalloc };
}

/** sdsRemoveFreeSpace: capacity down to the length. */
export function sdsRemoveFreeSpace(s: SdsInfo, wouldRegrow = false): SdsInfo {
  return sdsResize(s, s.len, wouldRegrow);
}

/**
 * trimStringObjectIfNeeded: a raw string with more than 10% spare capacity is shrunk to fit
 * (tryObjectEncoding does this for strings too long for embstr).
 */
export function trimIfNeeded(s: SdsInfo): SdsInfo {
  return sdsAvail(s) > Math.floor(s.len / 10) ? sdsRemoveFreeSpace(s, false) : s;
}

// ---------------------------------------------------------------------------------------------
// String objects as MEMORY USAGE and DEBUG SDSLEN measure them.

/** An embstr is one block: robj + sdshdr8 + bytes + NUL, with alloc recorded as exactly len. */
export function embstrObjectSize(len: number): number {
  return jemallocSize(ROBJ_SIZE + sdsHeaderSize(8) + len + 1);
}

/** The sds of an embstr as DEBUG SDSLEN reports it (its share of the object's block). */
export function embstrSds(len: number): SdsInfo {
  return { type: 8, len, alloc: len, zmalloc: embstrObjectSize(len) - ROBJ_SIZE };
}

/**
 * The sds a freshly parsed argument carries when it is too long for embstr
 * (createRawStringObject: sdsnewlen of exactly its length).
 */
export function rawArgumentSds(len: number): SdsInfo {
  return sdsNewLen(len);
}

/** Allocation for a key name in the keyspace dict (sdsdup of the argument: sdsnewlen). */
export function keySdsSize(keyLen: number): number {
  return sdsNewLen(keyLen).zmalloc;
}

/** objectComputeSize for a string value: int = robj only; raw = robj + its sds; embstr = the block. */
export function stringValueSize(encoding: 'int' | 'embstr' | 'raw', sds: SdsInfo | null, len: number): number {
  if (encoding === 'int') return ROBJ_SIZE;
  if (encoding === 'embstr') return embstrObjectSize(len);
  return ROBJ_SIZE + (sds ?? sdsNewLen(len)).zmalloc;
}

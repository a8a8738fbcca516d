// LZF as Redis 7.0 builds liblzf (lzf_c.c with HLOG 16, VERY_FAST, no ULTRA_FAST), and lzf_d.c's
// decompressor. The quicklist compresses interior nodes with it (whether a node compresses and how
// small it gets decide the node's state and memory), RDB files compress strings and blobs with it.
//
//   000LLLLL <L+1 bytes>        a literal run of 1..32 bytes
//   LLLooooo oooooooo           a back reference of L+2 (3..8) bytes, offset o+1
//   111ooooo LLLLLLLL oooooooo  a back reference of L+9 bytes, offset o+1
//
// One deliberate difference: Redis does not clear the hash table between calls (it lives on the
// stack), so a stale slot can occasionally point into the current buffer and find a different,
// equally valid match. We always start from an empty table, which is what a fresh stack gives.

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// The hash table of positions, shared by all calls. Rather than clearing 64K slots per call (most
// inputs are short), each call owns a range of stamps: a slot holds stamp base + position + 1, and
// a value from an older call (below this call's base) counts as empty, as a cleared slot would.
const htab = new Int32Array(HSIZE);
let nextBase = 0;

function slotOf(hval: number): number {
  return ((hval >>> 8) - Math.imul(hval, 5)) & (HSIZE - 1);
}

/**
 * lzf_compress: the compressed form of input[start, end) if it fits in `outLen` bytes, else null
 * (liblzf's "returns 0": not compressible enough).
 */
export function lzfCompress(input: Uint8Array, outLen: number, start = 0, end = input.length): Uint8Array | null {
  const inLen = end - start;
  if (inLen === 0 || outLen === 0) return null;
  const out = new Uint8Array(outLen);
  if (nextBase + inLen + 2 > 0x7fffffff) {
    htab.fill(0);
    nextBase = 0;
  }
  // slot value v means position v - base - 1 of this call; v <= base means empty.
  const base = nextBase - start;
  const empty = nextBase;
  nextBase += inLen + 1;
  const inEnd = end;
  let ip = start;
  let op = 1; // the first literal run's header byte
  let lit = 0;
  let hval = ((input[ip] << 8) | input[ip + 1]) >>> 0;

  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = slotOf(hval);
    const stamp = htab[slot];
    const ref = stamp > empty ? stamp - base - 1 : -1;
    htab[slot] = base + ip + 1;
    const off = ip - ref - 1;
    if (ref > start && ref < ip && off < MAX_OFF &&
        input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outLen && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return null;
      out[op - lit - 1] = lit - 1; // close the literal run (harmless when empty: undone next)
      if (lit === 0) op -= 1;
      let decided = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) { decided = true; break; }
        }
      }
      if (!decided) {
        do len++; while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // the length field liblzf stores: match length minus 2
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0; op++; // open the next literal run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: hash the last two positions of the match.
      ip -= 2;
      hval = ((input[ip] << 8) | input[ip + 1]) >>> 0;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[slotOf(hval)] = base + ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[slotOf(hval)] = base + ip + 1;
      ip++;
    } else {
      if (op >= outLen) return null;
      lit++; out[op++] = input[ip++];
      if (lit === MAX_LIT) { out[op - lit - 1] = lit - 1; lit = 0; op++; }
    }
  }
  if (op + 3 > outLen) return null;
  while (ip < inEnd) {
    lit++; out[op++] = input[ip++];
    if (lit === MAX_LIT) { out[op - lit - 1] = lit - 1; lit = 0; op++; }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op -= 1;
  return out.subarray(0, op);
}

/**
 * lzf_decompress into exactly `outLen` bytes; null when the data is malformed or does not
 * decompress to exactly that length (how Redis detects a corrupt compressed string).
 */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  const inLen = input.length;
  while (ip < inLen) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outLen || ip + n > inLen) return null;
      out.set(input.subarray(ip, ip + n), op);
      ip += n;
      op += n;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) {
        if (ip >= inLen) return null;
        len += input[ip++];
      }
      if (ip >= inLen) return null;
      ref -= input[ip++];
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      // Byte by byte: the source may overlap what is being written (runs).
      for (let i = 0; i < len; i++) out[op++] = out[ref++];
    }
  }
  return op === outLen ? out : null;
}

/**
 * The byte length lzf_compress() produces for `input` with an output buffer of `outLen` bytes, or 0
 * when the output does not fit (which is how liblzf reports "not compressible").
 */
export function lzfCompressedLength(input: Uint8Array, outLen: number): number {
  return lzfCompress(input, outLen)?.length ?? 0;
}

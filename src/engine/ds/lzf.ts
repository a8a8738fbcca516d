// LZF compression as Redis 7.0 builds liblzf (lzf_c.c with HLOG 16, VERY_FAST, no ULTRA_FAST).
// The quicklist compresses interior nodes with it, and whether a node compresses and how small it
// gets decide the node's state and memory, so we reproduce the algorithm's exact output length.
// Only the length is computed: nothing reads compressed bytes back in the simulator.
//
// One deliberate difference: Redis does not clear the hash table between calls (it lives on the
// stack), so a stale slot can occasionally point into the current buffer and find a different,
// equally valid match. We always start from an empty table, which is what a fresh stack gives.

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// Scratch table reused between calls and cleared each time: positions, -1 = empty slot.
const htab = new Int32Array(HSIZE);

function slotOf(hval: number): number {
  return ((hval >>> 8) - Math.imul(hval, 5)) & (HSIZE - 1);
}

/**
 * The byte length lzf_compress() would produce for `input` with an output buffer of `outLen`
 * bytes, or 0 when the output does not fit (which is how liblzf reports "not compressible").
 */
export function lzfCompressedLength(input: Uint8Array, outLen: number): number {
  const inLen = input.length;
  if (inLen === 0 || outLen === 0) return 0;
  htab.fill(-1);

  const inEnd = inLen;
  const outEnd = outLen;
  let ip = 0;
  let op = 1; // room for the first literal run's header byte
  let lit = 0;
  let hval = ((input[0] << 8) | input[1]) >>> 0;

  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = slotOf(hval);
    const ref = htab[slot];
    htab[slot] = ip;

    if (ref >= 0 && ref < ip && ip - ref - 1 < MAX_OFF && ref > 0 &&
        input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;

      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
      if (lit === 0) op -= 1; // the empty literal run needs no header

      // Same extension order as liblzf: an unrolled run of up to 16 compares, then a bounded loop.
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

      len -= 2;
      ip++;
      op += len < 7 ? 1 : 2; // control byte (+ extended length)
      op += 1; // low offset byte
      lit = 0; op++; // header of the next literal run

      ip += len + 1;
      if (ip >= inEnd - 2) break;

      // VERY_FAST: re-hash only the last two positions of the match.
      ip -= 2;
      hval = ((input[ip] << 8) | input[ip + 1]) >>> 0;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[slotOf(hval)] = ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[slotOf(hval)] = ip;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++; op++; ip++;
      if (lit === MAX_LIT) { lit = 0; op++; }
    }
  }

  if (op + 3 > outEnd) return 0;
  while (ip < inEnd) {
    lit++; op++; ip++;
    if (lit === MAX_LIT) { lit = 0; op++; }
  }
  if (lit === 0) op -= 1;
  return op;
}

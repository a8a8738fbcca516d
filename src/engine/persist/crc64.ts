// CRC-64 as Redis checksums RDB files and DUMP payloads (crc64.c): the "Jones" polynomial
// 0xad93d23594c935a9, reflected input and output, initial value 0, no final xor. Check value:
// crc64("123456789") = 0xe9c6d914c4b8d9ca. Computed a byte at a time from a 256-entry table; the
// 64-bit state is kept as two 32-bit halves so no bigint arithmetic runs per byte.

/** The reflected polynomial 0x95ac9329ac4bc9b5 (the bit reversal of 0xad93d23594c935a9), as halves. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const lsb = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (lsb) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/** A running CRC-64: feed bytes with update(), read it with value / hi / lo. */
export class Crc64 {
  hi = 0;
  lo = 0;

  update(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ bytes[i]) & 0xff;
      // crc = table[idx] ^ (crc >> 8)
      const nlo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
      const nhi = hi >>> 8;
      lo = (nlo ^ TABLE_LO[idx]) >>> 0;
      hi = (nhi ^ TABLE_HI[idx]) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }

  get value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The checksum as Redis stores it after an RDB's EOF: 8 bytes, little-endian. */
  toBytesLE(): Uint8Array {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.lo, true);
    view.setUint32(4, this.hi, true);
    return out;
  }
}

/** crc64(0, bytes): the checksum of a whole buffer. */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  const c = new Crc64();
  c.update(bytes, start, end);
  return c.value;
}

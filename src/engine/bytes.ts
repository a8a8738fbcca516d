// Redis strings are binary-safe byte sequences. Inside the engine a "byte string" is a JS string in
// which every char code is one byte (0..255). Comparing two byte strings with < compares them as
// memcmp does, and .length is the byte length, which is exactly what Redis's commands need.

const CHUNK = 8192;
const fromCharCode = String.fromCharCode;
/** Reused argument list for fromCharCode.apply: a plain array is faster to apply than a typed one. */
const codes: number[] = [];

/** Bytes -> byte string. */
export function bytesToBinary(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  // Short strings (most keys, fields and small values) without any allocation but the result.
  switch (n) {
    case 0: return '';
    case 1: return fromCharCode(bytes[start]);
    case 2: return fromCharCode(bytes[start], bytes[start + 1]);
    case 3: return fromCharCode(bytes[start], bytes[start + 1], bytes[start + 2]);
    case 4: return fromCharCode(bytes[start], bytes[start + 1], bytes[start + 2], bytes[start + 3]);
  }
  if (n <= CHUNK) {
    codes.length = n;
    for (let i = 0; i < n; i++) codes[i] = bytes[start + i];
    return fromCharCode.apply(null, codes);
  }
  let s = '';
  for (let i = start; i < end; i += CHUNK) {
    s += fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/** Byte string -> bytes. */
export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Text (any Unicode) -> byte string of its UTF-8 encoding. */
export function utf8ToBinary(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp < 0x80) { out += text[i]; continue; }
    // Combine a surrogate pair; a lone surrogate becomes U+FFFD as TextEncoder does.
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) { cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00); i++; }
      else cp = 0xfffd;
    } else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x800) out += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out += String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/** Byte string -> text, decoding UTF-8; an invalid sequence becomes U+FFFD. */
export function binaryToUtf8(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const b = s.charCodeAt(i);
    let need = 0, cp = 0, min = 0;
    if (b < 0x80) { out += s[i++]; continue; }
    if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 31; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; cp = b & 15; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; cp = b & 7; min = 0x10000; }
    else { out += '\ufffd'; i++; continue; }
    let j = 1;
    for (; j <= need; j++) {
      const c = s.charCodeAt(i + j);
      if (!(c >= 0x80 && c <= 0xbf)) break;
      cp = (cp << 6) | (c & 63);
    }
    if (j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\ufffd';
      i += Math.max(1, j - 1 + (j <= need ? 0 : 1));
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/**
 * sdscatrepr: a byte string in double quotes, with C escapes for what isprint() rejects in the C
 * locale (only ASCII 0x20..0x7e is printable). MONITOR lines and redis-cli's output use it.
 */
export function reprBytes(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    switch (b) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += b >= 0x20 && b <= 0x7e ? s[i] : '\\x' + (b & 0xff).toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}

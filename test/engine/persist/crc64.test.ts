import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from '../../../src/engine/persist/crc64.ts';

const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

describe('crc64 (Jones, as Redis)', () => {
  it('gives the check value for "123456789"', () => {
    expect(crc64(ascii('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('is 0 for no bytes and gives crc64.c\'s self-test value for its Lorem ipsum text', () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
    const li = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed ' +
      'do eiusmod tempor incididunt ut labore et dolore magna ' +
      'aliqua. Ut enim ad minim veniam, quis nostrud exercitation ' +
      'ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis ' +
      'aute irure dolor in reprehenderit in voluptate velit esse ' +
      'cillum dolore eu fugiat nulla pariatur. Excepteur sint ' +
      'occaecat cupidatat non proident, sunt in culpa qui officia ' +
      'deserunt mollit anim id est laborum.';
    // The C test hashes sizeof(li): the text and its terminating NUL.
    expect(crc64(ascii(li + '\0'))).toBe(0xc7794709e69683b3n);
  });

  it('can be computed in pieces, and stores little-endian', () => {
    const data = ascii('The quick brown fox jumps over the lazy dog, twice over.');
    const c = new Crc64();
    c.update(data, 0, 10);
    c.update(data, 10, 33);
    c.update(data, 33);
    expect(c.value).toBe(crc64(data));
    const le = c.toBytesLE();
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(le[i]);
    expect(v).toBe(c.value);
  });
});

import { describe, expect, it } from 'vitest';
import { binaryToBytes } from '../../../src/engine/bytes.ts';
import { escapeBytes, WIRE_MAX_ENTRIES, WIRE_SHOWN_BYTES, WireLog } from '../../../src/ui/terminal/wireLog.ts';

describe('the wire view', () => {
  it('escapes bytes so RESP can be read', () => {
    expect(escapeBytes(binaryToBytes('*1\r\n$4\r\nPING\r\n'))).toBe('*1\\r\\n$4\\r\\nPING\\r\\n');
    expect(escapeBytes(binaryToBytes('a\\b\t"\x00\x7f\xc3\xa9~ '))).toBe('a\\\\b\\t"\\x00\\x7f\\xc3\\xa9~ ');
    expect(escapeBytes(binaryToBytes('abcdef'), 3)).toBe('abc');
  });

  it('keeps the last entries, each cut to what is shown, with its whole size', () => {
    const log = new WireLog();
    let changes = 0;
    log.subscribe(() => { changes++; });
    for (let i = 0; i < WIRE_MAX_ENTRIES + 5; i++) log.record(i % 2 ? 'received' : 'sent', binaryToBytes(`:${i}\r\n`));
    const entries = log.snapshot();
    expect(entries).toHaveLength(WIRE_MAX_ENTRIES);
    expect(entries[0]).toEqual({ seq: 5, direction: 'received', text: ':5\\r\\n', size: 4 });
    expect(changes).toBe(WIRE_MAX_ENTRIES + 5);
    log.record('received', new Uint8Array(WIRE_SHOWN_BYTES + 10).fill(0x61));
    expect(log.snapshot().at(-1)).toMatchObject({ text: 'a'.repeat(WIRE_SHOWN_BYTES), size: WIRE_SHOWN_BYTES + 10 });
    const before = log.snapshot();
    log.clear();
    expect(log.snapshot()).toEqual([]);
    expect(before).toHaveLength(WIRE_MAX_ENTRIES);
  });
});

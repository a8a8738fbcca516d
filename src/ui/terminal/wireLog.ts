// The "wire" view of one client: the RESP bytes it sent and received, in order, shown escaped so
// the protocol can be read (`*1\r\n$4\r\nPING\r\n`). Kept outside React state: bytes can arrive
// fast (MONITOR), and the view reads a snapshot when it draws.

export type WireDirection = 'sent' | 'received';

export interface WireEntry {
  /** Increasing, for React keys. */
  seq: number;
  direction: WireDirection;
  /** The bytes, escaped, cut to `WIRE_SHOWN_BYTES`. */
  text: string;
  /** How many bytes the chunk had. */
  size: number;
}

/** Entries kept; older ones are dropped. */
export const WIRE_MAX_ENTRIES = 200;
/** Bytes of one chunk shown (COMMAND DOCS is about 100 KB). */
export const WIRE_SHOWN_BYTES = 1024;

/**
 * Bytes as readable text: printable ASCII as is, a backslash doubled, CR, LF and TAB as `\r`
 * `\n` `\t`, anything else as `\xNN` (UTF-8 text shows as its bytes: that is what travels).
 */
export function escapeBytes(bytes: Uint8Array, limit = bytes.length): string {
  let out = '';
  const n = Math.min(limit, bytes.length);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

export class WireLog {
  private entries: WireEntry[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();

  record(direction: WireDirection, bytes: Uint8Array): void {
    this.entries = [...this.entries.slice(-(WIRE_MAX_ENTRIES - 1)), {
      seq: this.seq++, direction, text: escapeBytes(bytes, WIRE_SHOWN_BYTES), size: bytes.length,
    }];
    for (const fn of this.listeners) fn();
  }

  clear(): void {
    this.entries = [];
    for (const fn of this.listeners) fn();
  }

  /** The entries, oldest first; a new array after every change (for useSyncExternalStore). */
  snapshot = (): readonly WireEntry[] => this.entries;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  };
}

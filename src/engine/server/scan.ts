// The one SCAN implementation behind SCAN, SSCAN, HSCAN and ZSCAN (scanGenericCommand in db.c):
// hashtable-encoded values are walked with the dict's reverse-binary cursor, compact encodings
// (listpack, intset) are returned whole with cursor 0.
import type { Dict } from '../ds/dict.ts';
import { formatDouble } from '../numbers.ts';
import type { Client } from './client.ts';
import { LOOKUP_NOTOUCH } from './db.ts';
import { getLongLongOrReply, isOption } from './args.ts';
import { globMatch } from './glob.ts';
import type { RedisObject } from './object.ts';
import { SYNTAX_ERR } from './shared.ts';

/**
 * parseScanCursorOrReply: strtoul semantics (optional sign, "-1" wraps, "" is 0). Our tables are
 * at most 2^32 buckets, so only the cursor's low 32 bits matter (dictScan ignores the others).
 */
export function parseScanCursorOrReply(c: Client, s: string): number | null {
  const m = /^([+-]?)(\d*)$/.exec(s);
  if (m && !(m[2] === '' && m[1] !== '')) {
    const magnitude = BigInt(m[2] || '0');
    if (magnitude <= 0xffffffffffffffffn) {
      const value = m[1] === '-' ? (1n << 64n) - magnitude : magnitude;
      return Number(value & 0xffffffffn);
    }
  }
  c.reply.error('invalid cursor');
  return null;
}

/** How a value in hashtable encoding exposes its dict to SCAN, and what each entry contributes. */
export interface ScanSource {
  dict: Dict<unknown>;
  /** Entries returned per element: 1 for keys and set members, 2 for field/value and member/score. */
  width: 1 | 2;
}

/** Compact encodings return everything at once. */
export type ScanAll = string[];

/**
 * scanGenericCommand. `source` is the object's dict (or the keyspace), or every element for compact
 * encodings. `o` is the scanned object, null for SCAN over the keyspace.
 */
export function scanGeneric(c: Client, o: RedisObject | null, cursor: number, source: ScanSource | ScanAll): void {
  let count = 10;
  let pattern: string | null = null;
  let typeName: string | null = null;
  let i = o === null ? 2 : 3;
  const argv = c.argv;
  while (i < argv.length) {
    const left = argv.length - i;
    if (isOption(argv[i], 'count') && left >= 2) {
      const n = getLongLongOrReply(c, argv[i + 1]);
      if (n === null) return;
      if (n < 1) { c.reply.error(SYNTAX_ERR); return; }
      count = n;
      i += 2;
    } else if (isOption(argv[i], 'match') && left >= 2) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else if (isOption(argv[i], 'type') && o === null && left >= 2) {
      typeName = argv[i + 1];
      i += 2;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }

  let items: string[];
  let width = 1;
  if (Array.isArray(source)) {
    items = source;
    width = o && (o.type === 'hash' || o.type === 'zset') ? 2 : 1;
    cursor = 0;
  } else {
    width = source.width;
    const limit = count * width;
    items = [];
    let maxIterations = limit * 10;
    do {
      cursor = source.dict.scan(cursor, (e) => {
        items.push(e.key);
        if (width === 2) items.push(typeof e.value === 'number' ? formatDouble(e.value) : (e.value as string));
      });
    } while (cursor !== 0 && maxIterations-- > 0 && items.length < limit);
  }

  // One unit of work per element visited (cost.ts).
  c.server.chargeWork(items.length / width);
  const kept: string[] = [];
  for (let k = 0; k < items.length; k += width) {
    const key = items[k];
    let filter = pattern !== null && !globMatch(pattern, key);
    if (!filter && o === null && typeName !== null) {
      const found = c.db.lookupKeyRead(key, LOOKUP_NOTOUCH);
      filter = typeName.toLowerCase() !== (found ? found.type : 'none');
    }
    if (!filter && o === null && c.db.expireIfNeeded(key)) filter = true;
    if (!filter) for (let w = 0; w < width; w++) kept.push(items[k + w]);
  }

  c.reply.array(2);
  c.reply.bulk(String(cursor));
  c.reply.bulks(kept);
}

// Formats replies exactly as redis-cli 7.0.15 prints them: cliFormatReplyTTY for its standard
// (interactive) output, cliFormatReplyRaw for --raw and for the commands it always prints raw.
// Input and output are byte strings (one char per byte): reply bytes reach the terminal unchanged
// where redis-cli writes them unchanged, and quoted with escapes where it quotes them.
import { reprBytes } from '../../engine/bytes.ts';
import type { Reply, ReplyOf } from '../engine/replyReader.ts';

/**
 * hiredis (1.0, bundled with redis-cli 7.0) reads a RESP3 big number as REDIS_REPLY_BIGNUM (13),
 * which neither formatter knows: redis-cli prints "Unknown reply type: 13" and exits.
 */
export class UnknownReplyTypeError extends Error {
  constructor(readonly replyType: number) {
    super(`Unknown reply type: ${replyType}`);
  }
}

const REDIS_REPLY_BIGNUM = 13;
const REDIS_REPLY_ATTR = 11;

/** sdscatrepr, as redis-cli quotes bulk strings (one implementation, shared with MONITOR). */
export const quoteBytes = reprBytes;

/** What C's string functions see of a byte string: everything before the first zero byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** cliIsMultilineValueTTY: whether a map value goes on its own lines after "=>". */
function isMultilineValue(r: Reply): boolean {
  switch (r.kind) {
    case 'array': case 'set': case 'push':
      if (r.items.length === 0) return false;
      if (r.items.length > 1) return true;
      return isMultilineValue(r.items[0]);
    case 'map':
      if (r.entries.length === 0) return false;
      if (r.entries.length > 1) return true;
      return isMultilineValue(r.entries[0][1]);
    default:
      return false;
  }
}

const EMPTY: Record<'array' | 'set' | 'push' | 'map', string> = {
  array: '(empty array)\n', set: '(empty set)\n', push: '(empty push)\n', map: '(empty hash)\n',
};

/**
 * cliFormatReplyTTY: redis-cli's standard output for one reply, ending in a newline. Aggregates
 * number their elements ("1) ", sets "1~ ", maps "1# key => value") right-aligned to the widest
 * index; nested elements are indented by `prefix` plus two spaces more than the index width.
 */
export function formatReplyTTY(r: Reply, prefix = ''): string {
  switch (r.kind) {
    // These three go through C string functions: a zero byte ends them.
    case 'error': return `(error) ${cString(r.text)}\n`;
    case 'status': return cString(r.text) + '\n';
    case 'integer': return `(integer) ${r.value}\n`;
    case 'double': return `(double) ${cString(r.text)}\n`;
    case 'bulk': return quoteBytes(r.text) + '\n';
    case 'verbatim': return r.text + '\n';
    case 'null': return '(nil)\n';
    case 'bool': return r.value ? '(true)\n' : '(false)\n';
    case 'bignum': throw new UnknownReplyTypeError(REDIS_REPLY_BIGNUM);
    case 'attribute': throw new UnknownReplyTypeError(REDIS_REPLY_ATTR);
    case 'array': case 'set': case 'push': case 'map': {
      const count = r.kind === 'map' ? r.entries.length : r.items.length;
      if (count === 0) return EMPTY[r.kind];
      const width = String(count).length;
      const childPrefix = prefix + ' '.repeat(width + 2);
      const sep = r.kind === 'set' ? '~' : r.kind === 'map' ? '#' : ')';
      let out = '';
      for (let i = 0; i < count; i++) {
        // The first element follows the parent's own index on the same line.
        out += (i === 0 ? '' : prefix) + String(i + 1).padStart(width) + sep + ' ';
        if (r.kind !== 'map') {
          out += formatReplyTTY(r.items[i], childPrefix);
          continue;
        }
        const [key, value] = r.entries[i];
        out += formatReplyTTY(key, childPrefix).slice(0, -1) + ' => ';
        if (isMultilineValue(value)) out += '\n' + childPrefix;
        out += formatReplyTTY(value, childPrefix);
      }
      return out;
    }
  }
}

/**
 * cliFormatReplyRaw: --raw output, and what redis-cli always prints for INFO, CLIENT LIST and the
 * like. Strings unquoted, integers bare, nil as nothing, aggregates one element per line
 * (`mbDelim`), a map entry as "key value". No trailing newline: the caller adds the delimiter.
 */
export function formatReplyRaw(r: Reply, mbDelim = '\n'): string {
  switch (r.kind) {
    case 'null': return '';
    case 'error': return r.text + '\n';
    case 'status': case 'bulk': case 'verbatim': return r.text;
    case 'bool': return r.value ? '(true)' : '(false)';
    case 'integer': return String(r.value);
    case 'double': return r.text;
    case 'bignum': throw new UnknownReplyTypeError(REDIS_REPLY_BIGNUM);
    case 'attribute': throw new UnknownReplyTypeError(REDIS_REPLY_ATTR);
    case 'array': case 'set': case 'push':
      return r.items.map((item) => formatReplyRaw(item, mbDelim)).join(mbDelim);
    case 'map':
      return r.entries.map(([k, v]) => formatReplyRaw(k, mbDelim) + ' ' + formatReplyRaw(v, mbDelim)).join(mbDelim);
  }
}

export type OutputMode = 'standard' | 'raw';

/**
 * cliFormatReply: the text redis-cli writes for a reply. `verbatim` is its per-command raw output
 * (INFO, CLIENT LIST ...): raw formatting without the closing delimiter.
 */
export function formatReply(r: Reply, mode: OutputMode, verbatim = false): string {
  if (verbatim) return formatReplyRaw(r);
  if (mode === 'standard') return formatReplyTTY(r);
  return formatReplyRaw(r) + '\n';
}

/** isInvalidateReply: a client-side caching invalidation push. */
export function isInvalidateReply(r: Reply): boolean {
  return r.kind === 'push' && r.items.length === 2 && r.items[0].kind === 'bulk' &&
    r.items[0].text.startsWith('invalidate') && r.items[1].kind === 'array';
}

/**
 * cliFormatInvalidateTTY: "-> invalidate: 'k1', 'k2'". redis-cli formats each key with "%s", so a
 * key stops at its first zero byte.
 */
export function formatInvalidateTTY(r: ReplyOf<'push'>): string {
  const keys = (r.items[1] as ReplyOf<'array'>).items;
  const shown = keys.map((k) => {
    return `'${cString(k.kind === 'bulk' ? k.text : '')}'`;
  });
  return '-> invalidate: ' + shown.join(', ') + '\n';
}

/** cliPushHandler: how a spontaneous push message is shown while redis-cli waits for a reply. */
export function formatPush(r: ReplyOf<'push'>, mode: OutputMode): string {
  if (mode === 'standard' && isInvalidateReply(r)) return formatInvalidateTTY(r);
  return formatReply(r, mode);
}

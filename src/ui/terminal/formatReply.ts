// Formats a reply the way redis-cli 7.0 does in interactive (non-raw) mode: "(integer) 1", "(nil)",
// quoted strings with escapes, numbered nested lists indented like cliFormatReplyTTY.
import type { Reply } from '../engine/replyReader.ts';

/** sdscatrepr: quotes a byte string, escaping what is not printable. */
export function quoteBytes(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (ch === '\\' || ch === '"') s += '\\' + ch;
    else if (b === 10) s += '\\n';
    else if (b === 13) s += '\\r';
    else if (b === 9) s += '\\t';
    else if (b === 7) s += '\\a';
    else if (b === 8) s += '\\b';
    else if (b >= 32 && b < 127) s += ch;
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s + '"';
}

const utf8 = new TextDecoder('utf-8');

export function formatReply(r: Reply, indent = 0): string {
  switch (r.kind) {
    case 'status': return r.text;
    case 'error': return `(error) ${r.text}`;
    case 'integer': return `(integer) ${r.value}`;
    case 'double': return `(double) ${r.text}`;
    case 'bool': return r.value ? '(true)' : '(false)';
    case 'bignum': return `(big number) ${r.text}`;
    case 'null': return '(nil)';
    case 'bulk': return quoteBytes(r.bytes);
    case 'verbatim': return utf8.decode(r.bytes);
    case 'array': case 'set': case 'push': {
      if (r.items.length === 0) return r.kind === 'set' ? '(empty set)' : '(empty array)';
      const width = String(r.items.length).length;
      return r.items.map((item, i) => {
        const prefix = `${String(i + 1).padStart(width)}) `;
        const pad = i === 0 ? '' : ' '.repeat(indent);
        return pad + prefix + formatReply(item, indent + prefix.length);
      }).join('\n');
    }
    case 'map': case 'attribute': {
      if (r.entries.length === 0) return '(empty hash)';
      const width = String(r.entries.length).length;
      return r.entries.map(([k, v], i) => {
        const prefix = `${String(i + 1).padStart(width)}# `;
        const pad = i === 0 ? '' : ' '.repeat(indent);
        const key = formatReply(k, indent + prefix.length);
        return pad + prefix + key + ' => ' + formatReply(v, indent + prefix.length + key.length + 4);
      }).join('\n');
    }
  }
}

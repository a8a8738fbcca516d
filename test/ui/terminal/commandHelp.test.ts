// The help table: synopses from COMMAND DOCS argument trees, hints, completion and help text, as
// redis-cli 7.0.15 computes them. Expected strings marked "redis-cli" are what the real one showed.
import { describe, expect, it } from 'vitest';
import { argumentSynopsis, CommandHelp, genericHelp, type CommandDoc } from '../../../src/ui/terminal/commandHelp.ts';
import { hintFor, staticCommandHelp } from '../../../src/ui/terminal/staticCommandDocs.ts';

describe('argumentSynopsis (cliAddArgument)', () => {
  it('writes plain arguments by name, tokens before them, "[...]" for optional ones', () => {
    expect(argumentSynopsis({ name: 'key', type: 'key' })).toBe('key');
    expect(argumentSynopsis({ name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] })).toBe('[COUNT count]');
    expect(argumentSynopsis({ name: 'nx', type: 'pure-token', token: 'NX', flags: ['optional'] })).toBe('[NX]');
  });

  it('joins "oneof" with "|" and "block" with spaces', () => {
    expect(argumentSynopsis({
      name: 'condition', type: 'oneof', flags: ['optional'],
      arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }],
    })).toBe('[NX|XX]');
    expect(argumentSynopsis({
      name: 'data', type: 'block', flags: ['multiple'],
      arguments: [{ name: 'score', type: 'double' }, { name: 'member', type: 'string' }],
    })).toBe('score member [score member ...]');
  });

  it('repeats the token only for multiple_token arguments', () => {
    const pattern = { name: 'pattern', type: 'pattern', token: 'GET', flags: ['optional', 'multiple'] };
    expect(argumentSynopsis(pattern)).toBe('[GET pattern [pattern ...]]');
    expect(argumentSynopsis({ ...pattern, flags: [...pattern.flags, 'multiple_token'] })).toBe('[GET pattern [GET pattern ...]]');
  });

  it('shows an empty name or token as ""', () => {
    expect(argumentSynopsis({ name: '', type: 'string' })).toBe('""');
    expect(argumentSynopsis({ name: 'x', type: 'string', token: '' })).toBe('"" x');
  });
});

const docs: Record<string, CommandDoc> = {
  get: { summary: 'Get it', since: '1.0.0', group: 'string', arguments: [{ name: 'key', type: 'key' }] },
  getex: { summary: 'Get and expire', since: '6.2.0', group: 'string', arguments: [{ name: 'key', type: 'key' }, { name: 'ttl', type: 'integer', flags: ['optional'] }] },
  set: {
    summary: 'Set it', since: '1.0.0', group: 'string',
    arguments: [{ name: 'key', type: 'key' }, { name: 'value', type: 'string' }, { name: 'nx', type: 'pure-token', token: 'NX', flags: ['optional'] }],
  },
  config: {
    summary: 'A container', since: '2.0.0', group: 'server',
    subcommands: {
      'config|get': { summary: 'Get config', since: '2.0.0', group: 'server', arguments: [{ name: 'parameter', type: 'string', flags: ['multiple'] }] },
      'config|set': { summary: 'Set config', since: '2.0.0', group: 'server', arguments: [{ name: 'parameter', type: 'string' }, { name: 'value', type: 'string' }] },
    },
  },
};
const help = new CommandHelp(docs);

describe('CommandHelp', () => {
  it('sorts commands, subcommands and groups by full name', () => {
    expect(help.entries.map((e) => e.full)).toEqual(['@server', '@string', 'CONFIG', 'CONFIG GET', 'CONFIG SET', 'GET', 'GETEX', 'SET']);
    expect(help.entries.find((e) => e.full === 'CONFIG GET')).toMatchObject({ kind: 'command', argv: ['CONFIG', 'GET'], params: 'parameter [parameter ...]' });
  });

  it('hints the arguments not typed yet, up to the first optional one', () => {
    expect(help.hint('set')).toBe(' key value [NX]');
    expect(help.hint('SET ')).toBe('key value [NX]');
    expect(help.hint('set k')).toBe(' value [NX]');
    expect(help.hint('set k ')).toBe('value [NX]');
    expect(help.hint('set k v')).toBe(' [NX]');
    expect(help.hint('set k v NX extra more')).toBe(' [NX]');
    // The last word typed counts as an argument even while being typed: nothing left but a space.
    expect(help.hint('get k')).toBe(' ');
    expect(help.hint('get k ')).toBe('');
  });

  it('picks the longest matching name, so subcommands get their own hint', () => {
    expect(help.hint('config')).toBe(' ');
    expect(help.hint('config get')).toBe(' parameter [parameter ...]');
    expect(help.hint('CONFIG SET maxmemory')).toBe(' value');
    expect(help.hint('config nosuch')).toBe(' ');
  });

  it('hints nothing for blank lines, unknown commands and unbalanced quotes', () => {
    expect(help.hint('')).toBeNull();
    expect(help.hint('   ')).toBeNull();
    expect(help.hint('nosuch')).toBeNull();
    expect(help.hint('set "k')).toBeNull();
    expect(help.hint('help get')).toBeNull();
  });

  it('understands quoted arguments in the line', () => {
    expect(help.hint('set "a b"')).toBe(' value [NX]');
    expect(help.hint("'set' k")).toBe(' value [NX]');
  });

  it('completes command names, case-insensitively, in table order', () => {
    expect(help.completions('ge')).toEqual(['GET', 'GETEX']);
    expect(help.completions('GETE')).toEqual(['GETEX']);
    expect(help.completions('config s')).toEqual(['CONFIG SET']);
    expect(help.completions('con')).toEqual(['CONFIG', 'CONFIG GET', 'CONFIG SET']);
    expect(help.completions('get ')).toEqual([]);
    expect(help.completions('@s')).toEqual([]);
    expect(help.completions('')).toEqual(['CONFIG', 'CONFIG GET', 'CONFIG SET', 'GET', 'GETEX', 'SET']);
  });

  it('completes help topics, groups included, keeping what comes before the topic', () => {
    expect(help.completions('help @s')).toEqual(['help @server', 'help @string']);
    expect(help.completions('HELP   ge')).toEqual(['HELP   GET', 'HELP   GETEX']);
  });

  it('prints help for commands whose name starts with the words given', () => {
    const get = '\r\n  \x1b[1mGET\x1b[0m \x1b[90mkey\x1b[0m\r\n  \x1b[33msummary:\x1b[0m Get it\r\n' +
      '  \x1b[33msince:\x1b[0m 1.0.0\r\n  \x1b[33mgroup:\x1b[0m string\r\n';
    expect(help.help(['get'])).toBe(get + '\r\n');
    expect(help.help(['config'])).toContain('\x1b[1mCONFIG\x1b[0m \x1b[90m\x1b[0m');
    expect(help.help(['config']).match(/\x1b\[1m/g)).toHaveLength(3);
    expect(help.help(['config', 'SET'])).toContain('\x1b[1mCONFIG SET\x1b[0m \x1b[90mparameter value\x1b[0m');
    expect(help.help(['config', 'SET']).match(/\x1b\[1m/g)).toHaveLength(1);
    expect(help.help(['nosuch'])).toBe('\r\n');
    expect(help.help(['get', 'x'])).toBe('\r\n');
  });

  it('prints a group without the group line', () => {
    const out = help.help(['@STRING']);
    expect(out.match(/\x1b\[1m[A-Z]+/g)).toEqual(['\x1b[1mGET', '\x1b[1mGETEX', '\x1b[1mSET']);
    expect(out).not.toContain('group:');
    expect(help.help(['@'])).toBe('\r\n');
  });

  it('prints the generic help', () => {
    expect(genericHelp('7.0.15')).toMatch(/^redis-cli 7\.0\.15\nTo get help about Redis commands type:\n/);
    expect(genericHelp('7.0.15')).toMatch(/Set your preferences in ~\/\.redisclirc\n$/);
  });

  it('reads the table from a COMMAND DOCS reply, RESP2 flat arrays or RESP3 maps', () => {
    const b = (text: string) => ({ kind: 'bulk', text }) as const;
    const arg = (name: string, type: string, flags: string[] = []) => [b('name'), b(name), b('type'), b(type),
      ...(flags.length ? [b('flags'), { kind: 'array', items: flags.map((f) => ({ kind: 'status', text: f })) }] : [])];
    const resp2 = CommandHelp.fromCommandDocsReply({
      kind: 'array',
      items: [b('getex'), { kind: 'array', items: [b('summary'), b('S'), b('since'), b('6.2.0'), b('group'), b('string'),
        b('arguments'), { kind: 'array', items: [{ kind: 'array', items: arg('key', 'key') }, { kind: 'array', items: arg('ttl', 'integer', ['optional']) }] }] }],
    } as never);
    expect(resp2?.hint('getex')).toBe(' key [ttl]');
    const resp3 = CommandHelp.fromCommandDocsReply({
      kind: 'map',
      entries: [[b('get'), { kind: 'map', entries: [[b('summary'), b('S')], [b('group'), b('string')], [b('since'), b('1.0.0')],
        [b('arguments'), { kind: 'array', items: [{ kind: 'map', entries: [[b('name'), b('key')], [b('type'), b('key')]] }] }]] }]],
    } as never);
    expect(resp3?.hint('get')).toBe(' key');
    expect(resp3?.help(['@string'])).toContain('\x1b[1mGET\x1b[0m \x1b[90mkey\x1b[0m');
    expect(CommandHelp.fromCommandDocsReply({ kind: 'error', text: 'NOAUTH' })).toBeNull();
  });
});

describe('the static table (Redis 7.0.15 facts and our summaries)', () => {
  it('gives the hints the real redis-cli showed', () => {
    expect(hintFor('ZADD')).toBe(' key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]');
    expect(hintFor('ZADD k NX')).toBe(' [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]');
    expect(hintFor('HELLO ')).toBe('[protover [AUTH username password] [SETNAME clientname]]');
    expect(hintFor('SUBSCRIBE c')).toBe(' [channel ...]');
    expect(hintFor('GEOADD')).toBe(' key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]');
    expect(hintFor('GEODIST')).toBe(' key member1 member2 [M|KM|FT|MI]');
    expect(hintFor('config get ')).toBe('parameter [parameter ...]');
    expect(hintFor('PING')).toBe(' [message]');
    expect(hintFor('SELECT ')).toBe('index');
    expect(hintFor('DEBUG PROTOCOL')).toBe(' ');
    expect(hintFor('nosuch')).toBeNull();
  });

  it('has the synopses redis-cli printed for `help @hyperloglog`', () => {
    const params = staticCommandHelp().entries.filter((e) => e.group === 'hyperloglog').map((e) => [e.full, e.params]);
    expect(params).toEqual([
      ['PFADD', 'key [element [element ...]]'], ['PFCOUNT', 'key [key ...]'], ['PFDEBUG', 'subcommand key'],
      ['PFMERGE', 'destkey sourcekey [sourcekey ...]'], ['PFSELFTEST', ''],
    ]);
  });

  it('completes as the real redis-cli did: GEOADD before GET, groups after help', () => {
    expect(staticCommandHelp().completions('ge').slice(0, 3)).toEqual(['GEOADD', 'GEODIST', 'GEOHASH']);
    expect(staticCommandHelp().completions('help @str')).toEqual(['help @stream', 'help @string']);
  });
});

// The evaluator: every predicate kind and comparison mode, holding and failing, with the "why"
// text that tells the learner which part fails and what the state is now (in both languages).
import { describe, expect, test } from 'vitest';
import type { KeyFacts, LessonFacts } from '../../src/engine/trace/lessonFacts.ts';
import { checkStep, evaluate, factsFor, inRange } from '../../src/lessons/evaluate.ts';
import type { JournalEntry } from '../../src/lessons/journal.ts';
import { Predicate, type Step } from '../../src/lessons/schema.ts';

function facts(part: Partial<LessonFacts> = {}): LessonFacts {
  return { kind: 'lesson-facts', now: 0, keys: [], dbs: [], config: [], clients: [], ...part };
}

function key(k: Partial<Extract<KeyFacts, { exists: true }>> & Pick<KeyFacts, 'key'> & { value: Extract<KeyFacts, { exists: true }>['value'] }): KeyFacts {
  return {
    db: 0, exists: true, type: k.value.type, encoding: 'embstr', length: 0, pttl: null, truncated: false, rehashing: null, members: [], ...k,
  } as KeyFacts;
}

const counter9 = key({ key: 'counter', value: { type: 'string', value: '9' }, encoding: 'int', length: 1 });
const counter10 = key({ key: 'counter', value: { type: 'string', value: '10' }, encoding: 'int', length: 2, pttl: 30_000 });

/** Parses the predicate with the schema first (so every predicate tested is a valid one), then judges it. */
function judge(p: unknown, f: LessonFacts, journal: JournalEntry[] = []) {
  return evaluate(Predicate.parse(p), f, journal);
}

describe('key', () => {
  test('value number: exact, the brief\'s example', () => {
    const p = { kind: 'key', key: 'counter', value: { number: 10 } };
    const no = judge(p, facts({ keys: [counter9] }));
    expect(no.ok).toBe(false);
    expect(no.why.en).toBe('key `counter` is a string holding "9"; the objective wants 10');
    expect(no.why.zh).toBe('键 `counter` 是字符串，值为 "9"，目标要求 10');
    const yes = judge(p, facts({ keys: [counter10] }));
    expect(yes.ok).toBe(true);
    expect(yes.why.en).toBe('key `counter` is a string holding "10" (int), expiring in 30 s');
  });

  test('value number: a range, and a value that is not a number', () => {
    const p = { kind: 'key', key: 'counter', value: { number: { min: 5, max: 9 } } };
    expect(judge(p, facts({ keys: [counter9] })).ok).toBe(true);
    const no = judge(p, facts({ keys: [counter10] }));
    expect(no.why.en).toBe('key `counter` is a string holding "10"; the objective wants between 5 and 9');
    expect(no.why.zh).toBe('键 `counter` 是字符串，值为 "10"，目标要求在 5 到 9 之间');
    const word = key({ key: 'counter', value: { type: 'string', value: 'ten' } });
    expect(judge(p, facts({ keys: [word] })).why.en).toBe('key `counter` is a string holding "ten", which is not a number; the objective wants a number between 5 and 9');
  });

  test('exists (default true), exists false, missing key', () => {
    const gone = { db: 0, key: 'counter', exists: false } as const;
    expect(judge({ kind: 'key', key: 'counter' }, facts({ keys: [counter9] }))).toEqual({ ok: true, why: { en: 'key `counter` exists: a string holding "9"', zh: '键 `counter` 存在：字符串，值为 "9"' } });
    expect(judge({ kind: 'key', key: 'counter' }, facts({ keys: [gone] }))).toEqual({ ok: false, why: { en: 'key `counter` does not exist yet', zh: '键 `counter` 还不存在' } });
    expect(judge({ kind: 'key', key: 'counter', exists: false }, facts({ keys: [gone] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'counter', exists: false }, facts({ keys: [counter9] })).why.en)
      .toBe('key `counter` still exists (a string); the objective wants it gone');
    expect(judge({ kind: 'key', key: 'counter', type: 'string' }, facts({ keys: [gone] })).why.en).toBe('key `counter` does not exist yet');
  });

  test('db other than 0', () => {
    const other = key({ key: 'k', db: 2, value: { type: 'string', value: 'x' } });
    expect(judge({ kind: 'key', key: 'k', db: 2 }, facts({ keys: [other] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'k', db: 2, exists: false }, facts({ keys: [{ db: 2, key: 'k', exists: false }] })).why.en).toBe('key `k` (db 2) does not exist');
  });

  test('type', () => {
    const l = key({ key: 'q', value: { type: 'list', items: ['a'] }, encoding: 'quicklist', length: 1 });
    expect(judge({ kind: 'key', key: 'q', type: 'list' }, facts({ keys: [l] })).ok).toBe(true);
    const no = judge({ kind: 'key', key: 'q', type: 'zset' }, facts({ keys: [l] }));
    expect(no.why).toEqual({ en: 'key `q` is a list; the objective wants a sorted set', zh: '键 `q` 是列表，目标要求是有序集合' });
  });

  test('encoding: one, or any of several', () => {
    const h = key({ key: 'h', value: { type: 'hash', fields: [['a', '1']] }, encoding: 'listpack', length: 1 });
    expect(judge({ kind: 'key', key: 'h', encoding: 'listpack' }, facts({ keys: [h] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'h', encoding: ['hashtable', 'listpack'] }, facts({ keys: [h] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'h', encoding: 'hashtable' }, facts({ keys: [h] })).why).toEqual({
      en: 'key `h` is encoded as listpack (OBJECT ENCODING); the objective wants hashtable',
      zh: '键 `h` 的编码是 listpack（OBJECT ENCODING），目标要求 hashtable',
    });
    expect(judge({ kind: 'key', key: 'h', encoding: ['hashtable', 'ziplist'] }, facts({ keys: [h] })).why.en)
      .toBe('key `h` is encoded as listpack (OBJECT ENCODING); the objective wants one of hashtable, ziplist');
  });

  test('value equals: byte for byte, UTF-8 text against the bytes', () => {
    const s = key({ key: 'greet', value: { type: 'string', value: 'hello' } });
    expect(judge({ kind: 'key', key: 'greet', value: { equals: 'hello' } }, facts({ keys: [s] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'greet', value: { equals: 'Hello' } }, facts({ keys: [s] })).why.en)
      .toBe('key `greet` is a string holding "hello"; the objective wants "Hello"');
    const utf8 = key({ key: 'greet', value: { type: 'string', value: '\u00e4\u00bd\u00a0\u00e5\u00a5\u00bd' } }); // 你好 as bytes
    expect(judge({ kind: 'key', key: 'greet', value: { equals: '你好' } }, facts({ keys: [utf8] })).ok).toBe(true);
    const l = key({ key: 'greet', value: { type: 'list', items: [] } });
    expect(judge({ kind: 'key', key: 'greet', value: { equals: 'x' } }, facts({ keys: [l] })).why.en)
      .toBe('key `greet` is a list; the objective compares it as a string');
  });

  test('value list: in order', () => {
    const l = key({ key: 'q', value: { type: 'list', items: ['a', 'b', 'c'] }, length: 3 });
    expect(judge({ kind: 'key', key: 'q', value: { list: ['a', 'b', 'c'] } }, facts({ keys: [l] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'q', value: { list: ['c', 'b', 'a'] } }, facts({ keys: [l] })).why).toEqual({
      en: 'list `q` is ["a", "b", "c"]; the objective wants ["c", "b", "a"] (in this order)',
      zh: '列表 `q` 现在是 ["a", "b", "c"]，目标要求 ["c", "b", "a"]（按此顺序）',
    });
  });

  test('value members: any order, exact by default, at least these with exact false; sets and sorted sets', () => {
    const members = (have: string[], asked: string[]) => key({
      key: 's', value: { type: 'set', members: have }, encoding: 'listpack', length: have.length,
      members: asked.map((m) => ({ member: m, present: have.includes(m) })),
    });
    const exact = { kind: 'key', key: 's', value: { members: ['a', 'b'] } };
    const atLeast = { kind: 'key', key: 's', value: { members: ['a', 'b'], exact: false } };
    expect(judge(exact, facts({ keys: [members(['b', 'a'], ['a', 'b'])] })).ok).toBe(true);
    const extra = judge(exact, facts({ keys: [members(['b', 'a', 'c'], ['a', 'b'])] }));
    expect(extra.why).toEqual({
      en: 'set `s` also has ["c"]; the objective wants exactly ["a", "b"]',
      zh: '集合 `s` 还有多余的成员 ["c"]，目标要求恰好是 ["a", "b"]',
    });
    expect(judge(atLeast, facts({ keys: [members(['b', 'a', 'c'], ['a', 'b'])] })).ok).toBe(true);
    expect(judge(atLeast, facts({ keys: [members(['b', 'c'], ['a', 'b'])] })).why.en).toBe('set `s` lacks ["a"]; it has 2 member(s)');
    const z = key({ key: 's', value: { type: 'zset', entries: [['a', 1]] }, encoding: 'listpack', length: 1, members: [{ member: 'a', present: true, score: 1, rank: 0, level: null }] });
    expect(judge({ kind: 'key', key: 's', value: { members: ['a'] } }, facts({ keys: [z] })).ok).toBe(true);
  });

  test('value fields: exact by default, at least these with exact false', () => {
    const h = key({
      key: 'u', value: { type: 'hash', fields: [['name', 'ada'], ['lang', 'zh']] }, encoding: 'listpack', length: 2,
      members: [{ member: 'name', present: true, value: 'ada' }, { member: 'city', present: false }],
    });
    expect(judge({ kind: 'key', key: 'u', value: { fields: { name: 'ada' }, exact: false } }, facts({ keys: [h] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'u', value: { fields: { name: 'ada' } } }, facts({ keys: [h] })).why.en)
      .toBe('hash `u` also has the field(s) ["lang"]; the objective wants exactly 1');
    expect(judge({ kind: 'key', key: 'u', value: { fields: { name: 'bob' }, exact: false } }, facts({ keys: [h] })).why).toEqual({
      en: 'field `name` of hash `u` is "ada"; the objective wants "bob"', zh: '哈希 `u` 的字段 `name` 是 "ada"，目标要求 "bob"',
    });
    expect(judge({ kind: 'key', key: 'u', value: { fields: { city: 'paris' }, exact: false } }, facts({ keys: [h] })).why.en)
      .toBe('hash `u` has no field `city`; the objective wants it to be "paris"');
  });

  test('value scores', () => {
    const z = key({
      key: 'board', value: { type: 'zset', entries: [['ann', 5], ['bob', 7]] }, encoding: 'listpack', length: 2,
      members: [{ member: 'ann', present: true, score: 5, rank: 0, level: null }, { member: 'cy', present: false }],
    });
    expect(judge({ kind: 'key', key: 'board', value: { scores: { ann: 5 } } }, facts({ keys: [z] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'board', value: { scores: { ann: 6 } } }, facts({ keys: [z] })).why.en)
      .toBe('member `ann` of `board` has score 5; the objective wants 6');
    expect(judge({ kind: 'key', key: 'board', value: { scores: { cy: 1 } } }, facts({ keys: [z] })).why.zh)
      .toBe('有序集合 `board` 没有成员 `cy`，目标要求它的分数为 1');
  });

  test('length: exact and ranges', () => {
    const l = key({ key: 'q', value: { type: 'list', items: ['a', 'b', 'c'] }, length: 3 });
    expect(judge({ kind: 'key', key: 'q', length: 3 }, facts({ keys: [l] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'q', length: { min: 2 } }, facts({ keys: [l] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'q', length: { min: 5 } }, facts({ keys: [l] })).why).toEqual({
      en: 'key `q` has 3 elements; the objective wants at least 5', zh: '键 `q` 有 3 个元素，目标要求至少 5',
    });
    expect(judge({ kind: 'key', key: 'counter', length: { max: 1 } }, facts({ keys: [counter10] })).why.en)
      .toBe('key `counter` is 2 bytes long (STRLEN); the objective wants at most 1');
  });

  test('ttlMs: a range, or none', () => {
    expect(judge({ kind: 'key', key: 'counter', ttlMs: { min: 1, max: 60_000 } }, facts({ keys: [counter10] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'counter', ttlMs: { max: 10_000 } }, facts({ keys: [counter10] })).why).toEqual({
      en: 'key `counter` expires in 30 s (PTTL 30000); the objective wants at most 10 s',
      zh: '键 `counter` 将在 30 秒后过期（PTTL 30000），目标要求剩余时间至多 10 秒',
    });
    expect(judge({ kind: 'key', key: 'counter', ttlMs: { min: 1 } }, facts({ keys: [counter9] })).why.en)
      .toBe('key `counter` has no TTL; the objective wants one of at least 1 ms');
    expect(judge({ kind: 'key', key: 'counter', ttlMs: 'none' }, facts({ keys: [counter9] })).ok).toBe(true);
    expect(judge({ kind: 'key', key: 'counter', ttlMs: 'none' }, facts({ keys: [counter10] })).why.en)
      .toBe('key `counter` expires in 30 s; the objective wants no TTL (persistent)');
  });
});

describe('dbsize, rehashing, skiplist, config, client', () => {
  test('dbsize', () => {
    const f = facts({ dbs: [{ db: 0, size: 3, rehashing: false }] });
    expect(judge({ kind: 'dbsize', range: 3 }, f)).toEqual({ ok: true, why: { en: 'db 0 holds 3 keys (DBSIZE)', zh: '0 号库有 3 个键（DBSIZE）' } });
    expect(judge({ kind: 'dbsize', range: { min: 5 } }, f).why.en).toBe('db 0 holds 3 keys (DBSIZE); the objective wants at least 5');
  });

  test('rehashing: the keyspace dict, and a key\'s dict', () => {
    const f = facts({
      dbs: [{ db: 0, size: 9, rehashing: true }],
      keys: [
        key({ key: 'h', value: { type: 'hash', fields: [] }, encoding: 'hashtable', length: 200, rehashing: false }),
        key({ key: 'small', value: { type: 'hash', fields: [] }, encoding: 'listpack', length: 2, rehashing: null }),
      ],
    });
    expect(judge({ kind: 'rehashing', is: true }, f).ok).toBe(true);
    expect(judge({ kind: 'rehashing', is: false }, f).why.en).toBe('the keyspace dict of db 0 is rehashing; the objective wants it finished');
    expect(judge({ kind: 'rehashing', key: 'h', is: false }, f).ok).toBe(true);
    expect(judge({ kind: 'rehashing', key: 'h', is: true }, f).why).toEqual({
      en: 'the dict of key `h` is not rehashing; the objective wants a rehash in progress', zh: '键 `h` 的字典没有在 rehash，目标要求 rehash 正在进行',
    });
    expect(judge({ kind: 'rehashing', key: 'small', is: true }, f).why.en)
      .toBe('key `small` is a hash encoded as listpack, with no dict; the objective wants its dict rehashing');
    expect(judge({ kind: 'rehashing', key: 'small', is: false }, f).ok).toBe(true);
  });

  test('skiplist: level and rank of a member; a listpack has no levels', () => {
    const big = key({
      key: 'z', value: { type: 'zset', entries: [] }, encoding: 'skiplist', length: 200,
      members: [{ member: 'm', present: true, score: 4, rank: 17, level: 3 }],
    });
    const small = key({ key: 'z', value: { type: 'zset', entries: [] }, encoding: 'listpack', length: 2, members: [{ member: 'm', present: true, score: 4, rank: 1, level: null }] });
    expect(judge({ kind: 'skiplist', key: 'z', member: 'm', level: { min: 2 }, rank: 17 }, facts({ keys: [big] })).ok).toBe(true);
    expect(judge({ kind: 'skiplist', key: 'z', member: 'm', level: { min: 4 } }, facts({ keys: [big] })).why.en)
      .toBe('member `m` of `z` sits on a node of level 3; the objective wants at least 4');
    expect(judge({ kind: 'skiplist', key: 'z', member: 'm', rank: 0 }, facts({ keys: [big] })).why.zh)
      .toBe('`z` 的成员 `m` 排名是 17（ZRANK），目标要求恰好 0');
    expect(judge({ kind: 'skiplist', key: 'z', member: 'm', level: 1 }, facts({ keys: [small] })).why.en)
      .toBe('sorted set `z` is still a listpack: there is no skiplist yet, so no levels');
    expect(judge({ kind: 'skiplist', key: 'z', member: 'x' }, facts({ keys: [{ ...big, members: [{ member: 'x', present: false }] } as KeyFacts] })).why.en)
      .toBe('sorted set `z` has no member `x`');
  });

  test('config', () => {
    const f = facts({ config: [{ name: 'maxmemory-policy', value: 'noeviction' }, { name: 'nope', value: null }] });
    expect(judge({ kind: 'config', name: 'maxmemory-policy', value: 'noeviction' }, f).ok).toBe(true);
    expect(judge({ kind: 'config', name: 'maxmemory-policy', value: 'allkeys-lru' }, f).why).toEqual({
      en: 'maxmemory-policy is "noeviction" (CONFIG GET); the objective wants "allkeys-lru"',
      zh: 'maxmemory-policy 当前为 "noeviction"（CONFIG GET），目标要求 "allkeys-lru"',
    });
    expect(judge({ kind: 'config', name: 'nope', value: '1' }, f).why.en).toBe('there is no config parameter nope');
  });

  test('client: in MULTI, subscriptions, watching, not connected', () => {
    const f = facts({
      clients: [
        { n: 1, connected: true, inMulti: true, subscriptions: 0, watching: true, id: 3 },
        { n: 2, connected: true, inMulti: false, subscriptions: 2, watching: false, id: 4 },
        { n: 3, connected: false, inMulti: false, subscriptions: 0, watching: false, id: null },
      ],
    });
    expect(judge({ kind: 'client', client: 1, inMulti: true, watching: true }, f).ok).toBe(true);
    expect(judge({ kind: 'client', client: 1, inMulti: false }, f).why.en)
      .toBe('client 1 is inside MULTI; the objective wants the transaction ended (EXEC or DISCARD)');
    expect(judge({ kind: 'client', client: 2, subscribed: { min: 1 } }, f).ok).toBe(true);
    expect(judge({ kind: 'client', client: 2, subscribed: 0, watching: true }, f).why).toEqual({
      en: 'client 2 is subscribed to 2 channel(s) or pattern(s); the objective wants exactly 0; client 2 is not watching any key; the objective wants a WATCH',
      zh: '客户端 2 订阅了 2 个频道或模式，目标要求恰好 0；客户端 2 没有 WATCH 任何键，目标要求先执行 WATCH',
    });
    expect(judge({ kind: 'client', client: 3, inMulti: false }, f).why.en).toBe('client 3 is not connected');
  });
});

describe('ran: the journal', () => {
  const entry = (client: number, name: string, argv: string[], reply: JournalEntry['reply']): JournalEntry => ({ client, name, argv, reply });
  const journal = [
    entry(1, 'watch', ['WATCH', 'balance'], 'ok'),
    entry(1, 'multi', ['MULTI'], 'ok'),
    entry(2, 'incrby', ['INCRBY', 'balance', '5'], 'integer'),
    entry(1, 'incr', ['INCR', 'balance'], 'queued'),
    entry(1, 'exec', ['EXEC'], 'nil'),
    entry(1, 'config|get', ['config', 'GET', 'maxmemory'], 'array'),
  ];

  test('command, client, args prefix, reply, times', () => {
    expect(judge({ kind: 'ran', command: 'exec', reply: 'nil' }, facts(), journal).ok).toBe(true);
    expect(judge({ kind: 'ran', command: 'exec', client: 1, reply: 'nil', times: 1 }, facts(), journal).why.en)
      .toBe('`EXEC` replying nil ran once in client 1');
    expect(judge({ kind: 'ran', command: 'incrby', client: 2, args: ['balance'] }, facts(), journal).ok).toBe(true);
    expect(judge({ kind: 'ran', command: 'incrby', args: ['other'] }, facts(), journal).why.en).toBe('`INCRBY other` has not run yet');
    expect(judge({ kind: 'ran', command: 'incrby', client: 1 }, facts(), journal).why.zh).toBe('还没有在客户端 1 中执行过 `INCRBY`');
    expect(judge({ kind: 'ran', command: 'config|get', args: ['maxmemory'] }, facts(), journal).ok).toBe(true);
    expect(judge({ kind: 'ran', command: 'incr', times: { min: 2 } }, facts(), journal).why.en)
      .toBe('`INCR` ran once; the objective wants at least 2 time(s)');
    expect(judge({ kind: 'ran', command: 'incr', times: 0 }, facts(), []).ok).toBe(true);
  });

  test('a failed WATCH-guarded EXEC: explains when it has not failed yet', () => {
    const succeeded = [entry(1, 'watch', ['WATCH', 'k'], 'ok'), entry(1, 'multi', ['MULTI'], 'ok'), entry(1, 'exec', ['EXEC'], 'array')];
    const v = judge({ kind: 'ran', command: 'exec', reply: 'nil' }, facts(), succeeded);
    expect(v.ok).toBe(false);
    expect(v.why.en).toBe('`EXEC` replying nil has not run yet (it ran once but replied an array): EXEC fails (nil) only when a key it WATCHes changed after the WATCH: run WATCH, change the key from another client, then EXEC');
    expect(v.why.zh).toContain('只有 WATCH 之后被监视的键被改动，EXEC 才会失败');
  });
});

describe('combinators and steps', () => {
  const f = facts({ keys: [counter9], dbs: [{ db: 0, size: 1, rehashing: false }] });
  const is9 = { kind: 'key', key: 'counter', value: { number: 9 } };
  const is10 = { kind: 'key', key: 'counter', value: { number: 10 } };

  test('all, any, not', () => {
    expect(judge({ kind: 'all', of: [is9, { kind: 'dbsize', range: 1 }] }, f).ok).toBe(true);
    expect(judge({ kind: 'all', of: [is9, is10] }, f).why.en).toBe('key `counter` is a string holding "9"; the objective wants 10');
    expect(judge({ kind: 'any', of: [is10, is9] }, f).ok).toBe(true);
    expect(judge({ kind: 'any', of: [is10, { kind: 'dbsize', range: 5 }] }, f).why.en)
      .toBe('none of the alternatives holds: key `counter` is a string holding "9"; the objective wants 10; or db 0 holds 1 key (DBSIZE); the objective wants exactly 5');
    expect(judge({ kind: 'not', of: is10 }, f).ok).toBe(true);
    expect(judge({ kind: 'not', of: is9 }, f).why.en).toBe('this must not be so, but it is: key `counter` is a string holding "9" (int)');
  });

  test('checkStep judges every objective; factsFor asks for what they name', () => {
    const step: Step = {
      id: 's', text: { en: '', zh: '' }, hints: [], solution: ['INCR counter'],
      objectives: [
        { text: { en: '', zh: '' }, check: Predicate.parse(is9) },
        { text: { en: '', zh: '' }, check: Predicate.parse({ kind: 'ran', command: 'incr' }) },
      ],
    };
    const r = checkStep(step, f, []);
    expect(r.done).toBe(false);
    expect(r.objectives.map((o) => o.ok)).toEqual([true, false]);
    expect(checkStep(step, f, [{ client: 1, name: 'incr', argv: ['INCR', 'counter'], reply: 'integer' }]).done).toBe(true);

    const q = factsFor([
      Predicate.parse({ kind: 'all', of: [is9, { kind: 'skiplist', key: 'z', member: 'm', level: 2 }, { kind: 'key', key: 'z', db: 0, value: { scores: { a: 1 } } }] }),
      Predicate.parse({ kind: 'not', of: { kind: 'client', client: 2, inMulti: true } }),
      Predicate.parse({ kind: 'rehashing', db: 1, is: true }),
      Predicate.parse({ kind: 'rehashing', key: 'h', is: true }),
      Predicate.parse({ kind: 'config', name: 'hz', value: '10' }),
      Predicate.parse({ kind: 'key', key: '你好' }),
    ]);
    expect(q).toEqual({
      kind: 'lesson-facts',
      keys: [
        { db: 0, key: 'counter' }, { db: 0, key: 'z', members: ['m', 'a'] }, { db: 0, key: 'h' },
        { db: 0, key: '\u00e4\u00bd\u00a0\u00e5\u00a5\u00bd' },
      ],
      dbs: [1], config: ['hz'], clients: [{ n: 2 }],
    });
  });

  test('number ranges', () => {
    expect(inRange(3, 3)).toBe(true);
    expect(inRange(3, { min: 3, max: 3 })).toBe(true);
    expect(inRange(2, { min: 3 })).toBe(false);
    expect(inRange(4, { max: 3 })).toBe(false);
  });
});

// Text of the panel area's "Follow the terminal" switch and its rule table (state/followTab.ts).
import { defineMessages } from './define.ts';

export const follow = defineMessages({
  label: 'Follow the terminal',
  hint: 'On: a command on a key switches to the panel for that key. Picking a tab yourself turns this off.',
  rulesHeading: 'Which panel?',
  rules: {
    ttl: 'A TTL command (EXPIRE, TTL, PERSIST …) or a command that just set a TTL (SET … EX, SETEX): Expiry & eviction',
    zset: 'A sorted set: Skiplist',
    hashtable: 'A hash or set in hashtable encoding: Dict, on that key',
    compact: 'Any other key (strings, lists, listpack hashes, intset and listpack sets): Encoding',
    keyspace: 'A command naming no key that resized a keyspace (DEBUG POPULATE): Dict, on that keyspace',
  },
  rulesNote: 'The first row that applies wins. A pinned key keeps the panel where it is.',
}, {
  label: '跟随终端',
  hint: '开启时：对某个键执行命令会切换到讲解该键的面板。自己点选标签页会关闭跟随。',
  rulesHeading: '切换到哪个面板？',
  rules: {
    ttl: '过期时间相关命令（EXPIRE、TTL、PERSIST 等），或刚设置了过期时间的命令（SET … EX、SETEX）：过期与淘汰',
    zset: '有序集合：跳表',
    hashtable: 'hashtable 编码的哈希或集合：字典，显示该键',
    compact: '其他键（字符串、列表、listpack 编码的哈希、intset 或 listpack 编码的集合）：编码',
    keyspace: '不涉及键、但让键空间扩缩容的命令（DEBUG POPULATE）：字典，显示该键空间',
  },
  rulesNote: '按顺序取第一条符合的规则。固定了键时，面板保持不动。',
});

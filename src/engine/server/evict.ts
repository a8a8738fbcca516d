// maxmemory and eviction (evict.c): the approximated LRU/LFU/TTL eviction pool.
// SCAFFOLD: the memory/eviction helper replaces this file's bodies.
import type { RedisServer } from './redisServer.ts';

export type EvictResult = 'ok' | 'running' | 'fail';

/** performEvictions: frees keys until used memory is under maxmemory, as the policy allows. */
export function performEvictions(_server: RedisServer): EvictResult {
  return 'ok';
}

// Constants of Redis's approximated LRU and LFU (server.h, evict.c). Kept apart from the server so
// that object helpers can use them without importing the server.

/** The LRU clock: seconds resolution, 24 bits (LRU_CLOCK_RESOLUTION in ms, LRU_CLOCK_MAX). */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
export const LRU_CLOCK_RESOLUTION = 1000;
/** New objects start with this LFU counter so they are not evicted at once. */
export const LFU_INIT_VAL = 5;

// The Redis version the engine reproduces (HELLO, INFO, LOLWUT ...). A module of its own so that
// command families can import it without importing the server (which imports them).
export const REDIS_VERSION = '7.0.15';

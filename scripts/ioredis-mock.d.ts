// ioredis-mock ships no types; the benchmark only calls commands by name.
declare module 'ioredis-mock' {
  export default class RedisMock {
    constructor(options?: Record<string, unknown>);
    [command: string]: (...args: string[]) => Promise<unknown>;
    disconnect(): void;
  }
}

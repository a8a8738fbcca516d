import { describe, expect, it } from 'vitest';
import { persistenceState, saveRdb } from '../../../src/engine/persist/rdb.ts';
import {
  changedConfig, decodeWorldFile, encodeWorldFile, fromBase64, restoreWorld, snapshotWorld, toBase64,
  WORLD_FILE_FORMAT, WORLD_FILE_VERSION, WorldFileError, type WorldSnapshot,
} from '../../../src/engine/persist/worldFile.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import { World } from '../../../src/engine/sim/world.ts';
import { commandFrame } from '../../support/engineHarness.ts';
import { parseResp, type RespValue } from '../../support/respValue.ts';
import { describeKeyspace, RdbBuilder } from './rdbSupport.ts';

/** Runs commands on a server through a client of its own. */
function session(server: RedisServer): (...argv: string[]) => RespValue {
  let out = '';
  const c = server.connect({ write: (d) => { out += d; }, close: () => {} });
  return (...argv) => {
    out = '';
    c.feed(commandFrame(argv));
    server.flushPendingWrites();
    return parseResp(out);
  };
}

const START = Date.UTC(2024, 4, 1, 10, 0, 0);

/** A world like the app's: 'main' on 6379 with DEBUG enabled, some data, changed settings. */
function sampleWorld(): World {
  const world = new World({ seed: 1234, startTime: START });
  const main = world.addServer('main', { config: { 'enable-debug-command': 'yes' }, port: 6379 });
  const run = session(main);
  run('CONFIG', 'SET', 'hash-max-listpack-entries', '4');
  run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
  run('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5');
  run('SET', 'ttl', 'v', 'EX', '100');
  run('SELECT', '9');
  run('RPUSH', 'l', 'x', 'y');
  const replica = world.addServer('second', { port: 6380, config: { databases: '4' } });
  session(replica)('SET', 'other', 'server');
  world.advance(30_000);
  return world;
}

describe('snapshotWorld / restoreWorld', () => {
  it('saves what differs from the defaults, like CONFIG REWRITE, without the port', () => {
    const world = sampleWorld();
    const snap = snapshotWorld(world);
    expect(snap.format).toBe(WORLD_FILE_FORMAT);
    expect(snap.version).toBe(WORLD_FILE_VERSION);
    expect(snap.seed).toBe(1234);
    expect(snap.savedAt).toBe(START + 30_000);
    expect(snap.servers.map((s) => [s.name, s.port])).toEqual([['main', 6379], ['second', 6380]]);
    expect(snap.servers[0].config).toEqual({
      'enable-debug-command': 'yes', 'hash-max-listpack-entries': '4', 'maxmemory-policy': 'allkeys-lru',
      'notify-keyspace-events': 'AKE',
    });
    expect(snap.servers[1].config).toEqual({ databases: '4' });
    expect(changedConfig(world.servers.get('main')!)).not.toHaveProperty('port');
  });

  it('brings back the servers, their data, TTLs, settings and the clock', () => {
    const world = sampleWorld();
    const snap = snapshotWorld(world);
    const restored = restoreWorld(snap);
    expect(restored.now).toBe(START + 30_000);
    expect([...restored.servers.keys()]).toEqual(['main', 'second']);
    const main = restored.servers.get('main')!;
    const original = world.servers.get('main')!;
    expect(main.port).toBe(6379);
    for (const name of ['enable-debug-command', 'hash-max-listpack-entries', 'maxmemory-policy', 'notify-keyspace-events', 'port']) {
      expect(main.config.get(name), name).toBe(original.config.get(name));
    }
    expect(describeKeyspace(main)).toEqual(describeKeyspace(original));
    expect(describeKeyspace(restored.servers.get('second')!)).toEqual(describeKeyspace(world.servers.get('second')!));
    expect(restored.servers.get('second')!.dbs.length).toBe(4);
    const run = session(main);
    expect(run('TTL', 'ttl')).toEqual({ t: 'int', v: 70n });
    expect(run('OBJECT', 'ENCODING', 'h')).toEqual({ t: 'bulk', v: 'hashtable' });
    // The keyspace is what it was 30 s of virtual time after the start: time goes on from there.
    restored.advance(71_000);
    expect(run('EXISTS', 'ttl')).toEqual({ t: 'int', v: 0n });
    // The restored server started from that file: DEBUG RELOAD NOSAVE finds it.
    expect(persistenceState(main).file).toBe(snap.servers[0].rdb);
    expect(run('DEBUG', 'RELOAD', 'NOSAVE')).toEqual({ t: 'status', v: 'OK' });
    expect(run('HLEN', 'h')).toEqual({ t: 'int', v: 5n });
  });

  it('is deterministic: the same snapshot restores to the same world', () => {
    const snap = snapshotWorld(sampleWorld());
    const a = restoreWorld(snap);
    const b = restoreWorld(snap);
    expect(a.servers.get('main')!.hashSeed).toBe(b.servers.get('main')!.hashSeed);
    expect(snapshotWorld(a)).toEqual(snapshotWorld(b));
  });

  it('reports a snapshot it cannot restore', () => {
    const snap = snapshotWorld(sampleWorld());
    const badConfig: WorldSnapshot = { ...snap, servers: [{ ...snap.servers[0], config: { 'maxmemory-policy': 'sometimes' } }] };
    expect(() => restoreWorld(badConfig)).toThrow(WorldFileError);
    expect(() => restoreWorld(badConfig)).toThrow(/server 'main'.*maxmemory-policy/);
    const unknown: WorldSnapshot = { ...snap, servers: [{ ...snap.servers[0], config: { 'no-such-setting': '1' } }] };
    expect(() => restoreWorld(unknown)).toThrow(/server 'main': unknown config 'no-such-setting'/);
    const badRdb: WorldSnapshot = { ...snap, servers: [{ ...snap.servers[0], rdb: snap.servers[0].rdb.slice(0, 30) }] };
    expect(() => restoreWorld(badRdb)).toThrow(/server 'main': Unexpected EOF/);
    expect(() => restoreWorld({ ...snap, servers: [] })).toThrow(/no servers/);
    expect(() => restoreWorld({ ...snap, version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => restoreWorld({ ...snap, servers: [snap.servers[0], snap.servers[0]] })).toThrow(/two servers are named 'main'/);
    expect(() => restoreWorld({ ...snap, seed: -1 })).toThrow(/seed/);
  });
});

describe('the world file', () => {
  it('is readable JSON that decodes to the same snapshot', () => {
    const snap = snapshotWorld(sampleWorld());
    const file = encodeWorldFile(snap);
    const json = JSON.parse(new TextDecoder().decode(file));
    expect(json).toMatchObject({ format: 'rediscope-world', version: 1, seed: 1234, savedAt: START + 30_000 });
    expect(typeof json.servers[0].rdb).toBe('string');
    expect(decodeWorldFile(file)).toEqual(snap);
  });

  it('keeps the network latency; a file from before it existed loads with none', () => {
    const world = sampleWorld();
    world.setLatency(50);
    const snap = snapshotWorld(world);
    expect(snap.latencyMs).toBe(50);
    const file = encodeWorldFile(snap);
    expect(restoreWorld(decodeWorldFile(file)).latencyMs).toBe(50);
    const old = JSON.parse(new TextDecoder().decode(file));
    delete old.latencyMs;
    const fromOld = decodeWorldFile(new TextEncoder().encode(JSON.stringify(old)));
    expect(restoreWorld(fromOld).latencyMs).toBe(0);
    old.latencyMs = -5;
    expect(() => decodeWorldFile(new TextEncoder().encode(JSON.stringify(old)))).toThrow(/latencyMs/);
  });

  it('keeps byte-string config values (requirepass) exactly', () => {
    const world = new World({ seed: 5, startTime: START });
    const server = world.addServer('main', { config: { requirepass: 'p\u00e9\u00ff\u0001ss' } });
    const snap = snapshotWorld(world);
    const back = decodeWorldFile(encodeWorldFile(snap));
    expect(back.servers[0].config.requirepass).toBe(server.config.get('requirepass'));
  });

  it('accepts a bare RDB file as a one-server world saved at the file\'s ctime', () => {
    const world = new World({ seed: 9, startTime: START });
    const server = world.addServer('anything', { port: 7000 });
    session(server)('SET', 'k', 'v');
    const rdb = saveRdb(server);
    const snap = decodeWorldFile(rdb);
    expect(snap.servers).toEqual([{ name: 'main', port: 6379, config: {}, rdb }]);
    expect(snap.savedAt).toBe(START);
    const restored = restoreWorld(snap);
    expect(session(restored.servers.get('main')!)('GET', 'k')).toEqual({ t: 'bulk', v: 'v' });
  });

  it('says what is wrong with a bad file', () => {
    const snap = snapshotWorld(sampleWorld());
    const json = JSON.parse(new TextDecoder().decode(encodeWorldFile(snap)));
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    const expectError = (bytes: Uint8Array, message: RegExp) => {
      expect(() => decodeWorldFile(bytes)).toThrow(WorldFileError);
      expect(() => decodeWorldFile(bytes)).toThrow(message);
    };
    expectError(new TextEncoder().encode('hello'), /neither JSON nor starting with "REDIS00"/);
    expectError(enc({ ...json, format: 'other' }), /format must be 'rediscope-world'/);
    expectError(enc({ ...json, version: 7 }), /version 7 is not supported/);
    expectError(enc({ ...json, seed: 'x' }), /seed/);
    expectError(enc({ ...json, servers: [{ ...json.servers[0], port: 70000 }] }), /servers\.0\.port/);
    expectError(enc({ ...json, servers: [{ ...json.servers[0], rdb: '!!notbase64' }] }), /server 'main': rdb is not valid base64/);
    const truncated = toBase64(snap.servers[0].rdb.slice(0, 40));
    expectError(enc({ ...json, servers: [{ ...json.servers[0], rdb: truncated }] }), /server 'main': Unexpected EOF/);
    expectError(enc({ ...json, servers: [{ ...json.servers[0], config: { port: '1' } }] }), /port belongs in 'port'/);
    const { servers: _servers, ...noServers } = json;
    expectError(enc(noServers), /servers/);
    // A bare RDB file that is damaged.
    const rdb = new RdbBuilder().key(0, 'k', (b) => b.str('v')).build();
    rdb[rdb.length - 1] ^= 0xff;
    expectError(rdb, /Wrong RDB checksum/);
  });
});

describe('base64', () => {
  it('round-trips every length and refuses malformed text', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 255);
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromBase64(text)).toEqual(bytes);
    }
    expect(fromBase64('abc')).toBeNull();
    expect(fromBase64('ab=c')).toBeNull();
    expect(fromBase64('a===')).toBeNull();
    expect(fromBase64('ab\u00e9d')).toBeNull();
  });
});

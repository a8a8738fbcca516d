// `npm run server -- --port 6379 [--seed N] [--config name value ...]`
import { startRespServer } from './respServer.ts';

function parseArgs(argv: string[]) {
  let port = 6379;
  let seed: number | undefined;
  const config: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') port = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a.startsWith('--') && i + 1 < argv.length) config[a.slice(2)] = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  return { port, seed, config };
}

const { port, seed, config } = parseArgs(process.argv.slice(2));
const server = await startRespServer({ port, seed, config });
console.log(`Rediscope engine (Redis 7.0.15 compatible) listening on 127.0.0.1:${server.port}`);
const stop = () => { void server.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

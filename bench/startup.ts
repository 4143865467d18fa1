/**
 * Start-up figures of the embedded default, as a new user meets them (a benchmark that prints figures, not
 * a test): `npx tsx bench/startup.ts [--port 4300] [--bolt 7750]`.
 *
 * 1. cold start: a fresh data folder (Neo4j creates its store, the corpus is loaded) to the first answered
 *    GraphQL query;
 * 2. the resident memory of the Neo4j JVM and of the API process;
 * 3. SIGINT (Ctrl-C), and whether any Java process of the run is left;
 * 4. warm start: the same data folder, corpus already loaded, to the first answered query.
 * The jar fetch is measured by the launcher on the first run ever (`npm run neo4j:fetch` prints it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1]! : fallback;
};
const port = Number(flag('port', '4300'));
const bolt = Number(flag('bolt', '7750'));
const instance = 'bench-startup';
const instanceDir = resolve(root, '.neo4j', 'instances', instance);

function rssMiB(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function firstAnswer(startedAt: number, child: ChildProcess): Promise<number> {
  const deadline = startedAt + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ about { nodeCount corpusVersion } }' }),
      });
      const body = (await response.json()) as { data?: { about?: { nodeCount: number } } };
      if (body.data?.about && body.data.about.nodeCount > 0) return Date.now() - startedAt;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error('no answer within 300 s');
}

async function run(label: string): Promise<void> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LOCAL_NEO4J_BOLT_PORT: String(bolt),
      LOCAL_NEO4J_INSTANCE: instance,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const millis = await firstAnswer(startedAt, child);
  const neo4jPid = Number(readFileSync(resolve(instanceDir, 'run', 'launcher.pid'), 'utf8').trim());
  console.log(`${label}: first answered query after ${(millis / 1000).toFixed(1)} s`);
  console.log(`  resident memory: Neo4j JVM ${rssMiB(neo4jPid)} MiB, API (Node) ${rssMiB(child.pid!)} MiB`);
  const stoppedAt = Date.now();
  child.kill('SIGINT');
  await new Promise((done) => child.once('exit', done));
  console.log(
    `  Ctrl-C: API exited in ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s; Neo4j JVM (pid ${neo4jPid}) ${alive(neo4jPid) ? 'STILL RUNNING' : 'gone'}`,
  );
}

async function main(): Promise<void> {
  console.log(`start-up of the embedded default (instance ${instance}, bolt ${bolt}, API port ${port})`);
  if (existsSync(instanceDir)) rmSync(instanceDir, { recursive: true, force: true });
  await run('cold start (fresh data folder, corpus loaded at start)');
  await run('warm start (existing data folder, corpus up to date)');
  rmSync(instanceDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

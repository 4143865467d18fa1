import { startApp, SEED_DATA_DIR, type RunningApp } from '../../src/app';
import { parseConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { readCorpus } from '../../seed/corpus';
import { queryOk } from '../support/harness';

/**
 * The embedded default as `npm start` runs it (on its own port and data folder): the API starts its own
 * Neo4j, loads the corpus into it, brings it back if it dies, and leaves no Java process when stopped.
 */
const ABOUT = /* GraphQL */ `
  query { about { corpusVersion nodeCount } }
`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('the embedded default (no NEO4J_URI)', () => {
  let app: RunningApp | undefined;

  afterAll(async () => {
    await app?.stop();
  }, 60_000);

  it('starts its own Neo4j, loads the corpus, survives that Neo4j dying, and leaves no Java process behind', async () => {
    const config = parseConfig({
      PORT: '0',
      LOCAL_NEO4J_BOLT_PORT: process.env.TEST_EMBEDDED_NEO4J_BOLT_PORT ?? String(Number(process.env.TEST_NEO4J_BOLT_PORT ?? 7691) + 2),
      LOCAL_NEO4J_INSTANCE: `${process.env.TEST_NEO4J_INSTANCE ?? 'test'}-embedded`,
    });
    app = await startApp(config, silentLogger);
    const first = app.local;
    expect(first).toBeDefined();

    const expectedVersion = (await readCorpus(SEED_DATA_DIR)).version;
    const about = await queryOk<{ about: { corpusVersion: string; nodeCount: number } }>(app.server.graphqlUrl, ABOUT);
    expect(about.about.corpusVersion).toBe(expectedVersion);
    expect(about.about.nodeCount).toBeGreaterThan(400);

    // Kill the JVM outright (SIGKILL to its own pid): the API notices and starts it again.
    process.kill(first!.pid, 'SIGKILL');
    const url = app.server.url;
    await waitFor(async () => (await fetch(`${url}/health`)).status === 200 && app!.local !== first, 90_000, 'the embedded Neo4j to come back');
    const again = await queryOk<{ about: { corpusVersion: string } }>(app.server.graphqlUrl, ABOUT);
    expect(again.about.corpusVersion).toBe(expectedVersion);

    const restarted = app.local!;
    expect(restarted.pid).not.toBe(first!.pid);
    await app.stop();
    app = undefined;
    expect(isRunning(restarted.pid)).toBe(false);
    expect(isRunning(first!.pid)).toBe(false);
  }, 240_000);
});

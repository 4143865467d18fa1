/**
 * CPU time per request of two (or more) running project servers, measured in turns over the same questions:
 * on a shared machine requests per second swing with what else runs, while the CPU time a server process
 * spends per request is its own; taking turns (A, B, A, B, ...) exposes both servers to the same conditions.
 * Not a test: it prints figures.
 *
 *   tsx bench/peer/cpu-ab.ts --server before=http://127.0.0.1:4011/graphql@PID --server after=http://...@PID \
 *     [--only article,recommendations] [--seconds 5] [--rounds 3] [--connections 10] [--state KAZ]
 *     [--article treaty:CRC:art:20] [--search children] [--warmup 1]
 *
 * Each cell gives the CPU ms per request over all turns, the median of the turns' figures (steadier when the
 * machine's load swings during the run) and the requests per second.
 *
 * Each server must be a project server (`npm start`, or `node --import tsx src/main.ts` with NEO4J_URI) on the
 * same Neo4j and graph; PID is its Node process (Linux: CPU time is read from /proc/PID/stat).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { questions } from './questions';

interface Server {
  label: string;
  url: string;
  pid: number;
}

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function load(url: string, body: string, seconds: number, connections: number): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
  });
  if (result.errors + result.timeouts + result.non2xx > 0) throw new Error(`${url}: failed requests`);
  return result.requests.total;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string, fallback: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
  };
  const servers: Server[] = [];
  args.forEach((arg, index) => {
    if (arg !== '--server') return;
    const match = /^([\w-]+)=(.+)@(\d+)$/.exec(args[index + 1] ?? '');
    if (!match) throw new Error(`--server label=url@pid, not ${args[index + 1]}`);
    servers.push({ label: match[1]!, url: match[2]!, pid: Number(match[3]) });
  });
  const seconds = Number(value('--seconds', '5'));
  const rounds = Number(value('--rounds', '3'));
  const connections = Number(value('--connections', '10'));
  const warmup = Number(value('--warmup', '1'));
  const only = value('--only', 'article,recommendations,deep,search').split(',');
  const asked = questions({
    state: value('--state', 'KAZ'),
    article: value('--article', 'treaty:CRC:art:20'),
    searchText: value('--search', 'children'),
  })
    .filter((q) => only.includes(q.name))
    .map((q) => ({ name: q.name, body: JSON.stringify(q.project) }));
  const load0 = os.loadavg().map((l) => l.toFixed(2));
  const totals = new Map<string, { cpu: number; requests: number; turns: number[] }>();
  // Warm: a server just started has not compiled its hot paths yet.
  for (const question of asked)
    for (const server of servers) await load(server.url, question.body, warmup, connections);
  for (let round = 0; round < rounds; round += 1) {
    for (const question of asked) {
      for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
        const before = cpuMs(server.pid);
        const requests = await load(server.url, question.body, seconds, connections);
        const used = cpuMs(server.pid) - before;
        const key = `${question.name}\t${server.label}`;
        const total = totals.get(key) ?? { cpu: 0, requests: 0, turns: [] };
        totals.set(key, {
          cpu: total.cpu + used,
          requests: total.requests + requests,
          turns: [...total.turns, used / requests],
        });
        process.stdout.write(
          `round ${round + 1} ${question.name} ${server.label}: ${requests} requests, ${(used / requests).toFixed(2)} ms CPU each\n`,
        );
      }
    }
  }
  process.stdout.write(
    `\nload average at start ${load0.join(' ')}, at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  process.stdout.write(
    `| question | ${servers.map((s) => `${s.label} CPU ms per request, all turns / median turn (req/s)`).join(' | ')} |\n`,
  );
  process.stdout.write(`| --- | ${servers.map(() => '---:').join(' | ')} |\n`);
  for (const question of asked) {
    const cells = servers.map((server) => {
      const total = totals.get(`${question.name}\t${server.label}`)!;
      const turns = [...total.turns].sort((a, b) => a - b);
      const median =
        turns.length % 2 === 1
          ? turns[(turns.length - 1) / 2]!
          : (turns[turns.length / 2 - 1]! + turns[turns.length / 2]!) / 2;
      return `${(total.cpu / total.requests).toFixed(2)} / ${median.toFixed(2)} (${(total.requests / (rounds * seconds)).toFixed(0)})`;
    });
    process.stdout.write(`| ${question.name} | ${cells.join(' | ')} |\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`cpu-ab failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';

/**
 * The Node versions the project promises (README, package.json `engines`) must be versions every package
 * `npm start` runs declares it supports; otherwise a user on a supported Node meets EBADENGINE, or worse,
 * an install that `engine-strict` refuses. Development tools have their own, documented floor
 * (`devEngines`), and the few packages that declare more than it are named here, so a new one is noticed.
 */
const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string } };
};
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[] }>;
};

/** Lock entries that declare a Node range, with their name and whether `npm ci --omit=dev` installs them. */
const declared = Object.entries(lock.packages).flatMap(([location, entry]) => {
  const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
  if (location === '' || range === undefined) return [];
  const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
  return [{ name, version: entry.version, range, dev: entry.dev === true }];
});

/**
 * GraphQL Code Generator 7's command line (listr2, its prompts) and its URL and GitHub schema loaders
 * (sync-fetch, @whatwg-node/fetch 0.12) declare Node 22; codegen reads local SDL files only and runs on
 * Node 20.19+, which `npm run typecheck` proves on every run. npm prints EBADENGINE warnings for them.
 */
const DEV_TOOLS_DECLARING_MORE = new Set([
  '@inquirer/ansi',
  '@inquirer/checkbox',
  '@inquirer/confirm',
  '@inquirer/core',
  '@inquirer/editor',
  '@inquirer/expand',
  '@inquirer/external-editor',
  '@inquirer/figures',
  '@inquirer/input',
  '@inquirer/number',
  '@inquirer/password',
  '@inquirer/prompts',
  '@inquirer/rawlist',
  '@inquirer/search',
  '@inquirer/select',
  '@inquirer/type',
  '@whatwg-node/fetch',
  '@whatwg-node/node-fetch',
  'listr2',
  'mute-stream',
  'sync-fetch',
]);

describe('the Node versions the project names', () => {
  it('the README names the oldest Node major that package.json accepts', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const named = /Node\.js \((\d+) or later/.exec(readme);
    expect(named?.[1]).toBe(String(semver.minVersion(manifest.engines.node)?.major));
  });

  it('every package the server runs on supports every Node version package.json accepts', () => {
    const narrower = declared
      .filter((entry) => !entry.dev && !semver.subset(manifest.engines.node, entry.range))
      .map((entry) => `${entry.name}@${entry.version} declares node ${entry.range}`);
    expect(narrower).toEqual([]);
  });

  it('the development tools support the Node versions devEngines names, with the exceptions listed', () => {
    expect(manifest.devEngines.runtime.name).toBe('node');
    const narrower = declared
      .filter((entry) => entry.dev && !DEV_TOOLS_DECLARING_MORE.has(entry.name))
      .filter((entry) => !semver.subset(manifest.devEngines.runtime.version, entry.range))
      .map((entry) => `${entry.name}@${entry.version} declares node ${entry.range}`);
    expect(narrower).toEqual([]);
  });

  it('the development floor is no lower than the runtime floor', () => {
    expect(semver.subset(manifest.devEngines.runtime.version, manifest.engines.node)).toBe(true);
  });
});

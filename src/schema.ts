import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The schema's folder, found from this module's location so the server starts from any working directory. */
export const SCHEMA_DIR = resolve(__dirname, '..', 'schema');

/** All SDL files of schema/, in a stable order. */
export function loadTypeDefs(dir: string = SCHEMA_DIR): string[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new Error(`No .graphql files in ${dir}`);
  return files.map((name) => readFileSync(join(dir, name), 'utf8'));
}

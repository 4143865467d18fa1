import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/** The README's example queries, one file each; they open as the playground's tabs. */
export const EXAMPLES_DIR = resolve(__dirname, '..', 'examples');

export interface Example {
  name: string;
  query: string;
  variables?: string;
}

export function loadExamples(dir: string = EXAMPLES_DIR): Example[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const query = readFileSync(join(dir, file), 'utf8');
      const variablesFile = join(dir, file.replace(/\.graphql$/, '.variables.json'));
      return {
        name: file.replace(/\.graphql$/, ''),
        query,
        ...(existsSync(variablesFile) ? { variables: readFileSync(variablesFile, 'utf8') } : {}),
      };
    });
}

/**
 * A self-hosted GraphiQL as the landing page of /graphql. Apollo's default landing page loads its code from
 * a CDN and shows nothing offline; `@graphql-yoga/render-graphiql` ships GraphiQL as one HTML string with its
 * JavaScript, CSS and editor workers inlined, so the playground works with no network beyond this machine.
 * Rendered once at start-up (the page is about 9 MB).
 */
export function graphiqlLandingPage(graphqlPath: string, examples: Example[] = loadExamples()): ApolloServerPlugin {
  const html = renderGraphiQL({
    endpoint: graphqlPath,
    title: 'Child-rights law graph — GraphiQL',
    defaultTabs: examples.map((example) => ({ query: example.query, variables: example.variables ?? null })),
    defaultQuery: examples[0]?.query ?? '{ about { neo4jVersion nodeCount corpusVersion } }',
    shouldPersistHeaders: false,
  });
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

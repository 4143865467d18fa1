import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, Response } from 'express';
import * as graphiql from '@graphql-yoga/render-graphiql/graphiql';

/** The README's example queries, one file each; they open as the playground's tabs. */
export const EXAMPLES_DIR = resolve(__dirname, '..', 'examples');

/** Where GraphiQL's script, styles and icon are served, each under a content-hashed name. */
export const PLAYGROUND_ASSETS_PATH = '/graphiql';

/** Content-hashed names never change content, so browsers may keep them for a year without asking again. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

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

interface Asset {
  /** Content-hashed file name, e.g. `graphiql.3f9a….js`. */
  name: string;
  contentType: string;
  body: Buffer;
  /** Compressed forms, made on first request (brotli at quality 6 takes about a second for the script). */
  encoded: Map<'br' | 'gzip', Promise<Buffer>>;
}

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

function asset(base: string, extension: string, contentType: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { name: `${base}.${hash}.${extension}`, contentType, body, encoded: new Map() };
}

let built: { script: Asset; styles: Asset; icon: Asset; byName: Map<string, Asset> } | undefined;

/**
 * GraphiQL as `@graphql-yoga/render-graphiql` ships it (the same code its `renderGraphiQL` inlines into one
 * ~9 MB page), cut into three static files: the script (GraphiQL, and the Monaco editor workers, which it
 * starts from blob: URLs so they need no file of their own), the styles and the icon. Built once per process.
 */
export function playgroundAssets(): NonNullable<typeof built> {
  if (built) return built;
  const script = asset(
    'graphiql',
    'js',
    'text/javascript; charset=utf-8',
    Buffer.from(
      `(function () {
  function prepareBlob(workerContent) {
    return URL.createObjectURL(new Blob([workerContent], { type: 'application/javascript' }));
  }
  var workers = {
    editorWorkerService: prepareBlob(${JSON.stringify(graphiql.editorWorkerService)}),
    json: prepareBlob(${JSON.stringify(graphiql.jsonWorker)}),
    graphql: prepareBlob(${JSON.stringify(graphiql.graphqlWorker)}),
  };
  self['MonacoEnvironment'] = {
    globalAPI: false,
    getWorkerUrl: function (moduleId, label) {
      return workers[label];
    },
  };
})();
${graphiql.js};
`,
      'utf8',
    ),
  );
  const styles = asset('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(graphiql.css, 'utf8'));
  const iconMatch = /^data:([^;,]+);base64,(.*)$/s.exec(graphiql.favicon);
  if (!iconMatch?.[1] || iconMatch[2] === undefined) throw new Error('GraphiQL icon is not a base64 data URL');
  const icon = asset('favicon', 'ico', iconMatch[1], Buffer.from(iconMatch[2], 'base64'));
  built = { script, styles, icon, byName: new Map([script, styles, icon].map((entry) => [entry.name, entry])) };
  return built;
}

/** JSON that is safe inside a <script> element (no `</script>` or `<!--` can close or comment it). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The playground page: a few kilobytes that load the hashed assets and open the examples as tabs. */
export function renderPlaygroundPage(graphqlPath: string, examples: Example[] = loadExamples()): string {
  const { script, styles, icon } = playgroundAssets();
  const title = 'Child-rights law graph — GraphiQL';
  const options = {
    endpoint: graphqlPath,
    title,
    defaultTabs: examples.map((example) => ({ query: example.query, variables: example.variables ?? null })),
    defaultQuery: examples[0]?.query ?? '{ about { neo4jVersion nodeCount corpusVersion } }',
    // The headers tab sends `Authorization: Bearer …` (README, "Signing in"). Headers are kept for the page's
    // life only, never in the browser's storage, so a token does not outlive the tab on a shared machine.
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="${PLAYGROUND_ASSETS_PATH}/${icon.name}" />
    <link rel="stylesheet" href="${PLAYGROUND_ASSETS_PATH}/${styles.name}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script src="${PLAYGROUND_ASSETS_PATH}/${script.name}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(window.document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}

/**
 * Serves the playground's assets (mount at PLAYGROUND_ASSETS_PATH): cached for a year as immutable, and
 * compressed with brotli or gzip as the browser accepts (the script is about 8 MB raw, 1.5 MB as brotli).
 * An unknown name (an old hash after an upgrade, say) is a 404.
 */
export async function servePlaygroundAsset(req: Request, res: Response): Promise<void> {
  const found = playgroundAssets().byName.get(String(req.params.file));
  if (!found) {
    res.status(404).type('text/plain').send('No such playground file.');
    return;
  }
  res.setHeader('Content-Type', found.contentType);
  res.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Brotli whenever accepted: browsers list gzip first ("gzip, deflate, br") with equal weight.
  const encoding =
    req.acceptsEncodings('br') === 'br' ? 'br' : req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : undefined;
  // Strong, from the content hash, per encoding; set here so Express does not hash megabytes per request.
  res.setHeader('ETag', `"${found.name}${encoding ? `-${encoding}` : ''}"`);
  if (encoding) {
    let compressed = found.encoded.get(encoding);
    if (!compressed) {
      compressed =
        encoding === 'br'
          ? compressBrotli(found.body, {
              params: {
                [zlibConstants.BROTLI_PARAM_QUALITY]: 6,
                [zlibConstants.BROTLI_PARAM_SIZE_HINT]: found.body.length,
              },
            })
          : compressGzip(found.body, { level: 9 });
      found.encoded.set(encoding, compressed);
      // A failed compression is not kept: the next request tries again.
      compressed.catch(() => found.encoded.delete(encoding));
    }
    res.setHeader('Content-Encoding', encoding);
    res.send(await compressed);
    return;
  }
  res.send(found.body);
}

/**
 * A self-hosted GraphiQL as the landing page of /graphql. Apollo's default landing page loads its code from
 * a CDN and shows nothing offline; this one loads GraphiQL from this server (`servePlaygroundAsset`), so the
 * playground works with no network beyond this machine. The page itself is a few kilobytes: the examples as
 * tabs, and links to the hashed, cached, compressed assets.
 */
export function graphiqlLandingPage(graphqlPath: string, examples: Example[] = loadExamples()): ApolloServerPlugin {
  const html = renderPlaygroundPage(graphqlPath, examples);
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

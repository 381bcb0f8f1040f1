// @web/test-runner plugin: starts the reference server (with its test hooks) on a free loopback
// port the first time a test asks for it, and tells tests where it is: GET /__reference-server
// on the test page's own origin answers {url, sample}. The server holds the sample collection
// generateCollection(sample) (src/data/sample-data.ts), so tests can compute expected answers.
import { fileURLToPath } from 'node:url';
import { startServer } from './reference-server.mjs';

async function importTypeScript(path) {
  const { build } = await import('esbuild');
  const out = await build({ entryPoints: [fileURLToPath(new URL(path, import.meta.url))], bundle: true, write: false, format: 'esm', platform: 'neutral', target: 'node20', logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

export function referenceServerPlugin({ sample = { n: 300, seed: 7, historyPoints: 20 } } = {}) {
  let server;
  const start = async () => {
    const { generateCollection } = await importTypeScript('../src/data/sample-data.ts');
    return startServer({ data: generateCollection(sample), writable: true, testHooks: true });
  };
  return {
    name: 'reference-server',
    async serve(context) {
      if (context.path !== '/__reference-server') return undefined;
      server ??= start();
      const { url } = await server;
      return { body: JSON.stringify({ url, sample }), type: 'application/json', headers: { 'cache-control': 'no-store' } };
    },
    async serverStop() {
      if (server) await (await server).close();
    },
  };
}

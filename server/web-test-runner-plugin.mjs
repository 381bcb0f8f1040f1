// @ts-check
// @web/test-runner plugin: starts the reference server (with its test hooks) on a free loopback
// port the first time a test asks for it, and tells tests where it is: GET /__reference-server
// on the test page's own origin answers {url, sample, token}. The server holds the sample
// collection generateCollection(sample) (src/data/sample-data.ts), so tests can compute expected
// answers. It is configured as a real deployment would be: the test page's origin is the one
// allowed origin, and deleting or restoring needs the token.
import { randomBytes } from 'node:crypto';
import { loadDataLogic } from '../bin/load-data-logic.mjs';
import { startServer } from './reference-server.mjs';

/**
 * @param {{ sample?: { n: number, seed: number, historyPoints: number } }} [options]
 * @returns {import('@web/dev-server-core').Plugin}
 */
export function referenceServerPlugin({ sample = { n: 300, seed: 7, historyPoints: 20 } } = {}) {
  /** @type {ReturnType<typeof startServer> | undefined} */
  let server;
  const token = randomBytes(24).toString('hex');
  /** @param {string} pageOrigin */
  const start = async (pageOrigin) => {
    const { generateCollection } = await loadDataLogic();
    return startServer({ data: generateCollection(sample), writable: true, testHooks: true, cors: [pageOrigin], token });
  };
  return {
    name: 'reference-server',
    async serve(context) {
      if (context.path !== '/__reference-server') return undefined;
      server ??= start(context.origin);
      const { url } = await server;
      return { body: JSON.stringify({ url, sample, token }), type: 'application/json', headers: { 'cache-control': 'no-store' } };
    },
    async serverStop() {
      if (server) await (await server).close();
    },
  };
}

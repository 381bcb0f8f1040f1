import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { cssTextDevServer } from './scripts/css-text.mjs';
import { countReporter } from './scripts/count-reporter.mjs';
// The reference HTTP server for test/http-source.test.ts (started on first use).
import { referenceServerPlugin } from './server/web-test-runner-plugin.mjs';
// Recorded MLflow exchanges, replayed, for test/mlflow-source.test.ts.
import { mlflowReplayPlugin } from './server/mlflow-replay.mjs';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

const chrome = () =>
  chromeLauncher({
    launchOptions: {
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        // Test files run in parallel tabs: a background tab must not be throttled.
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows',
      ],
    },
  });

/**
 * A lost connection, for test/lazy-parts.test.ts: while the page has the cookie
 * `ed-fail-modules=<text>`, modules whose path contains that text answer 503.
 */
function failModulesMiddleware(ctx, next) {
  const failing = /(?:^|;\s*)ed-fail-modules=([^;]+)/.exec(ctx.get('cookie') ?? '')?.[1];
  if (failing && ctx.path.includes(decodeURIComponent(failing))) {
    ctx.status = 503;
    ctx.body = 'Service Unavailable (test)';
    return undefined;
  }
  return next();
}

export default {
  // Run a few files with `npx web-test-runner test/x.test.ts` (the lazy-parts group runs too).
  files: ['test/**/*.test.ts', '!test/lazy-parts.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), ...(process.env.ED_COUNTS_FILE ? [countReporter(process.env.ED_COUNTS_FILE)] : [])],
  // One page at a time: a page in a background tab gets no animation frames, which stalls
  // fixture() and rendering at random.
  concurrency: 1,
  middleware: [failModulesMiddleware],
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 20 * 60 * 1000,
  plugins: [cssTextDevServer(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), referenceServerPlugin(), mlflowReplayPlugin()],
  browsers: [chrome()],
  groups: [
    // Its own browser: a module another test page loaded would come from the browser's memory
    // cache, past the failure the test switches on.
    { name: 'lazy-parts', files: ['test/lazy-parts.test.ts'], browsers: [chrome()] },
  ],
};

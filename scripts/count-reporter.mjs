// @ts-check
// A @web/test-runner reporter that writes the pass/fail counts to a file, so `npm test` can end
// with one plain `N passed, N failed` line across all its steps.
import { writeFileSync } from 'node:fs';

/** @typedef {{ passed: number, failed: number, skipped: number, sessionErrors: number }} Totals */

/**
 * @param {import('@web/test-runner').TestSuiteResult} suite
 * @param {Totals} totals
 */
function count(suite, totals) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) count(child, totals);
}

/**
 * @param {string} file
 * @returns {import('@web/test-runner').Reporter}
 */
export function countReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      /** @type {Totals} */
      const totals = { passed: 0, failed: 0, skipped: 0, sessionErrors: 0 };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, totals);
        // A file that failed to load or threw outside a test has no test results: count it.
        if (!session.passed && (session.errors?.length ?? 0) > 0) totals.sessionErrors += 1;
      }
      writeFileSync(file, JSON.stringify(totals));
    },
  };
}

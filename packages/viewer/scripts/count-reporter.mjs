// A web-test-runner reporter that writes `{ passed, failed, skipped }` to
// TEST_RESULTS_FILE, so `npm test` can add the browser suites to its one
// closing count. A test file that failed before running any test (a load
// error, a browser crash) counts as one failure rather than as nothing.
import { writeFileSync } from 'node:fs';

function count(suite, totals) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) count(child, totals);
}

export function countReporter(file = process.env.TEST_RESULTS_FILE) {
  return {
    onTestRunFinished({ sessions }) {
      if (!file) return;
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = totals.passed + totals.failed + totals.skipped;
        if (session.testResults) count(session.testResults, totals);
        const ran = totals.passed + totals.failed + totals.skipped - before;
        if (!session.passed && (ran === 0 || session.errors.length > 0)) totals.failed += 1;
      }
      writeFileSync(file, JSON.stringify(totals));
    },
  };
}

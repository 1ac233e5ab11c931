#!/usr/bin/env node
// `npm test`: type-checks the tree, builds what the tests load (the viewer
// bundle, the demo site), runs the Node-side suites (vitest) and the browser
// suites (web-test-runner in Chromium), then prints one closing line
// `N passed, N failed` that counts every test of every runner.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let passed = 0;
let failed = 0;

function step(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return run.status === 0;
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

// A failed type-check or build is one failure: the suites after it still run,
// so one broken corner does not hide the state of the rest.
for (const [title, args] of [
  ['type-check', ['run', 'typecheck']],
  ['build', ['run', 'build']],
]) {
  if (step(title, npm, args)) passed += 1;
  else failed += 1;
}

const vitestFile = path.join(results, 'vitest.json');
const vitestOk = step('node tests (vitest)', 'npx', [
  'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestFile}`,
]);
const vitest = readJson(vitestFile);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  // A suite that failed to load has no tests to count: count the file itself.
  failed += vitest.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
} else if (!vitestOk) {
  failed += 1;
}

const browserFile = path.join(results, 'browser.json');
const browserOk = step('browser tests (web-test-runner)', npm, ['run', 'test:browser'], { TEST_RESULTS_FILE: browserFile });
const browser = readJson(browserFile);
if (browser) {
  passed += browser.passed;
  failed += browser.failed;
} else if (!browserOk) {
  failed += 1;
}
if (browser && !browserOk && browser.failed === 0) failed += 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

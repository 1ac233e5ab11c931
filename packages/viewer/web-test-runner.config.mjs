// Browser tests: real headless Chromium with WebGL through SwiftShader.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { register } from 'tsx/esm/api';
import { countReporter } from './scripts/count-reporter.mjs';

// The fixtures import TypeScript (the demo panorama renderer, the protocol's schemas).
register();
const { fixturesPlugin, collectorMiddleware } = await import('./test/fixtures/server.ts');

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const cache = join(homedir(), '.cache', 'ms-playwright');
  const build = existsSync(cache) ? readdirSync(cache).filter((name) => name.startsWith('chromium')).sort().pop() : undefined;
  const candidates = build ? [join(cache, build, 'chrome-linux', 'chrome'), join(cache, build, 'chrome-linux64', 'chrome')] : [];
  return candidates.find((candidate) => existsSync(candidate));
}

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  middleware: [collectorMiddleware],
  concurrency: 1,
  reporters: [defaultReporter(), countReporter()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: [
          '--no-sandbox',
          '--use-angle=swiftshader',
          '--enable-unsafe-swiftshader',
          '--ignore-gpu-blocklist',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }), fixturesPlugin()],
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 300000,
  browserStartTimeout: 60000,
};

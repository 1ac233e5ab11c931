// Browser tests: real headless Chromium with WebGL through SwiftShader.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { register } from 'tsx/esm/api';
import { countReporter } from './scripts/count-reporter.mjs';

// The fixtures and the shared Chromium launcher are TypeScript (the demo panorama renderer, the protocol's schemas).
register();
const { fixturesPlugin, collectorMiddleware, fixtureMiddleware } = await import('./test/fixtures/server.ts');
const { CHROMIUM_ARGS, chromiumPath } = await import('@vr-tour/testing/chromium');

/** The examples import the package by its name, as a page does: here, its sources (one module with the tests'). */
const selfReference = {
  name: 'self-reference',
  resolveImport: ({ source }) => (source === '@vr-tour/viewer' ? '/src/vr-tour.ts' : undefined),
};

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  middleware: [collectorMiddleware, fixtureMiddleware],
  concurrency: 1,
  reporters: [defaultReporter(), countReporter()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: [...CHROMIUM_ARGS],
      },
    }),
  ],
  plugins: [selfReference, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }), fixturesPlugin()],
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 300000,
  browserStartTimeout: 60000,
};

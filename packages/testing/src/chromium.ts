import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * The Chromium that browser tests and benchmarks drive. Playwright cannot
 * download its own build on these machines, so: `CHROMIUM_PATH`, else
 * Debian's `/usr/bin/chromium`, else a build already in Playwright's cache.
 */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
    return process.env.CHROMIUM_PATH;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const cache = path.join(homedir(), '.cache', 'ms-playwright');
  const build = existsSync(cache) ? readdirSync(cache).filter((name) => name.startsWith('chromium')).sort().pop() : undefined;
  const found = build
    ? ['chrome-linux', 'chrome-linux64'].map((folder) => path.join(cache, build, folder, 'chrome')).find((file) => existsSync(file))
    : undefined;
  if (!found) throw new Error('no Chromium found: apt-get install chromium, or set CHROMIUM_PATH');
  return found;
}

/**
 * Headless flags: WebGL through SwiftShader (no GPU here), no sandbox (we run
 * as root), and none of Chromium's own traffic (the network is closed).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Launches that Chromium headless; `args` add to CHROMIUM_ARGS. */
export function launchChromium(args: string[] = [], options: { timeout?: number } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS, ...args], ...options });
}

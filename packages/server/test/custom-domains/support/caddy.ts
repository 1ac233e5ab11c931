import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

export interface RunningCaddy {
  httpPort: number;
  httpsPort: number;
  /** Caddy's internal CA root, which its certificates chain to. */
  rootCaFile: string;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/** The Caddyfile operators run. */
export const DEPLOY_CADDYFILE = fileURLToPath(new URL('../../../../../deploy/Caddyfile', import.meta.url));

/** A free loopback port (closed again, so there is a small race with other processes). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Debian's caddy running deploy/Caddyfile itself, for the platform at
 * `platformHost` in front of `upstream`, in a temp folder of its own. The
 * only differences from production are loopback ports and `local_certs`:
 * certificates, on-demand ones included, come from Caddy's internal CA. The
 * file's on-demand rate limit (burst 5) bounds how many custom hosts one run
 * can get certificates for.
 */
export async function startCaddy(options: { upstream: string; platformHost: string }): Promise<RunningCaddy> {
  const home = await mkdtemp(path.join(tmpdir(), 'vr-tour-caddy-'));
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: home,
    XDG_CONFIG_HOME: home,
    VR_TOUR_HOST: options.platformHost,
    VR_TOUR_UPSTREAM: options.upstream,
    VR_TOUR_HTTP_PORT: String(httpPort),
    VR_TOUR_HTTPS_PORT: String(httpsPort),
    // No admin endpoint (its fixed port would clash between runs), and the system trust store left alone.
    VR_TOUR_CADDY_OPTIONS: 'admin off\nlocal_certs\nskip_install_trust',
  };
  const child: ChildProcess = spawn('caddy', ['run', '--config', DEPLOY_CADDYFILE, '--adapter', 'caddyfile'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Caddy's default storage is $XDG_DATA_HOME/caddy.
  const rootCaFile = path.join(home, 'caddy', 'pki', 'authorities', 'local', 'root.crt');
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(home, { recursive: true, force: true });
  };
  try {
    await waitFor('caddy to serve HTTPS', () => child.exitCode === null && /serving initial configuration/.test(output));
    await waitFor('caddy internal CA', () => existsSync(rootCaFile));
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { httpPort, httpsPort, rootCaFile, output: () => output, close };
}

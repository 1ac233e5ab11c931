import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './wait.js';

export interface RunningCaddy {
  httpsPort: number;
  /** Caddy's internal CA root, which its on-demand certificates chain to. */
  rootCaFile: string;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/** A free loopback port (closed again, so there is a small race with other processes). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Debian's caddy with on-demand TLS from its internal CA, on loopback, asking
 * `askUrl` before every certificate and proxying to `upstream` with the Host
 * header intact: the edge of deploy/Caddyfile, in a temp folder of its own.
 */
export async function startCaddy(options: { askUrl: string; upstream: string }): Promise<RunningCaddy> {
  const home = await mkdtemp(path.join(tmpdir(), 'vr-tour-caddy-'));
  const storage = path.join(home, 'storage');
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const caddyfile = path.join(home, 'Caddyfile');
  await writeFile(
    caddyfile,
    `{
	admin off
	http_port ${httpPort}
	https_port ${httpsPort}
	storage file_system ${storage}
	on_demand_tls {
		ask ${options.askUrl}
	}
	skip_install_trust
}
https:// {
	tls internal {
		on_demand
	}
	reverse_proxy ${options.upstream}
}
`,
  );
  let output = '';
  const child: ChildProcess = spawn('caddy', ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const rootCaFile = path.join(storage, 'pki', 'authorities', 'local', 'root.crt');
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
  return { httpsPort, rootCaFile, output: () => output, close };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';

// Debian's WordPress (6.1, PHP 8.2) on loopback, as DESIGN.md describes it:
// a MariaDB of its own (own datadir and socket, no network), `php -S` serving
// /usr/share/wordpress, the config Debian's wp-config.php reads for the Host
// name, and the installer run by POST. `.ci/run` installs the packages.

const WORDPRESS = '/usr/share/wordpress';
const PHP_PACKAGES = ['/usr/bin/php', '/usr/sbin/mariadbd', '/usr/bin/mariadb-install-db', `${WORDPRESS}/wp-load.php`];

export const wordpressInstalled = () => PHP_PACKAGES.every((file) => existsSync(file));

export interface WordPress {
  /** `http://wp-….test:PORT`: a browser reaches it with `--host-resolver-rules=MAP *.test 127.0.0.1`. */
  url: string;
  /** Runs PHP inside WordPress (after wp-load.php) and resolves with what it printed. */
  php(code: string): Promise<string>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}:\n${output}`))));
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, tries = 300): Promise<void> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not come up`);
}

/** A request with our own Host header (fetch cannot set one), the body form-encoded. */
export function wordpressRequest(url: string, path_: string, form?: Record<string, string>): Promise<{ status: number; body: string }> {
  const { host, port } = new URL(url);
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: path_,
        method: form ? 'POST' : 'GET',
        headers: { Host: host, ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Installs and starts a WordPress with `pluginDir` in its plugins folder
 * (not active) and a test-only must-use plugin that lets it fetch from
 * loopback on `loopbackPorts`: WordPress fetches only ports 80, 443 and
 * 8080, and loopback hosts only when they are its own.
 */
export async function startWordPress(pluginDir: string, loopbackPorts: number[]): Promise<WordPress> {
  const root = await mkdtemp('/tmp/vr-tour-wp-');
  await chmod(root, 0o755);
  const children: ChildProcess[] = [];
  const host = `wp-${randomBytes(4).toString('hex')}.test`;
  const configFile = `/etc/wordpress/config-${host}.php`;
  const close = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        // Each runs in a process group of its own: php -S forks its workers into it.
        process.kill(-child.pid!, 'SIGTERM');
        await once(child, 'exit');
      }
    }
    await rm(configFile, { force: true });
    await rm(root, { recursive: true, force: true });
  };
  try {
    // MariaDB runs as `mysql`: its folder is that user's.
    const db = path.join(root, 'db');
    await mkdir(db);
    await chown(db, ...(await mysqlIds()));
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${db}/data`, '--user=mysql', '--auth-root-authentication-method=normal', '--skip-test-db']);
    const socket = path.join(db, 'mysqld.sock');
    const mariadb = spawn('mariadbd', ['--no-defaults', `--datadir=${db}/data`, `--socket=${socket}`, '--skip-networking', '--user=mysql', `--pid-file=${db}/mysqld.pid`, `--log-error=${db}/error.log`], { stdio: 'ignore', detached: true });
    children.push(mariadb);
    await waitFor('MariaDB', async () => (await readFile(`${db}/error.log`, 'utf8')).includes('ready for connections'));
    await run('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-e', 'CREATE DATABASE wordpress']);

    const content = path.join(root, 'wp-content');
    await mkdir(path.join(content, 'plugins'), { recursive: true });
    await mkdir(path.join(content, 'mu-plugins'));
    await mkdir(path.join(content, 'uploads'));
    await symlink(pluginDir, path.join(content, 'plugins', path.basename(pluginDir)));
    await symlink(`${WORDPRESS}/wp-content/themes`, path.join(content, 'themes'));
    await writeFile(
      path.join(content, 'mu-plugins', 'test-loopback.php'),
      `<?php
// Test only, never shipped: the tour server of the test listens on loopback, on ports of its own.
add_filter( 'http_request_host_is_external', '__return_true' );
add_filter( 'http_allowed_safe_ports', function ( $ports ) { return array_merge( $ports, array( ${loopbackPorts.join(', ')} ) ); } );
`,
    );
    const port = await freePort();
    const url = `http://${host}:${port}`;
    const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
      .map((name) => `define('${name}', '${randomBytes(24).toString('hex')}');`)
      .join('\n');
    await writeFile(
      configFile,
      `<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:${socket}');
define('WP_CONTENT_DIR', '${content}');
define('WP_CONTENT_URL', '${url}/wp-content');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
${salts}
`,
    );
    // php -S serves /usr/share/wordpress; this router serves the temporary wp-content beside it.
    const router = path.join(root, 'router.php');
    await writeFile(
      router,
      `<?php
$path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( 0 === strpos( $path, '/wp-content/' ) ) {
	$file = realpath( '${content}' . substr( $path, strlen( '/wp-content' ) ) );
	if ( false === $file || ! is_file( $file ) || '.php' === substr( $file, -4 ) ) {
		http_response_code( 404 );
		return true;
	}
	$types = array( 'js' => 'text/javascript', 'css' => 'text/css', 'svg' => 'image/svg+xml', 'png' => 'image/png', 'woff2' => 'font/woff2', 'json' => 'application/json' );
	header( 'Content-Type: ' . ( $types[ pathinfo( $file, PATHINFO_EXTENSION ) ] ?? 'application/octet-stream' ) );
	readfile( $file );
	return true;
}
return false;
`,
    );
    const php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', WORDPRESS, router], {
      stdio: 'ignore',
      detached: true,
      env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
    });
    children.push(php);
    await waitFor('php -S', async () => (await wordpressRequest(url, '/wp-admin/install.php')).status === 200);
    const installed = await wordpressRequest(url, '/wp-admin/install.php?step=2', {
      weblog_title: 'Listings',
      user_name: 'admin',
      admin_password: 'correct horse battery staple',
      admin_password2: 'correct horse battery staple',
      pw_weak: '1',
      admin_email: 'admin@example.com',
      blog_public: '0',
    });
    if (!installed.body.includes('Success!')) throw new Error(`WordPress did not install:\n${installed.body.slice(0, 2000)}`);

    const phpInWordPress = async (code: string) => {
      const script = path.join(root, `run-${randomBytes(4).toString('hex')}.php`);
      await writeFile(script, `<?php\n$_SERVER['HTTP_HOST'] = '${host}:${port}';\nrequire '${WORDPRESS}/wp-load.php';\n${code}\n`);
      return run('php', [script]);
    };
    return { url, php: phpInWordPress, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function mysqlIds(): Promise<[number, number]> {
  return [Number((await run('id', ['-u', 'mysql'])).trim()), Number((await run('id', ['-g', 'mysql'])).trim())];
}

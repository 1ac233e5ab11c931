// The real server process as the benchmarks run it (bench never imports server code),
// and what /proc tells of a process: its CPU time and its resident memory.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from '@vr-tour/db';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A process's resident set now (VmRSS) or its peak since the last reset (VmHWM), in MiB. */
export async function rssMiB(pid: number, which: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${which}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
}
/** Sets VmHWM back to the current RSS (clear_refs 5). */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

/**
 * CPU time a process has used, all threads (libvips's too), in ms: on a shared
 * machine it moves far less than wall time with other people's load.
 */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
export async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5); the split starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

export async function spawnServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output);
      if (!match) return;
      // From here on the request log is only drained: collecting it would cost the bench CPU.
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

/** The rows sign-up and POST /auth/tokens would leave: a user, a token stored as its SHA-256. Returns the user's id and the token. */
export async function insertBenchUser(sql: Sql): Promise<{ userId: string; token: string }> {
  const token = `vrt_${randomBytes(32).toString('base64url')}`;
  const [user] = await sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('bench@example.com') RETURNING id`;
  await sql`INSERT INTO api_tokens (user_id, name, token_hash, prefix)
    VALUES (${user!.id}, 'bench', ${createHash('sha256').update(token).digest()}, ${token.slice(0, 10)})`;
  return { userId: user!.id, token };
}

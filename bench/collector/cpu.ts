import { readdirSync, readFileSync } from 'node:fs';

// CPU time of the processes in a run, from /proc (Linux), so the benchmark can
// say where each event's CPU goes: the server under test, PostgreSQL (the
// postmaster and all its children), and the load generator. On two shared
// cores these shares decide the ceiling, not any one process alone.

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one process in seconds, or undefined if it is gone (or no /proc). */
function processSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Seconds of CPU used so far by `root` and its direct children (PostgreSQL's backends). */
function treeSeconds(root: number): number {
  let total = processSeconds(root) ?? 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return total;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && parentOf(pid) === root) total += processSeconds(pid) ?? 0;
  }
  return total;
}

export interface CpuSample {
  server: number;
  postgres: number;
  loadGenerator: number;
}

/** A snapshot; subtract two with `cpuBetween`. The load generator is this process (autocannon runs in it). */
export function sampleCpu(serverPid: number, postmasterPid: number): CpuSample {
  const own = process.cpuUsage();
  return {
    server: processSeconds(serverPid) ?? 0,
    postgres: treeSeconds(postmasterPid),
    loadGenerator: (own.user + own.system) / 1e6,
  };
}

export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return {
    server: after.server - before.server,
    postgres: after.postgres - before.postgres,
    loadGenerator: after.loadGenerator - before.loadGenerator,
  };
}

/** The postmaster's pid: the parent of any backend (`pg_backend_pid()`). */
export function postmasterOf(backendPid: number): number {
  const parent = parentOf(backendPid);
  if (parent === undefined) throw new Error(`no process ${backendPid} in /proc`);
  return parent;
}

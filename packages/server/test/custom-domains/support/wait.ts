import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `ready` holds, failing with `what` after `limitMs` (a guard against hanging, not a measurement). */
export async function waitFor(what: string, ready: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

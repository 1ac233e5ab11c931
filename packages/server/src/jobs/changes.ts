import type { Sql } from '@vr-tour/db';
import type { AIJobStatus } from '@vr-tour/protocol';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { AI_JOB_CHANGES_CHANNEL } from './sql.js';

/** What the ai_jobs trigger notifies on every visible change of a job. */
export interface JobChange {
  id: string;
  revision: number;
  status: AIJobStatus;
  progress: number;
  stage: string | null;
}

const changeSchema = z.object({
  id: z.string(),
  revision: z.number().int(),
  status: z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled']),
  progress: z.number().int(),
  stage: z.string().nullable(),
});

type Listener = (change: JobChange) => void;

/**
 * The changes of AI jobs as every process hears them: one LISTEN connection
 * per process, fanned out to whoever follows a job here (its sockets, the
 * runner working on it). A change made by any process reaches all.
 */
export class JobChanges {
  private readonly listeners = new Map<string, Set<Listener>>();
  private listening: Promise<{ unlisten(): Promise<void> }> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly logger?: Logger,
  ) {}

  /** Resolves once this process is listening (changes committed after that are heard). */
  async start(): Promise<void> {
    this.listening ??= this.sql.listen(AI_JOB_CHANGES_CHANNEL, (payload) => this.dispatch(payload));
    await this.listening;
  }

  /** Calls `listener` with each change of job `id` from now on; returns what stops it. */
  follow(id: string, listener: Listener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id);
    };
  }

  async stop(): Promise<void> {
    const listening = this.listening;
    this.listening = undefined;
    await (await listening?.catch(() => undefined))?.unlisten().catch(() => undefined);
  }

  private dispatch(payload: string): void {
    let change: JobChange;
    try {
      change = changeSchema.parse(JSON.parse(payload));
    } catch (error) {
      this.logger?.warn({ err: error }, 'AI job change notification not understood');
      return;
    }
    for (const listener of this.listeners.get(change.id) ?? []) listener(change);
  }
}

import type { Sql } from '@vr-tour/db';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/storage.js';
import type { AcceptedKind } from './inspect.js';
import { processImage, processPanorama, type PipelineContext } from './pipeline.js';

export interface MediaJob {
  mediaId: string;
  kind: AcceptedKind;
  file: string;
  /** Removes the temporary upload once the job is over, whatever happened. */
  discard(): Promise<void>;
}

/**
 * Runs the pipeline off the request, one image at a time: an 8192x4096
 * panorama takes hundreds of megabytes while it is processed, so running
 * several at once would trade throughput for memory. Progress and the
 * result go to the media row, which clients poll.
 */
export class MediaProcessor {
  private readonly queue: MediaJob[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly storage: Storage,
    private readonly options: { maxPixels: number; format: 'webp' | 'avif'; logger?: Logger },
  ) {}

  enqueue(job: MediaJob): void {
    this.queue.push(job);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once every queued job has finished (tests and the benchmark wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      await this.run(job).finally(() => job!.discard());
    }
  }

  private async run(job: MediaJob): Promise<void> {
    const { sql, storage } = this;
    let lastWritten = -1;
    const context: PipelineContext = {
      storage,
      maxPixels: this.options.maxPixels,
      format: this.options.format,
      created: [],
      progress: (percent) => {
        // Progress writes are best-effort and only on change; the final update below is what counts.
        if (percent === lastWritten) return;
        lastWritten = percent;
        void sql`UPDATE media SET status = 'processing', progress = ${percent} WHERE id = ${job.mediaId} AND status IN ('pending', 'processing')`
          .catch(() => undefined);
      },
    };
    try {
      await sql`UPDATE media SET status = 'processing' WHERE id = ${job.mediaId}`;
      const variants = job.kind === 'panorama' ? await processPanorama(job.file, context) : await processImage(job.file, context);
      const updated = await sql`
        UPDATE media SET status = 'ready', progress = 100, variants = ${sql.json(variants as never)}, error = NULL
        WHERE id = ${job.mediaId} RETURNING id`;
      // Deleted while processing: nothing must outlive the row.
      if (updated.length === 0) await this.remove(context.created);
    } catch (error) {
      await this.remove(context.created);
      this.options.logger?.warn({ err: error, mediaId: job.mediaId }, 'media processing failed');
      const reason = error instanceof Error ? error.message.slice(0, 500) : 'processing failed';
      await sql`UPDATE media SET status = 'failed', error = ${reason}, variants = '{}' WHERE id = ${job.mediaId}`.catch(() => undefined);
    }
  }

  private async remove(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.storage.delete(key).catch(() => undefined)));
  }
}

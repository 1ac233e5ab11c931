import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RawImage } from '../../embeds/perspective.js';
import { AbortError, type Analyzer, type FeatureMatches, type Progress, type SceneFindings } from './analyzer.js';
import type { ThreadReply, ThreadTask } from './thread.js';

/** How long a cancelled task may take to notice its flag before its thread is ended (and a new one started for the next). */
const CANCEL_GRACE_MS = 500;

type Pending = { worker: Worker; resolve(value: unknown): void; reject(error: Error): void; progress?: Progress };
type TaskInput = { kind: 'scene'; panorama: RawImage } | { kind: 'match'; a: RawImage; b: RawImage };

/**
 * Runs the analysis in a worker thread, so the server's event loop keeps
 * answering while a panorama is analysed. The thread keeps its models
 * loaded between tasks (each is loaded once, on first use); it is started on
 * the first task. A cancelled task stops at its next check of a shared flag
 * (between perspective views); one that does not within the grace has its
 * thread ended.
 */
export class ThreadAnalyzer implements Analyzer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  analyzeScene(panorama: RawImage, progress: Progress, signal: AbortSignal): Promise<SceneFindings> {
    return this.run({ kind: 'scene', panorama }, signal, progress) as Promise<SceneFindings>;
  }

  matchFeatures(a: RawImage, b: RawImage, signal: AbortSignal): Promise<FeatureMatches> {
    return this.run({ kind: 'match', a, b }, signal) as Promise<FeatureMatches>;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // The thread's module is TypeScript, like the server's: it registers the same loader (tsx) before importing it.
    const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const tsx = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
    const thread = new URL('./thread.ts', import.meta.url).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(thread)}); })`;
    const worker = new Worker(bootstrap, { eval: true });
    worker.unref();
    worker.on('message', (message: ThreadReply) => {
      const task = this.pending.get(message.id);
      if (!task) return;
      if ('progress' in message) return task.progress?.(...message.progress);
      this.pending.delete(message.id);
      if ('result' in message) return task.resolve(message.result);
      task.reject(message.error.name === 'AbortError' ? new AbortError() : new Error(message.error.message));
    });
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, task] of this.pending) {
        if (task.worker !== worker) continue;
        this.pending.delete(id);
        task.reject(error);
      }
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the analysis thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private run(input: TaskInput, signal: AbortSignal, progress?: Progress): Promise<unknown> {
    if (signal.aborted) return Promise.reject(new AbortError());
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const worker = this.thread();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        Atomics.store(new Int32Array(cancel), 0, 1);
        timer = setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          reject(new AbortError());
          if (this.worker === worker) this.worker = undefined;
          void worker.terminate();
        }, CANCEL_GRACE_MS);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        worker,
        resolve: (value) => (settle(), resolve(value)),
        reject: (error) => (settle(), reject(error)),
        ...(progress ? { progress } : {}),
      });
      worker.postMessage({ id, cancel, ...input } satisfies ThreadTask);
    });
  }
}

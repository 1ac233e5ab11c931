import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError } from '../api/client.js';
import { createScene, deleteMedia, getMedia } from '../api/endpoints.js';
import { uploadMedia } from '../api/upload.js';

export type UploadPhase = 'waiting' | 'uploading' | 'processing' | 'ready' | 'refused' | 'failed';

export interface UploadItem {
  key: number;
  name: string;
  size: number;
  phase: UploadPhase;
  /** Bytes sent so far. */
  sent: number;
  /** The server's processing progress, 0..100. */
  progress: number;
  /** Why a file was refused or failed, in words. */
  message: string;
}

/** What the server takes (it checks the bytes; this only spares sending what it would refuse). */
const ACCEPTED_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif']);
/** Files sent at once: enough to keep the line busy, few enough that each bar moves. */
const PARALLEL_UPLOADS = 2;
const POLL_MS = 1000;

/** "lobby_north-side.jpg" -> "lobby north side". */
export function sceneTitleFrom(fileName: string): string {
  const base = fileName.replace(/\.[a-z0-9]{2,5}$/i, '').replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return base.slice(0, 200) || 'New scene';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Panoramas on their way into a tour: each file is sent (bytes counted as
 * they go), becomes a scene at once, and is followed through the server's
 * processing until it is ready. A refused file says why and leaves nothing
 * behind. Uploads keep going if the editor closes; only the polling stops.
 */
export class UploadQueue implements ReactiveController {
  items: UploadItem[] = [];
  private files = new Map<number, File>();
  /**
   * Scenes are made in the order the files were chosen, whichever upload ends
   * first: each file's turn comes once the file before it has had its turn.
   */
  private turns = new Map<number, { previous: Promise<void>; done: () => void }>();
  private lastTurn: Promise<void> = Promise.resolve();
  private running = 0;
  private nextKey = 1;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly tourId: () => string,
    /** A scene was added or became ready (or failed). */
    private readonly scenesChanged: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
  }

  hostDisconnected(): void {
    this.connected = false;
  }

  /** True while bytes are still to be sent: leaving the page would lose them. */
  get sending(): boolean {
    return this.items.some((item) => item.phase === 'waiting' || item.phase === 'uploading');
  }

  add(files: Iterable<File>): void {
    for (const file of files) {
      const key = this.nextKey++;
      const refused = file.type && !ACCEPTED_TYPES.has(file.type);
      this.items = [
        ...this.items,
        {
          key,
          name: file.name,
          size: file.size,
          phase: refused ? 'refused' : 'waiting',
          sent: 0,
          progress: 0,
          message: refused ? `This file is ${file.type}, not a JPEG, PNG, WebP or AVIF image.` : '',
        },
      ];
      if (!refused) {
        this.files.set(key, file);
        const previous = this.lastTurn;
        let done!: () => void;
        this.lastTurn = new Promise((resolve) => (done = resolve));
        this.turns.set(key, { previous, done });
      }
    }
    this.host.requestUpdate();
    this.pump();
  }

  /** Removes a finished item from the list. */
  dismiss(key: number): void {
    this.items = this.items.filter((item) => item.key !== key);
    this.host.requestUpdate();
  }

  private set(key: number, changes: Partial<UploadItem>): void {
    this.items = this.items.map((item) => (item.key === key ? { ...item, ...changes } : item));
    this.host.requestUpdate();
  }

  private pump(): void {
    while (this.running < PARALLEL_UPLOADS) {
      const item = this.items.find((candidate) => candidate.phase === 'waiting');
      if (!item) return;
      const file = this.files.get(item.key)!;
      this.files.delete(item.key);
      this.running += 1;
      this.set(item.key, { phase: 'uploading' });
      void this.send(item.key, file).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  /** Holds an upload slot until the file is sent and its scene made; the processing is followed after. */
  private async send(key: number, file: File): Promise<void> {
    const turn = this.turns.get(key)!;
    this.turns.delete(key);
    let mediaId: string | null = null;
    try {
      mediaId = await this.upload(key, file, turn.previous);
    } finally {
      await turn.previous;
      turn.done();
    }
    if (!mediaId) return;
    this.set(key, { phase: 'processing', sent: file.size });
    this.scenesChanged();
    void this.follow(key, mediaId);
  }

  /** Sends the file, then, in its turn, makes its scene; the media id once the scene exists. */
  private async upload(key: number, file: File, turn: Promise<void>): Promise<string | null> {
    let mediaId: string;
    try {
      const media = await uploadMedia(file, 'panorama', (sent) => this.set(key, { sent }));
      mediaId = media.id;
    } catch (error) {
      // 4xx: the server looked at the file and said no; anything else is a failure to retry.
      const refused = error instanceof ApiError && error.status >= 400 && error.status < 500;
      this.set(key, { phase: refused ? 'refused' : 'failed', message: messageOf(error) });
      return null;
    }
    await turn;
    try {
      await createScene(this.tourId(), sceneTitleFrom(file.name), mediaId);
      return mediaId;
    } catch (error) {
      // No scene, so no upload either: nothing half-made stays behind.
      await deleteMedia(mediaId).catch(() => undefined);
      this.set(key, { phase: 'failed', message: messageOf(error) });
      return null;
    }
  }

  /** Polls the media row until the server has processed it, while the editor is open. */
  private async follow(key: number, mediaId: string): Promise<void> {
    while (this.connected) {
      try {
        const media = await getMedia(mediaId);
        if (media.status === 'ready') {
          this.set(key, { phase: 'ready', progress: 100 });
          this.scenesChanged();
          return;
        }
        if (media.status === 'failed') {
          this.set(key, { phase: 'failed', message: media.error ? `The server could not process it: ${media.error}` : 'The server could not process it.' });
          this.scenesChanged();
          return;
        }
        this.set(key, { progress: media.progress });
      } catch {
        // A missed poll is retried; the status on the server is unaffected.
      }
      await sleep(POLL_MS);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../api/client.js';
import { getMedia } from '../api/endpoints.js';
import type { Media } from '../api/types.js';
import { uploadMedia, type MediaKind } from '../api/upload.js';
import { shared } from '../ui/styles.js';

const POLL_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An image the server has processed: its file is at `media.variants.url`. */
export class ImageReadyEvent extends Event {
  constructor(readonly media: Media) {
    super('image-ready', { bubbles: true, composed: true });
  }
}

type Phase = 'idle' | 'uploading' | 'processing' | 'failed';

/**
 * One image (a logo, a floor plan) picked, sent with a progress bar, and
 * followed until the server has processed it; a refusal says why.
 */
@customElement('image-upload')
export class ImageUpload extends LitElement {
  static override styles = [
    shared,
    css`
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.75rem;
      }
      input:focus-visible + label {
        outline: 3px solid var(--focus);
        outline-offset: 2px;
      }
      input:disabled + label {
        opacity: 0.6;
        cursor: default;
      }
      progress {
        width: 100%;
        height: 0.6rem;
        margin-top: 0.5rem;
        accent-color: var(--accent);
      }
      .status {
        margin: 0.35rem 0 0;
        font-size: 0.9rem;
        color: var(--muted);
        min-height: 1.35rem;
      }
      .status.failed {
        color: var(--danger);
      }
    `,
  ];

  /** The picker's words, e.g. "Choose a logo"; also its accessible name. */
  @property() label = 'Choose an image';
  @property() kind: MediaKind = 'image';
  @property({ type: Boolean }) disabled = false;

  @state() private phase: Phase = 'idle';
  @state() private sent = 0;
  @state() private size = 0;
  @state() private progress = 0;
  @state() private message = '';
  private connected = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.connected = true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connected = false;
  }

  /** True while bytes are still being sent. */
  get sending(): boolean {
    return this.phase === 'uploading';
  }

  override render() {
    const busy = this.phase === 'uploading' || this.phase === 'processing';
    return html`<div class="row">
        <input id="file" class="visually-hidden" type="file" accept="image/jpeg,image/png,image/webp,image/avif" ?disabled=${busy || this.disabled} @change=${this.picked} />
        <label class="button" for="file">${this.label}</label>
      </div>
      ${this.phase === 'uploading' ? html`<progress aria-label="Upload of the image" max=${this.size || 1} .value=${this.sent}></progress>` : nothing}
      ${this.phase === 'processing' ? html`<progress aria-label="Processing of the image" max="100" .value=${this.progress}></progress>` : nothing}
      <p class="status ${this.phase}" role="status">${this.statusText()}</p>`;
  }

  private statusText(): string {
    switch (this.phase) {
      case 'uploading':
        return 'Uploading…';
      case 'processing':
        return 'Processing on the server…';
      case 'failed':
        return this.message;
      case 'idle':
        return this.message;
    }
  }

  private async picked(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // The same file may be picked again after a refusal.
    input.value = '';
    if (!file) return;
    this.phase = 'uploading';
    this.size = file.size;
    this.sent = 0;
    this.message = '';
    try {
      const uploaded = await uploadMedia(file, this.kind, (sent) => (this.sent = sent));
      this.phase = 'processing';
      const media = await this.processed(uploaded);
      this.phase = 'idle';
      this.message = `${file.name} is in.`;
      this.dispatchEvent(new ImageReadyEvent(media));
    } catch (error) {
      if (!(error instanceof ApiError || error instanceof ProcessingFailed)) throw error;
      this.phase = 'failed';
      this.message = error instanceof ApiError && error.status >= 400 && error.status < 500 ? `Refused: ${error.message}` : `Failed: ${error.message}`;
    }
  }

  /** Polls the media row until the server has processed it. */
  private async processed(media: Media): Promise<Media> {
    let current = media;
    while (current.status !== 'ready') {
      if (current.status === 'failed') throw new ProcessingFailed(current.error ? `the server could not process it: ${current.error}` : 'the server could not process it');
      if (!this.connected) throw new ProcessingFailed('the page was left before the image was processed');
      this.progress = current.progress;
      await sleep(POLL_MS);
      try {
        current = await getMedia(current.id);
      } catch (error) {
        // A missed poll is retried; a media row that is gone is not.
        if (error instanceof ApiError && error.status === 404) throw error;
      }
    }
    return current;
  }
}

class ProcessingFailed extends Error {}

declare global {
  interface HTMLElementTagNameMap {
    'image-upload': ImageUpload;
  }
}

import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { bytes } from '../ui/format.js';
import { shared } from '../ui/styles.js';
import { UploadQueue, type UploadItem } from './upload-queue.js';

const PHASE_TEXT: Record<UploadItem['phase'], string> = {
  waiting: 'Waiting to upload',
  uploading: 'Uploading',
  processing: 'Processing on the server',
  ready: 'Ready',
  refused: 'Refused',
  failed: 'Failed',
};

/**
 * Adding panoramas: drop files on the zone or pick them; one line per file
 * with a bar for the bytes sent and, once sent, one for the server's work.
 */
@customElement('scene-uploader')
export class SceneUploader extends LitElement {
  static override styles = [
    shared,
    css`
      .zone {
        display: grid;
        justify-items: center;
        gap: 0.5rem;
        padding: 1.25rem 1rem;
        text-align: center;
        border: 2px dashed var(--line-strong);
        border-radius: 12px;
        background: var(--surface);
      }
      .zone.over {
        border-color: var(--accent);
        background: #eff6ff;
      }
      .zone p {
        margin: 0;
      }
      input:focus-visible + label {
        outline: 3px solid var(--focus);
        outline-offset: 2px;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0.75rem 0 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        padding: 0.6rem 0.75rem;
        display: grid;
        gap: 0.35rem;
      }
      .line {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .size,
      .phase {
        color: var(--muted);
        font-size: 0.9rem;
      }
      .bars {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.25rem 0.5rem;
        align-items: center;
        font-size: 0.85rem;
        color: var(--muted);
      }
      progress {
        width: 100%;
        height: 0.6rem;
        accent-color: var(--accent);
      }
      li.refused,
      li.failed {
        border-color: var(--danger-line);
        background: var(--danger-bg);
      }
      li.refused .phase,
      li.failed .phase {
        color: var(--danger);
      }
      li button {
        min-height: 36px;
        padding: 0.25rem 0.75rem;
      }
    `,
  ];

  @property() tourId = '';
  @state() private over = false;
  readonly queue = new UploadQueue(this, () => this.tourId, () => this.dispatchEvent(new Event('scenes-changed', { bubbles: true, composed: true })));

  override render() {
    return html`
      <div
        class="zone ${this.over ? 'over' : ''}"
        role="group"
        aria-label="Drop panoramas here"
        @dragover=${this.dragOver}
        @dragleave=${() => (this.over = false)}
        @drop=${this.drop}
      >
        <p>Drag panoramas here, or</p>
        <input id="files" class="visually-hidden" type="file" multiple accept="image/jpeg,image/png,image/webp,image/avif" @change=${this.picked} />
        <label class="button primary" for="files">Choose panoramas</label>
        <p class="hint">360° photos, twice as wide as high (2:1): JPEG, PNG, WebP or AVIF. Several at once is fine.</p>
      </div>
      ${this.queue.items.length
        ? html`<ul aria-label="Uploads">
            ${repeat(this.queue.items, (item) => item.key, (item) => this.renderItem(item))}
          </ul>`
        : nothing}
    `;
  }

  private renderItem(item: UploadItem) {
    const done = item.phase === 'ready' || item.phase === 'refused' || item.phase === 'failed';
    const sentBar = item.phase !== 'refused' || item.sent > 0;
    return html`<li class="card ${item.phase}">
      <div class="line">
        <span class="name">${item.name}</span>
        <span class="size">${bytes(item.size)}</span>
      </div>
      ${item.phase === 'refused' || item.phase === 'failed'
        ? nothing
        : html`<div class="bars">
            ${sentBar
              ? html`<span>Upload</span><progress aria-label="Upload of ${item.name}" max=${item.size || 1} .value=${item.sent}></progress>`
              : nothing}
            ${item.phase === 'processing' || item.phase === 'ready'
              ? html`<span>Processing</span><progress aria-label="Processing of ${item.name}" max="100" .value=${item.progress}></progress>`
              : nothing}
          </div>`}
      <div class="line">
        <span class="phase" role="status">${PHASE_TEXT[item.phase]}${item.message ? html`: ${item.message}` : nothing}</span>
        ${done ? html`<button @click=${() => this.queue.dismiss(item.key)} aria-label="Dismiss ${item.name}">Dismiss</button>` : nothing}
      </div>
    </li>`;
  }

  private dragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.over = true;
  }

  private drop(event: DragEvent): void {
    event.preventDefault();
    this.over = false;
    if (event.dataTransfer?.files.length) this.queue.add(event.dataTransfer.files);
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.files?.length) this.queue.add(input.files);
    // The same file may be picked again after a refusal.
    input.value = '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scene-uploader': SceneUploader;
  }
}

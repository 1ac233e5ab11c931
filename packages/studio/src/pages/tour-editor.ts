import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/client.js';
import { getTour, listScenes } from '../api/endpoints.js';
import type { MediaStatus, Scene, Tour } from '../api/types.js';
import { paths } from '../router.js';
import { STATUS_LABELS, VISIBILITY_LABELS } from '../ui/format.js';
import { shared } from '../ui/styles.js';
import type { TourUpdatedEvent } from '../editor/tour-details.js';
import type { TourDetails } from '../editor/tour-details.js';
import type { SceneUploader } from '../editor/scene-uploader.js';
import type { TourPreview } from '../editor/tour-preview.js';
import type { SceneUpdatedEvent } from '../editor/floor-plans.js';
import '../editor/tour-details.js';
import '../editor/tour-publishing.js';
import '../editor/tour-preview.js';
import '../editor/scene-uploader.js';
import '../editor/tour-sharing.js';
import '../editor/tour-settings.js';
import '../editor/tour-branding.js';
import '../editor/floor-plans.js';

/** While a scene is being processed, its status is read this often. */
const SCENE_POLL_MS = 2000;

const SCENE_STATUS: Record<MediaStatus | 'none', string> = {
  pending: 'Waiting to be processed',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Processing failed',
  none: 'No panorama',
};

/** One tour: its preview, its scenes and uploads, its details and publishing. */
@customElement('tour-editor')
export class TourEditor extends LitElement {
  static override styles = [
    shared,
    css`
      .back {
        display: inline-block;
        margin-bottom: 0.75rem;
      }
      .heading {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        margin-bottom: 1.25rem;
      }
      h1 {
        overflow-wrap: anywhere;
      }
      .badges {
        display: flex;
        gap: 0.4rem;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 22rem;
        gap: 1.5rem;
        align-items: start;
      }
      .main,
      .side {
        display: grid;
        gap: 1.5rem;
        min-width: 0;
      }
      .panel {
        padding: 1.25rem;
      }
      ol {
        list-style: none;
        padding: 0;
        margin: 1rem 0 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
        gap: 0.75rem;
      }
      ol li {
        overflow: hidden;
        display: grid;
        grid-template-rows: auto 1fr;
      }
      ol li.selected {
        border-color: var(--accent);
        box-shadow: 0 0 0 2px var(--accent);
      }
      .scene-body {
        padding: 0.6rem 0.75rem 0.75rem;
        display: grid;
        gap: 0.4rem;
        align-content: start;
      }
      .scene-title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .scene-body button {
        justify-self: start;
        min-height: 36px;
        padding: 0.25rem 0.75rem;
        font-size: 0.9rem;
      }
      .empty {
        color: var(--muted);
        margin: 1rem 0 0;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  @property() tourId = '';

  @state() private tour: Tour | null = null;
  @state() private scenes: Scene[] = [];
  @state() private problem = '';
  @state() private previewScene = '';
  @query('tour-details') private details?: TourDetails;
  @query('scene-uploader') private uploader?: SceneUploader;
  @query('tour-preview') private preview?: TourPreview;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('beforeunload', this.beforeUnload);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('beforeunload', this.beforeUnload);
    clearTimeout(this.pollTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tourId')) void this.load();
    if (this.tour) document.title = `${this.tour.title} · vr-tour studio`;
  }

  override render() {
    const back = html`<a class="back" href=${paths.tours()}><span aria-hidden="true">← </span>All my tours</a>`;
    if (!this.tour) {
      return html`${back}
        ${this.problem
          ? html`<h1 tabindex="-1">Tour not available</h1>
              <div class="alert" role="alert">${this.problem}</div>`
          : html`<p role="status">Loading the tour…</p>`}`;
    }
    const tour = this.tour;
    return html`${back}
      <div class="heading">
        <h1 tabindex="-1">${tour.title}</h1>
        <div class="badges">
          <span class="badge ${tour.status}">${STATUS_LABELS[tour.status]}</span>
          <span class="badge">${VISIBILITY_LABELS[tour.visibility]}</span>
        </div>
      </div>
      <div class="layout">
        <div class="main">
          <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">Preview</h2>
            <tour-preview .tour=${tour} .scenes=${this.scenes} .sceneId=${this.previewScene}></tour-preview>
          </section>
          <section class="card panel" aria-labelledby="scenes-heading">
            <h2 id="scenes-heading">Scenes (${this.scenes.length})</h2>
            <scene-uploader .tourId=${tour.id} @scenes-changed=${this.refreshScenes}></scene-uploader>
            ${this.renderScenes()}
          </section>
          <section class="card panel" aria-labelledby="floor-plans-heading">
            <h2 id="floor-plans-heading">Floor plans</h2>
            <floor-plans-panel .tourId=${tour.id} .scenes=${this.scenes} @scene-updated=${this.sceneUpdated} @scenes-changed=${this.refreshScenes}></floor-plans-panel>
          </section>
        </div>
        <div class="side">
          <section class="card panel" aria-labelledby="details-heading">
            <h2 id="details-heading">Details</h2>
            <tour-details .tour=${tour} @tour-updated=${this.tourUpdated}></tour-details>
          </section>
          <section class="card panel" aria-labelledby="publishing-heading">
            <h2 id="publishing-heading">Publishing</h2>
            <tour-publishing
              .tour=${tour}
              .readyScenes=${this.scenes.filter((scene) => scene.mediaStatus === 'ready').length}
              @tour-updated=${this.tourUpdated}></tour-publishing>
          </section>
          <section class="card panel" aria-labelledby="sharing-heading">
            <h2 id="sharing-heading">Share and embed</h2>
            <tour-sharing .tour=${tour}></tour-sharing>
          </section>
          <section class="card panel" aria-labelledby="settings-heading">
            <h2 id="settings-heading">Settings</h2>
            <tour-settings .tour=${tour} @tour-updated=${this.tourUpdated}></tour-settings>
          </section>
          <section class="card panel" aria-labelledby="branding-heading">
            <h2 id="branding-heading">Branding</h2>
            <tour-branding .tourId=${tour.id} @branding-changed=${() => this.preview?.reload()}></tour-branding>
          </section>
        </div>
      </div>`;
  }

  private renderScenes() {
    if (!this.scenes.length) return html`<p class="empty">No scenes yet. Each panorama you add becomes a scene.</p>`;
    const start = this.tour?.initialSceneId ?? this.scenes[0]?.id;
    return html`<ol aria-label="Scenes of this tour">
      ${repeat(
        this.scenes,
        (scene) => scene.id,
        (scene) => {
          const status = scene.mediaStatus ?? 'none';
          return html`<li class="card ${this.previewScene === scene.id ? 'selected' : ''}">
            ${scene.thumbnailUrl
              ? html`<img class="thumb" src=${scene.thumbnailUrl} alt="" width="400" height="200" loading="lazy" />`
              : html`<div class="thumb"></div>`}
            <div class="scene-body">
              <span class="scene-title">${scene.title}</span>
              <span>
                <span class="badge ${status}">${SCENE_STATUS[status]}</span>
                ${scene.id === start ? html`<span class="badge">Start scene</span>` : nothing}
              </span>
              ${status === 'ready'
                ? html`<button aria-pressed=${this.previewScene === scene.id ? 'true' : 'false'} aria-label="Show ${scene.title} in the preview" @click=${() => (this.previewScene = scene.id)}>
                    Show in preview
                  </button>`
                : nothing}
            </div>
          </li>`;
        },
      )}
    </ol>`;
  }

  private async load(): Promise<void> {
    this.tour = null;
    this.problem = '';
    try {
      const [tour, scenes] = await Promise.all([getTour(this.tourId), listScenes(this.tourId)]);
      this.tour = tour;
      this.scenes = scenes;
      this.pollWhileProcessing();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problem = error.status === 404 ? 'This tour does not exist, or it belongs to another account.' : error.message;
    }
  }

  private async refreshScenes(): Promise<void> {
    clearTimeout(this.pollTimer);
    try {
      this.scenes = await listScenes(this.tourId);
    } catch {
      // Read again at the next poll; the scenes shown stay as they were.
    }
    this.pollWhileProcessing();
  }

  /** Scenes processing (uploaded from another tab, or before a reload) are followed here too. */
  private pollWhileProcessing(): void {
    clearTimeout(this.pollTimer);
    if (!this.isConnected) return;
    if (this.scenes.some((scene) => scene.mediaStatus === 'pending' || scene.mediaStatus === 'processing')) {
      this.pollTimer = setTimeout(() => void this.refreshScenes(), SCENE_POLL_MS);
    }
  }

  private tourUpdated(event: TourUpdatedEvent): void {
    this.tour = event.tour;
  }

  private sceneUpdated(event: SceneUpdatedEvent): void {
    this.scenes = this.scenes.map((scene) => (scene.id === event.scene.id ? event.scene : scene));
  }

  /** Leaving with bytes still to send, or text not yet saved, asks first. */
  private beforeUnload = (event: BeforeUnloadEvent): void => {
    const panels = this.renderRoot.querySelectorAll<Element & { autosave: { unsaved: boolean } }>('tour-settings, tour-branding, floor-plans-panel');
    if (this.uploader?.queue.sending || this.details?.unsaved || [...panels].some((panel) => panel.autosave.unsaved)) event.preventDefault();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tour-editor': TourEditor;
  }
}

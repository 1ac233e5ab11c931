import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { getMedia, listHotspots } from '../api/endpoints.js';
import type { EditorHotspot, Media, Scene, Tour } from '../api/types.js';
import { shared } from '../ui/styles.js';
import { previewDocument } from './preview-document.js';

let viewerScript: Promise<void> | null = null;

/**
 * Loads `<vr-tour>` the way an embedding page does, from the server's
 * /vr-tour.js: the preview runs the very code visitors get. Only the editor
 * calls this, so no other studio page pays for the viewer.
 */
function loadViewer(): Promise<void> {
  return (viewerScript ??= new Promise<void>((resolve, reject) => {
    if (customElements.get('vr-tour')) return resolve();
    const script = document.createElement('script');
    script.type = 'module';
    script.src = '/vr-tour.js';
    script.onload = () => void customElements.whenDefined('vr-tour').then(() => resolve());
    script.onerror = () => {
      viewerScript = null;
      script.remove();
      reject(new Error('The viewer could not be loaded. Check the connection and reload the page.'));
    };
    document.head.append(script);
  }));
}

/** The live preview: the tour's ready scenes in `<vr-tour>`, rebuilt as scenes come and go. */
@customElement('tour-preview')
export class TourPreview extends LitElement {
  static override styles = [
    shared,
    css`
      .frame {
        position: relative;
        aspect-ratio: 16 / 9;
        max-height: 70vh;
        overflow: hidden;
        border-radius: 12px;
        background: #1f2937;
      }
      vr-tour {
        display: block;
        width: 100%;
        height: 100%;
      }
      .placeholder {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
        padding: 1rem;
        text-align: center;
        color: #f9fafb;
      }
      .hint {
        margin-top: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) tour!: Tour;
  @property({ attribute: false }) scenes: Scene[] = [];
  /** The scene to show; empty shows the tour's start scene. */
  @property() sceneId = '';

  @state() private src = '';
  @state() private problem = '';
  @state() private viewerLoaded = false;
  /** The scene the viewer shows once its panorama is drawn. */
  @state() private showing = '';
  /** Processed media and their hotspots do not change under the preview: each is read once. */
  private media = new Map<string, Media>();
  private hotspots = new Map<string, EditorHotspot[]>();
  /** The document last handed to the viewer, minus what does not change the picture. */
  private shownKey = '';
  private generation = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    loadViewer().then(
      () => (this.viewerLoaded = true),
      (error: Error) => (this.problem = error.message),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.src) URL.revokeObjectURL(this.src);
    this.src = '';
    this.shownKey = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tour') || changed.has('scenes')) void this.rebuild();
  }

  override render() {
    const ready = this.scenes.some((scene) => scene.mediaStatus === 'ready');
    let placeholder: string | null = null;
    if (this.problem) placeholder = this.problem;
    else if (!ready) placeholder = this.scenes.length ? 'The preview appears when the first panorama is ready.' : 'Add a panorama to see the tour here.';
    else if (!this.src || !this.viewerLoaded) placeholder = 'Loading the preview…';
    return html`<div class="frame">
        ${this.src && this.viewerLoaded
          ? html`<vr-tour
              src=${this.src}
              scene=${ifDefined(this.sceneId || undefined)}
              analytics="off"
              controls
              loading="eager"
              @load=${this.shown}
              @scene-change=${this.shown}
            ></vr-tour>`
          : nothing}
        ${placeholder ? html`<div class="placeholder" role="status">${placeholder}</div>` : nothing}
      </div>
      <p class="hint" role="status">${this.showing ? `Showing “${this.showing}”. ` : ''}What visitors see: drag to look around. Views here are not counted.</p>`;
  }

  /** Reads the tour's document again: a change the editor's properties do not carry (branding) is on the server. */
  reload(): void {
    this.shownKey = '';
    void this.rebuild();
  }

  private shown(event: CustomEvent<{ sceneId: string }>): void {
    this.showing = this.scenes.find((scene) => scene.id === event.detail.sceneId)?.title ?? '';
  }

  private async rebuild(): Promise<void> {
    const generation = ++this.generation;
    const ready = this.scenes.filter((scene): scene is Scene & { mediaId: string } => scene.mediaStatus === 'ready' && scene.mediaId !== null);
    try {
      await Promise.all(
        ready.map(async (scene) => {
          if (!this.media.has(scene.mediaId)) this.media.set(scene.mediaId, await getMedia(scene.mediaId));
          if (!this.hotspots.has(scene.id)) this.hotspots.set(scene.id, await listHotspots(scene.id));
        }),
      );
    } catch (error) {
      if (generation === this.generation) this.problem = `The preview could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    if (generation !== this.generation) return;
    this.problem = '';
    const document = previewDocument(
      { tour: this.tour, scenes: ready.map((scene) => ({ scene, media: this.media.get(scene.mediaId)!, hotspots: this.hotspots.get(scene.id)! })) },
      location.origin,
    );
    // A new title or a save's timestamp need not reload the viewer (and reset the view).
    const key = document ? JSON.stringify({ ...document, title: '', description: null, updatedAt: '' }) : '';
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.showing = '';
    if (this.src) URL.revokeObjectURL(this.src);
    this.src = document ? URL.createObjectURL(new Blob([JSON.stringify(document)], { type: 'application/json' })) : '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tour-preview': TourPreview;
  }
}

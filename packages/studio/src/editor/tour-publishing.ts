import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { ApiError } from '../api/client.js';
import { moveTour, updateTour, type TourTransition } from '../api/endpoints.js';
import type { Tour, TourVisibility } from '../api/types.js';
import { STATUS_LABELS, VISIBILITY_LABELS } from '../ui/format.js';
import { shared } from '../ui/styles.js';
import { TourUpdatedEvent } from './tour-details.js';

const VISIBILITY_MEANING: Record<TourVisibility, string> = {
  private: 'Only you, here in the studio. Its link and embeds show nothing, even when published.',
  unlisted: 'Anyone with the link or an embed, once published. Never listed in the public gallery.',
  public: 'Anyone, once published. It may also be listed in the public gallery.',
};

function statusMeaning(tour: Tour): string {
  if (tour.status === 'archived') return 'Archived: hidden everywhere. Restore it to publish it again.';
  if (tour.status === 'draft') return 'Draft: only you can see it, here in the studio.';
  if (tour.visibility === 'private') return 'Published, but private: only you can see it.';
  return tour.visibility === 'public' ? 'Published: anyone can see it.' : 'Published: anyone with the link can see it.';
}

/** Publish, unpublish, restore; who may see the tour. (Its link and embed codes: tour-sharing.ts.) */
@customElement('tour-publishing')
export class TourPublishing extends LitElement {
  static override styles = [
    shared,
    css`
      .status {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.75rem;
      }
      .status p {
        margin: 0;
      }
      fieldset {
        border: none;
        padding: 0;
        margin: 1.25rem 0 0;
      }
      legend {
        padding: 0;
        margin-bottom: 0.5rem;
      }
      .choice {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 0.6rem;
        padding: 0.5rem 0;
      }
      .choice input {
        width: 1.2rem;
        height: 1.2rem;
        margin: 0.15rem 0 0;
        accent-color: var(--accent);
      }
      .choice .hint {
        grid-column: 2;
      }
      #publish-hint {
        margin-bottom: 0.5rem;
      }
      .note {
        font-size: 0.9rem;
        color: var(--ok);
        margin: 0.5rem 0 0;
        min-height: 1.4rem;
      }
    `,
  ];

  @property({ attribute: false }) tour!: Tour;
  /** Scenes whose panorama is ready: publishing needs one. */
  @property({ type: Number }) readyScenes = 0;
  @state() private busy = false;
  /** The visibility chosen and being saved: shown checked until the server answers. */
  @state() private choosing: TourVisibility | null = null;
  @state() private problem = '';
  @state() private note = '';

  override render() {
    const tour = this.tour;
    const action: { label: string; move: TourTransition; primary: boolean } =
      tour.status === 'draft'
        ? { label: 'Publish', move: 'publish', primary: true }
        : tour.status === 'published'
          ? { label: 'Unpublish', move: 'unpublish', primary: false }
          : { label: 'Restore as draft', move: 'restore', primary: true };
    return html`
      <div class="status">
        <span class="badge ${tour.status}">${STATUS_LABELS[tour.status]}</span>
        <p>${statusMeaning(tour)}</p>
      </div>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${tour.status === 'draft' && this.readyScenes === 0
        ? html`<p class="hint" id="publish-hint">Publishing needs at least one scene whose panorama is ready.</p>`
        : nothing}
      <button
        class=${action.primary ? 'primary' : ''}
        ?disabled=${this.busy}
        aria-describedby=${ifDefined(tour.status === 'draft' && this.readyScenes === 0 ? 'publish-hint' : undefined)}
        @click=${() => this.move(action.move)}
      >
        ${action.label}
      </button>
      <p class="note" role="status">${this.note}</p>
      <fieldset>
        <legend>Who can see it</legend>
        ${(Object.keys(VISIBILITY_MEANING) as TourVisibility[]).map(
          (visibility) => html`<div class="choice">
            <input
              type="radio"
              id="visibility-${visibility}"
              name="visibility"
              value=${visibility}
              .checked=${live((this.choosing ?? tour.visibility) === visibility)}
              aria-describedby="visibility-${visibility}-meaning"
              @change=${() => this.setVisibility(visibility)}
            />
            <label for="visibility-${visibility}">${VISIBILITY_LABELS[visibility]}</label>
            <p class="hint" id="visibility-${visibility}-meaning">${VISIBILITY_MEANING[visibility]}</p>
          </div>`,
        )}
      </fieldset>
    `;
  }

  private async move(action: TourTransition): Promise<void> {
    await this.run(() => moveTour(this.tour.id, action), action === 'publish' ? 'Published.' : action === 'unpublish' ? 'Back to draft.' : 'Restored as a draft.');
  }

  private async setVisibility(visibility: TourVisibility): Promise<void> {
    this.choosing = visibility;
    await this.run(() => updateTour(this.tour.id, { visibility }), `✓ Saved: ${VISIBILITY_LABELS[visibility].toLowerCase()}.`);
    this.choosing = null;
  }

  private async run(call: () => Promise<Tour>, done: string): Promise<void> {
    this.busy = true;
    this.problem = '';
    this.note = '';
    try {
      const tour = await call();
      this.note = done;
      this.dispatchEvent(new TourUpdatedEvent(tour));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problem = error.message;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tour-publishing': TourPublishing;
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../api/client.js';
import { updateTour } from '../api/endpoints.js';
import type { Tour } from '../api/types.js';
import { field } from '../ui/field.js';
import { shared } from '../ui/styles.js';

/** Typing pauses this long before a save; leaving a field saves at once. */
const SAVE_DELAY_MS = 700;

type Saving = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/** A tour after a save: the editor takes the server's copy as the truth. */
export class TourUpdatedEvent extends Event {
  constructor(readonly tour: Tour) {
    super('tour-updated', { bubbles: true, composed: true });
  }
}

interface Values {
  title: string;
  description: string;
}

/**
 * Title and description, saved as they are typed (no Save button to
 * forget), one request at a time, with the state always on screen.
 */
@customElement('tour-details')
export class TourDetails extends LitElement {
  static override styles = [
    shared,
    css`
      .state {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 1.75rem;
        font-size: 0.9rem;
        color: var(--muted);
      }
      .state.saved {
        color: var(--ok);
      }
      .state.error {
        color: var(--danger);
      }
    `,
  ];

  @property({ attribute: false }) tour!: Tour;

  @state() private values: Values = { title: '', description: '' };
  @state() private saving: Saving = 'idle';
  @state() private problem = '';
  @state() private errors: Partial<Record<keyof Values, string>> = {};
  /** What the server holds, as far as this page knows. */
  private stored: Values = { title: '', description: '' };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | null = null;

  /** True while typed text is not yet on the server. */
  get unsaved(): boolean {
    return this.saving === 'pending' || this.saving === 'saving' || this.saving === 'error';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('tour') as Tour | undefined;
    if (changed.has('tour') && (!previous || previous.id !== this.tour.id)) {
      this.stored = { title: this.tour.title, description: this.tour.description ?? '' };
      this.values = { ...this.stored };
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Text typed just before leaving is still saved.
    if (this.saving === 'pending') void this.flush();
  }

  override render() {
    return html`
      ${field({
        id: 'title',
        label: 'Title',
        value: this.values.title,
        maxlength: 200,
        error: this.errors.title,
        onInput: (value) => this.edit('title', value),
        onChange: () => void this.flush(),
      })}
      ${field({
        id: 'description',
        label: 'Description',
        hint: 'Shown with the tour where it is shared.',
        value: this.values.description,
        multiline: true,
        maxlength: 5000,
        error: this.errors.description,
        onInput: (value) => this.edit('description', value),
        onChange: () => void this.flush(),
      })}
      <div class="state ${this.saving}" role="status">${this.stateText()}</div>
    `;
  }

  private stateText() {
    switch (this.saving) {
      case 'idle':
        return 'Changes are saved as you type.';
      case 'pending':
        return 'Unsaved changes…';
      case 'saving':
        return 'Saving…';
      case 'saved':
        return '✓ Saved';
      case 'error':
        return html`Not saved: ${this.problem} ${this.problem ? html`<button class="link" @click=${this.flush}>Try again</button>` : nothing}`;
    }
  }

  private edit(name: keyof Values, value: string): void {
    this.values = { ...this.values, [name]: value };
    this.saving = 'pending';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  /** Saves what differs from the server's copy; a save already running finishes first. */
  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    while (this.inFlight) await this.inFlight;
    const sent = { ...this.values };
    const changes: { title?: string; description?: string | null } = {};
    if (sent.title !== this.stored.title) changes.title = sent.title.trim();
    if (sent.description !== this.stored.description) changes.description = sent.description || null;
    if (!Object.keys(changes).length) {
      if (this.saving === 'pending') this.saving = 'saved';
      return;
    }
    if (changes.title === '') {
      this.errors = { title: 'Give the tour a title.' };
      this.problem = 'the title is empty.';
      this.saving = 'error';
      return;
    }
    this.saving = 'saving';
    this.inFlight = (async () => {
      try {
        const tour = await updateTour(this.tour.id, changes);
        this.stored = sent;
        this.errors = {};
        this.dispatchEvent(new TourUpdatedEvent(tour));
        // Typing during the save left newer text to send.
        const newer = this.values.title !== sent.title || this.values.description !== sent.description;
        this.saving = newer ? 'pending' : 'saved';
        if (newer) this.timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const title = error.field('title');
        const description = error.field('description');
        this.errors = { ...(title ? { title } : {}), ...(description ? { description } : {}) };
        this.problem = title || description ? 'see the field marked.' : error.message;
        this.saving = 'error';
      } finally {
        this.inFlight = null;
      }
    })();
    await this.inFlight;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tour-details': TourDetails;
  }
}

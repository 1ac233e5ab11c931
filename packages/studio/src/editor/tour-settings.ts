import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { ApiError } from '../api/client.js';
import { moveTour, updateTour } from '../api/endpoints.js';
import type { Tour, TourSettings } from '../api/types.js';
import { Autosave, SaveRefused, saveStatus, saveStatusStyles } from '../ui/autosave.js';
import { confirmAction } from '../ui/confirm-dialog.js';
import { shared } from '../ui/styles.js';
import { TourUpdatedEvent } from './tour-details.js';

/** A number field as typed: kept as text until it is valid, so typing "-" or "1." loses nothing. */
interface NumberField {
  key: 'transitionMs' | 'speed' | 'idleSeconds';
  label: string;
  hint: string;
  min: number;
  max: number;
  step: number;
}

// The ranges of tourSettingsSchema in @vr-tour/protocol (the server checks them too).
const NUMBERS: Record<NumberField['key'], NumberField> = {
  transitionMs: { key: 'transitionMs', label: 'Crossfade length (milliseconds)', hint: '0 to 5000.', min: 0, max: 5000, step: 100 },
  speed: { key: 'speed', label: 'Turning speed (degrees a second)', hint: '−30 to 30; below 0 turns left.', min: -30, max: 30, step: 0.5 },
  idleSeconds: { key: 'idleSeconds', label: 'Start after (seconds without a touch)', hint: '0 to 600.', min: 0, max: 600, step: 1 },
};

type Texts = Record<NumberField['key'], string>;

function inRange(spec: NumberField, text: string): boolean {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= spec.min && value <= spec.max;
}

function textsOf(settings: TourSettings): Texts {
  return {
    transitionMs: String(settings.transitionMs),
    speed: String(settings.autorotate.speed),
    idleSeconds: String(settings.autorotate.idleMs / 1000),
  };
}

/** The server's field names for the number fields, as its errors name them. */
const SERVER_PATHS: Record<string, NumberField['key']> = {
  'settings.transitionMs': 'transitionMs',
  'settings.autorotate.speed': 'speed',
  'settings.autorotate.idleMs': 'idleSeconds',
};

/**
 * How the tour behaves in the viewer (transition, autorotate, audio,
 * compass), saved as it is changed; and archiving it, or restoring it.
 */
@customElement('tour-settings')
export class TourSettingsPanel extends LitElement {
  static override styles = [
    shared,
    saveStatusStyles,
    css`
      .check {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 0.6rem;
        align-items: start;
        margin-bottom: 0.9rem;
      }
      .check input {
        width: 1.2rem;
        height: 1.2rem;
        margin: 0.15rem 0 0;
        accent-color: var(--accent);
      }
      .check .hint {
        grid-column: 2;
      }
      fieldset {
        border: 1px solid var(--line);
        border-radius: 8px;
        padding: 0.75rem 1rem 0;
        margin: 0 0 1rem;
      }
      legend {
        padding: 0 0.25rem;
      }
      .archive {
        border-top: 1px solid var(--line);
        margin-top: 1.25rem;
        padding-top: 1rem;
      }
      h3 {
        font-size: 1rem;
        margin: 0 0 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) tour!: Tour;

  @state() private settings!: TourSettings;
  @state() private texts!: Texts;
  @state() private errors: Partial<Record<NumberField['key'], string>> = {};
  @state() private moving = false;
  @state() private problem = '';
  /** What the server holds, as far as this page knows. */
  private stored!: TourSettings;
  readonly autosave = new Autosave(this, () => this.save());

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('tour') as Tour | undefined;
    if (changed.has('tour') && (!previous || previous.id !== this.tour.id)) {
      this.stored = this.tour.settings;
      this.settings = this.tour.settings;
      this.texts = textsOf(this.tour.settings);
    }
  }

  override render() {
    const { settings } = this;
    return html`
      <div class="field">
        <label for="transition">Moving between scenes</label>
        <select id="transition" .value=${live(settings.transition)} @change=${(event: Event) => this.set({ transition: (event.target as HTMLSelectElement).value as TourSettings['transition'] }, true)}>
          <option value="crossfade">Crossfade</option>
          <option value="none">Cut (no transition)</option>
        </select>
      </div>
      ${settings.transition === 'crossfade' ? this.numberField(NUMBERS.transitionMs) : nothing}
      <fieldset>
        <legend>Autorotate</legend>
        ${this.checkbox('autorotate', 'Turn slowly by itself', 'When nobody has touched the tour for a while.', settings.autorotate.enabled, (enabled) =>
          this.set({ autorotate: { ...this.settings.autorotate, enabled } }, true),
        )}
        ${settings.autorotate.enabled ? html`${this.numberField(NUMBERS.speed)}${this.numberField(NUMBERS.idleSeconds)}` : nothing}
      </fieldset>
      ${this.checkbox('autoplay-audio', 'Play audio at once', 'A scene’s audio starts when the scene opens, where the browser allows it.', settings.autoplayAudio, (autoplayAudio) =>
        this.set({ autoplayAudio }, true),
      )}
      ${this.checkbox('compass', 'Show a compass', 'Points north, as set for each scene.', settings.showCompass, (showCompass) => this.set({ showCompass }, true))}
      ${saveStatus(this.autosave)}
      ${this.renderArchive()}
    `;
  }

  private renderArchive() {
    const archived = this.tour.status === 'archived';
    return html`<div class="archive">
      <h3>${archived ? 'Archived' : 'Archive'}</h3>
      <p class="hint" id="archive-hint">
        ${archived
          ? 'Hidden everywhere. Restoring makes it a draft again, to publish when you like.'
          : 'Hides the tour everywhere, without deleting anything. You can restore it later.'}
      </p>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      <button ?disabled=${this.moving} aria-describedby="archive-hint" @click=${archived ? this.restore : this.archive}>
        ${archived ? 'Restore as draft' : 'Archive this tour'}
      </button>
    </div>`;
  }

  private checkbox(id: string, label: string, hint: string, checked: boolean, onChange: (checked: boolean) => void) {
    return html`<div class="check">
      <input type="checkbox" id=${id} aria-describedby="${id}-hint" .checked=${live(checked)} @change=${(event: Event) => onChange((event.target as HTMLInputElement).checked)} />
      <label for=${id}>${label}</label>
      <p class="hint" id="${id}-hint">${hint}</p>
    </div>`;
  }

  private numberField(spec: NumberField) {
    const error = this.errors[spec.key];
    return html`<div class="field">
      <label for=${spec.key}>${spec.label}</label>
      <p class="hint" id="${spec.key}-hint">${spec.hint}</p>
      <input
        id=${spec.key}
        type="number"
        inputmode="decimal"
        min=${spec.min}
        max=${spec.max}
        step=${spec.step}
        aria-describedby=${ifDefined(error ? `${spec.key}-hint ${spec.key}-error` : `${spec.key}-hint`)}
        aria-invalid=${error ? 'true' : 'false'}
        .value=${live(this.texts[spec.key])}
        @input=${(event: Event) => this.typed(spec.key, (event.target as HTMLInputElement).value)}
        @change=${this.autosave.flush}
      />
      ${error ? html`<p class="error" id="${spec.key}-error">${error}</p>` : nothing}
    </div>`;
  }

  private typed(key: NumberField['key'], text: string): void {
    this.texts = { ...this.texts, [key]: text };
    // A mark on a field goes as soon as what is typed is right.
    if (this.errors[key] && inRange(NUMBERS[key], text)) {
      const { [key]: _fixed, ...rest } = this.errors;
      this.errors = rest;
    }
    this.autosave.changed();
  }

  /** A choice made (a box ticked, an option picked): saved at once. */
  private set(changes: Partial<TourSettings>, now: boolean): void {
    this.settings = { ...this.settings, ...changes };
    this.autosave.changed();
    if (now) void this.autosave.flush();
  }

  /** The settings with the typed numbers read in; throws SaveRefused naming what is out of range. */
  private read(): TourSettings {
    const errors: Partial<Record<NumberField['key'], string>> = {};
    const number = (spec: NumberField) => {
      if (!inRange(spec, this.texts[spec.key])) errors[spec.key] = `Give a number from ${spec.min} to ${spec.max}.`;
      return Number(this.texts[spec.key]);
    };
    const transitionMs = Math.round(number(NUMBERS.transitionMs));
    const speed = number(NUMBERS.speed);
    const idleMs = Math.round(number(NUMBERS.idleSeconds) * 1000);
    this.errors = errors;
    if (Object.keys(errors).length) throw new SaveRefused('see the field marked.');
    return { ...this.settings, transitionMs, autorotate: { ...this.settings.autorotate, speed, idleMs } };
  }

  private async save(): Promise<void> {
    const settings = this.read();
    if (JSON.stringify(settings) === JSON.stringify(this.stored)) return;
    try {
      const tour = await updateTour(this.tour.id, { settings });
      this.stored = tour.settings;
      this.dispatchEvent(new TourUpdatedEvent(tour));
    } catch (error) {
      if (error instanceof ApiError) {
        const errors: Partial<Record<NumberField['key'], string>> = {};
        for (const [path, key] of Object.entries(SERVER_PATHS)) {
          const text = error.field(path);
          if (text) errors[key] = text;
        }
        this.errors = errors;
        if (Object.keys(errors).length) throw new SaveRefused('see the field marked.');
      }
      throw error;
    }
  }

  private async archive(): Promise<void> {
    const confirmed = await confirmAction({
      title: `Archive “${this.tour.title}”?`,
      body: 'Its link, its embeds and its custom domains show nothing while it is archived. Nothing is deleted: restore it to make it a draft again.',
      confirm: 'Archive tour',
    });
    if (confirmed) await this.move('archive');
  }

  private restore(): Promise<void> {
    return this.move('restore');
  }

  private async move(action: 'archive' | 'restore'): Promise<void> {
    this.moving = true;
    this.problem = '';
    try {
      this.dispatchEvent(new TourUpdatedEvent(await moveTour(this.tour.id, action)));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problem = error.message;
    } finally {
      this.moving = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tour-settings': TourSettingsPanel;
  }
}

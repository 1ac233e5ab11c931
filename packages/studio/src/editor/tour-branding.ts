import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { styleMap } from 'lit/directives/style-map.js';
import { ApiError } from '../api/client.js';
import { getBranding, updateBranding } from '../api/tour-extras.js';
import type { Branding } from '../api/types.js';
import { Autosave, SaveRefused, saveStatus, saveStatusStyles } from '../ui/autosave.js';
import { shared } from '../ui/styles.js';
import type { ImageReadyEvent } from './image-upload.js';
import './image-upload.js';

/** What a colour field shows while the tour uses the viewer's own colour. */
const SHOWN_WHEN_UNSET = { primaryColor: '#1f2937', accentColor: '#ffffff' } as const;

type Colour = keyof typeof SHOWN_WHEN_UNSET;

/** The editor reloads the preview when this fires: the branding on the server changed. */
export const BRANDING_CHANGED = 'branding-changed';

/**
 * The tour's logo (uploaded through the media API), where it links, its two
 * colours and the "Made with vr-tour" line; saved as they change, shown on a
 * sample here and, once saved, in the preview.
 */
@customElement('tour-branding')
export class TourBranding extends LitElement {
  static override styles = [
    shared,
    saveStatusStyles,
    css`
      .logo {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem;
        margin-bottom: 0.5rem;
      }
      .logo img {
        max-width: 8rem;
        max-height: 3rem;
        object-fit: contain;
        padding: 0.25rem;
        border: 1px solid var(--line);
        border-radius: 6px;
        background: #fff;
      }
      .colours {
        display: grid;
        gap: 0.75rem;
        margin-bottom: 1rem;
      }
      .colour {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.75rem;
      }
      .colour label,
      .colour .hint {
        flex: 1 1 100%;
      }
      .colour input[type='color'] {
        width: 3.5rem;
        height: 44px;
        padding: 0.2rem;
        border: 1px solid var(--line-strong);
        border-radius: 8px;
        background: var(--surface);
      }
      .value {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.9rem;
      }
      .check {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 0.6rem;
        margin-bottom: 1rem;
      }
      .check input {
        width: 1.2rem;
        height: 1.2rem;
        margin: 0.15rem 0 0;
        accent-color: var(--accent);
      }
      figure {
        margin: 0 0 1rem;
      }
      figcaption {
        font-size: 0.9rem;
        color: var(--muted);
        margin-top: 0.35rem;
      }
      .sample {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        height: 3.25rem;
        padding: 0 0.75rem;
        border-radius: 10px;
        background: linear-gradient(135deg, #64748b, #334155);
      }
      .sample img {
        max-height: 2rem;
        max-width: 6rem;
        object-fit: contain;
      }
      .sample .bar {
        margin-left: auto;
        display: flex;
        gap: 0.4rem;
        padding: 0.35rem;
        border-radius: 999px;
        background: var(--sample-primary);
      }
      .sample .dot {
        width: 1.5rem;
        height: 1.5rem;
        border-radius: 50%;
        background: rgb(255 255 255 / 0.25);
      }
      .sample .dot.on {
        background: var(--sample-accent);
      }
    `,
  ];

  @property() tourId = '';

  @state() private branding: Branding | null = null;
  @state() private linkText = '';
  @state() private linkError = '';
  @state() private problem = '';
  /** What the server holds, as far as this page knows. */
  private stored: Branding | null = null;
  readonly autosave = new Autosave(this, () => this.save());

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tourId')) void this.load();
  }

  override render() {
    const branding = this.branding;
    if (!branding) return this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : html`<p role="status">Loading the branding…</p>`;
    return html`
      <div class="field" role="group" aria-labelledby="logo-label">
        <span id="logo-label"><strong>Logo</strong></span>
        <div class="logo">
          ${branding.logoUrl ? html`<img src=${branding.logoUrl} alt="Your logo" />` : html`<span class="hint">No logo.</span>`}
          ${branding.logoUrl ? html`<button @click=${() => this.set({ logoUrl: null }, true)}>Remove logo</button>` : nothing}
        </div>
        <image-upload label=${branding.logoUrl ? 'Replace the logo' : 'Choose a logo'} kind="image" @image-ready=${this.logoReady}></image-upload>
      </div>
      <div class="field">
        <label for="link">Where the logo links (optional)</label>
        <p class="hint" id="link-hint">An http(s) address, such as your site.</p>
        <input
          id="link"
          type="url"
          inputmode="url"
          maxlength="2048"
          aria-describedby=${ifDefined(this.linkError ? 'link-hint link-error' : 'link-hint')}
          aria-invalid=${this.linkError ? 'true' : 'false'}
          .value=${live(this.linkText)}
          @input=${(event: Event) => this.typedLink((event.target as HTMLInputElement).value)}
          @change=${this.autosave.flush}
        />
        ${this.linkError ? html`<p class="error" id="link-error">${this.linkError}</p>` : nothing}
      </div>
      <div class="colours">
        ${this.colourField('primaryColor', 'Main colour', 'The viewer’s control bar.')}
        ${this.colourField('accentColor', 'Accent colour', 'What is active or chosen.')}
      </div>
      <div class="check">
        <input type="checkbox" id="powered" .checked=${live(branding.showPoweredBy)} @change=${(event: Event) => this.set({ showPoweredBy: (event.target as HTMLInputElement).checked }, true)} />
        <label for="powered">Show “Made with vr-tour”</label>
      </div>
      <figure>
        <div
          class="sample"
          aria-hidden="true"
          style=${styleMap({
            '--sample-primary': branding.primaryColor ?? SHOWN_WHEN_UNSET.primaryColor,
            '--sample-accent': branding.accentColor ?? SHOWN_WHEN_UNSET.accentColor,
          })}
        >
          ${branding.logoUrl ? html`<img src=${branding.logoUrl} alt="" />` : nothing}
          <span class="bar"><span class="dot"></span><span class="dot on"></span><span class="dot"></span></span>
        </div>
        <figcaption>A sample of the controls with your colours; the preview shows them once saved.</figcaption>
      </figure>
      ${saveStatus(this.autosave)}
    `;
  }

  private colourField(key: Colour, label: string, hint: string) {
    const value = this.branding![key];
    return html`<div class="colour">
      <label for=${key}>${label}</label>
      <p class="hint" id="${key}-hint">${hint}</p>
      <input
        type="color"
        id=${key}
        aria-describedby="${key}-hint"
        .value=${live(value ?? SHOWN_WHEN_UNSET[key])}
        @input=${(event: Event) => this.set({ [key]: (event.target as HTMLInputElement).value }, false)}
        @change=${this.autosave.flush}
      />
      <code class="value">${value ?? 'not set: the viewer’s own'}</code>
      ${value ? html`<button aria-label="Use the viewer’s own ${label.toLowerCase()}" @click=${() => this.set({ [key]: null }, true)}>Reset</button>` : nothing}
    </div>`;
  }

  private async load(): Promise<void> {
    this.branding = null;
    this.problem = '';
    try {
      const branding = await getBranding(this.tourId);
      this.stored = branding;
      this.branding = branding;
      this.linkText = branding.linkUrl ?? '';
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problem = `The branding could not be loaded: ${error.message}`;
    }
  }

  private logoReady(event: ImageReadyEvent): void {
    const url = event.media.variants.url;
    if (url) this.set({ logoUrl: url }, true);
  }

  private typedLink(text: string): void {
    this.linkText = text;
    this.autosave.changed();
  }

  /** A change; choices (a box, a reset, a logo) save at once, a colour being dragged after a pause. */
  private set(changes: Partial<Branding>, now: boolean): void {
    this.branding = { ...this.branding!, ...changes };
    this.autosave.changed();
    if (now) void this.autosave.flush();
  }

  private async save(): Promise<void> {
    const link = this.linkText.trim();
    this.linkError = link && !/^https?:\/\/\S+$/i.test(link) ? 'Give an address starting with http:// or https://.' : '';
    if (this.linkError) throw new SaveRefused('see the field marked.');
    const wanted: Branding = { ...this.branding!, linkUrl: link || null };
    const changes = Object.fromEntries(
      Object.entries(wanted).filter(([key, value]) => this.stored?.[key as keyof Branding] !== value),
    ) as Partial<Branding>;
    if (!Object.keys(changes).length) return;
    try {
      this.stored = await updateBranding(this.tourId, changes);
    } catch (error) {
      if (error instanceof ApiError && error.field('linkUrl')) {
        this.linkError = error.field('linkUrl')!;
        throw new SaveRefused('see the field marked.');
      }
      throw error;
    }
    this.dispatchEvent(new Event(BRANDING_CHANGED, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tour-branding': TourBranding;
  }
}

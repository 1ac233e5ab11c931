import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { shared } from './styles.js';

/** How long "Copied" stays on the button. */
const CONFIRM_MS = 2500;

/**
 * A button that copies `text` to the clipboard and says so, on the button
 * and to a screen reader. The text it copies is always shown beside it, so
 * where the clipboard is refused the person can select it instead.
 */
@customElement('copy-button')
export class CopyButton extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
      }
    `,
  ];

  @property() text = '';
  /** The visible words, and the accessible name unless `label` is given. */
  @property() caption = 'Copy';
  /** An accessible name saying more than the caption, e.g. which of several values it copies. */
  @property() label = '';
  @state() private outcome: 'copied' | 'refused' | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  override render() {
    return html`<button type="button" aria-label=${ifDefined(this.label || undefined)} @click=${this.copy}>
        ${this.outcome === 'copied' ? '✓ Copied' : this.caption}
      </button>
      <span class=${this.outcome === 'refused' ? 'hint' : 'visually-hidden'} role="status">${this.outcome === 'copied' ? 'Copied.' : this.outcome === 'refused' ? 'The browser refused to copy: select the text and copy it (Ctrl+C or ⌘C).' : ''}</span>`;
  }

  private async copy(): Promise<void> {
    clearTimeout(this.timer);
    try {
      await navigator.clipboard.writeText(this.text);
      this.outcome = 'copied';
    } catch {
      this.outcome = 'refused';
    }
    this.timer = setTimeout(() => (this.outcome = null), CONFIRM_MS);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'copy-button': CopyButton;
  }
}

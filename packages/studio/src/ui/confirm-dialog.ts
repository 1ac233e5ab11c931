import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { shared } from './styles.js';

export interface ConfirmOptions {
  title: string;
  /** What happens, and what is lost. */
  body: TemplateResult | string;
  /** The confirming button's words, e.g. "Delete my account". */
  confirm: string;
  /** When set, the confirming button waits until this is typed (for what cannot be undone). */
  typeToConfirm?: string;
}

/**
 * A modal question before something that cannot be taken back. `<dialog>`
 * keeps focus inside and closes on Escape; focus goes back to where it was.
 */
@customElement('confirm-dialog')
export class ConfirmDialog extends LitElement {
  static override styles = [
    shared,
    css`
      dialog {
        width: min(32rem, calc(100vw - 2rem));
        padding: 1.5rem;
        color: var(--ink);
        background: var(--surface);
        border: 1px solid var(--line);
        border-radius: 12px;
        box-shadow: 0 20px 50px rgb(0 0 0 / 0.25);
      }
      dialog::backdrop {
        background: rgb(17 24 39 / 0.55);
      }
      h2 {
        font-size: 1.25rem;
      }
      .body {
        margin-bottom: 1rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) options!: ConfirmOptions;
  @state() private typed = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  resolve: (confirmed: boolean) => void = () => {};

  override render() {
    const { title, body, confirm, typeToConfirm } = this.options;
    const ready = !typeToConfirm || this.typed.trim() === typeToConfirm;
    return html`<dialog aria-labelledby="title" aria-describedby="body" @close=${this.closed}>
      <h2 id="title">${title}</h2>
      <div class="body" id="body">${body}</div>
      <form method="dialog" @submit=${this.submit}>
        ${typeToConfirm
          ? html`<div class="field">
              <label for="typed">Type <strong>${typeToConfirm}</strong> to confirm</label>
              <input id="typed" autocomplete="off" spellcheck="false" .value=${live(this.typed)} @input=${(event: Event) => (this.typed = (event.target as HTMLInputElement).value)} />
            </div>`
          : nothing}
        <div class="actions">
          <button type="button" @click=${() => this.dialog.close('cancel')}>Cancel</button>
          <button type="submit" class="danger" value="confirm" ?disabled=${!ready}>${confirm}</button>
        </div>
      </form>
    </dialog>`;
  }

  protected override firstUpdated(): void {
    this.dialog.showModal();
  }

  private submit(event: SubmitEvent): void {
    // Enter in the text field submits too: only once it says what it must.
    const ready = !this.options.typeToConfirm || this.typed.trim() === this.options.typeToConfirm;
    if (!ready) event.preventDefault();
    else this.dialog.returnValue = 'confirm';
  }

  private closed(): void {
    this.resolve(this.dialog.returnValue === 'confirm');
    this.remove();
  }
}

/** The element that has focus, looking inside shadow roots. */
function focusedElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/** Asks before a destructive step; true when the person confirmed. */
export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  const returnTo = focusedElement();
  const dialog = document.createElement('confirm-dialog');
  dialog.options = options;
  return new Promise((resolve) => {
    dialog.resolve = (confirmed) => {
      resolve(confirmed);
      if (returnTo?.isConnected) returnTo.focus();
    };
    document.body.append(dialog);
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'confirm-dialog': ConfirmDialog;
  }
}

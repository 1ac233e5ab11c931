import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/client.js';
import { createToken, deleteAccount, listTokens, revokeToken } from '../api/account.js';
import { listDomains } from '../api/custom-domains.js';
import { allTours } from '../api/tour-extras.js';
import type { ApiToken, CreatedApiToken, User } from '../api/types.js';
import { confirmAction } from '../ui/confirm-dialog.js';
import { field } from '../ui/field.js';
import { count, day } from '../ui/format.js';
import { shared } from '../ui/styles.js';
import '../ui/copy-button.js';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Who is signed in; API tokens for scripts; logging out; deleting the account. */
@customElement('account-page')
export class AccountPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        max-width: 48rem;
      }
      h1 {
        margin-bottom: 0.5rem;
      }
      .lead {
        color: var(--muted);
        overflow-wrap: anywhere;
      }
      section {
        padding: 1.25rem;
        margin-top: 1.25rem;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0 0.75rem;
        align-items: flex-start;
      }
      form .field {
        flex: 1 1 16rem;
      }
      form button {
        margin-top: 1.85rem;
      }
      .intro {
        margin-bottom: 1rem;
      }
      @media (max-width: 560px) {
        form button {
          margin-top: 0;
        }
      }
      .secret {
        padding: 1rem;
        margin-bottom: 1rem;
        border: 2px solid var(--accent);
        border-radius: 10px;
        background: #eff6ff;
      }
      .secret h3 {
        margin: 0 0 0.5rem;
        font-size: 1rem;
      }
      .secret input {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.85rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
        margin-top: 0.75rem;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 1rem 0 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem 1rem;
        padding: 0.75rem 1rem;
      }
      .token-name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      code {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.85rem;
      }
      .empty {
        color: var(--muted);
        margin: 1rem 0 0;
      }
      .note {
        color: var(--ok);
        min-height: 1.5rem;
        margin: 0.5rem 0 0;
      }
      section.danger {
        border-color: var(--danger-line);
      }
    `,
  ];

  @property({ attribute: false }) user!: User;

  @state() private tokens: ApiToken[] | null = null;
  @state() private created: CreatedApiToken | null = null;
  @state() private tokenName = '';
  @state() private nameError = '';
  @state() private tokenProblem = '';
  @state() private tokenNote = '';
  @state() private busy = false;
  @state() private deleteProblem = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadTokens();
  }

  override render() {
    const user = this.user;
    return html`
      <h1 tabindex="-1">Your account</h1>
      <p class="lead">Signed in as <strong>${user.email}</strong>${user.displayName ? html` (${user.displayName})` : nothing}, since ${day(user.createdAt)}.</p>
      ${this.renderTokens()}
      <section class="card" aria-labelledby="logout-heading">
        <h2 id="logout-heading">Log out</h2>
        <p>Ends your session in this browser. API tokens keep working until you revoke them.</p>
        <button @click=${() => this.dispatchEvent(new Event('log-out', { bubbles: true, composed: true }))}>Log out</button>
      </section>
      <section class="card danger" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p>Deletes your account and everything in it, at once and for good. You will be asked to confirm.</p>
        ${this.deleteProblem ? html`<div class="alert" role="alert">${this.deleteProblem}</div>` : nothing}
        <button class="danger" ?disabled=${this.busy} @click=${this.deleteAccount}>Delete my account…</button>
      </section>
    `;
  }

  private renderTokens() {
    return html`<section class="card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" tabindex="-1">API tokens</h2>
      <p class="hint intro">
        Scripts use the same API as the studio (<a href="/api/docs">the API reference</a>): send a token as
        <code>Authorization: Bearer …</code>. A token can do everything you can, so keep it secret.
      </p>
      ${this.tokenProblem ? html`<div class="alert" role="alert">${this.tokenProblem}</div>` : nothing}
      ${this.created ? this.renderSecret(this.created) : nothing}
      <form novalidate @submit=${this.create}>
        ${field({
          id: 'token-name',
          label: 'Name of the new token',
          hint: 'What it is for, e.g. “nightly import”.',
          value: this.tokenName,
          maxlength: 100,
          error: this.nameError || undefined,
          onInput: (value) => (this.tokenName = value),
        })}
        <button class="primary" type="submit" ?disabled=${this.busy}>Create token</button>
      </form>
      <p class="note" role="status">${this.tokenNote}</p>
      ${this.tokens === null
        ? html`<p class="empty">Loading your tokens…</p>`
        : this.tokens.length === 0
          ? html`<p class="empty">No tokens yet.</p>`
          : html`<ul aria-label="Your API tokens">
              ${repeat(
                this.tokens,
                (token) => token.id,
                (token) => html`<li class="card">
                  <div>
                    <div class="token-name">${token.name}</div>
                    <div class="hint">
                      <code>${token.prefix}…</code> · made ${day(token.createdAt)} · ${token.lastUsedAt ? `last used ${day(token.lastUsedAt)}` : 'never used'}
                    </div>
                  </div>
                  <button aria-label="Revoke ${token.name}" ?disabled=${this.busy} @click=${() => this.revoke(token)}>Revoke</button>
                </li>`,
              )}
            </ul>`}
    </section>`;
  }

  /** The new token's secret: shown this once, never again (the server keeps only its hash). */
  private renderSecret(created: CreatedApiToken) {
    return html`<div class="secret" role="region" aria-labelledby="secret-heading">
      <h3 id="secret-heading">Copy your new token “${created.name}” now</h3>
      <p class="hint" id="secret-hint">This is the only time it is shown. If you lose it, revoke it and make another.</p>
      <input id="secret" readonly aria-label="Secret of the new token" aria-describedby="secret-hint" .value=${created.token} @focus=${(event: Event) => (event.target as HTMLInputElement).select()} />
      <div class="row">
        <copy-button .text=${created.token} label="Copy the new token" caption="Copy token"></copy-button>
        <button @click=${this.secretSaved}>Done, I saved it</button>
      </div>
    </div>`;
  }

  private async loadTokens(): Promise<void> {
    try {
      this.tokens = await listTokens();
    } catch (error) {
      this.tokenProblem = `Your tokens could not be loaded: ${messageOf(error)}`;
    }
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const name = this.tokenName.trim();
    this.nameError = name ? '' : 'Give the token a name.';
    if (!name || this.busy) return;
    this.busy = true;
    this.tokenProblem = '';
    this.tokenNote = '';
    try {
      const created = await createToken(name);
      this.created = created;
      this.tokenName = '';
      const { token: _secret, ...listed } = created;
      this.tokens = [listed, ...(this.tokens ?? [])];
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#secret')?.focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.nameError = error.field('name') ?? '';
      if (!this.nameError) this.tokenProblem = error.message;
    } finally {
      this.busy = false;
    }
  }

  private async secretSaved(): Promise<void> {
    this.created = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#token-name')?.focus();
  }

  private async revoke(token: ApiToken): Promise<void> {
    const confirmed = await confirmAction({
      title: `Revoke “${token.name}”?`,
      body: 'Scripts that use this token are refused from now on (401). This cannot be undone; you can make a new token.',
      confirm: 'Revoke token',
    });
    if (!confirmed) return;
    this.busy = true;
    this.tokenProblem = '';
    try {
      await revokeToken(token.id);
      this.tokens = (this.tokens ?? []).filter((candidate) => candidate.id !== token.id);
      if (this.created?.id === token.id) this.created = null;
      this.tokenNote = `Token “${token.name}” revoked.`;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#tokens-heading')?.focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.tokenProblem = `“${token.name}” was not revoked: ${error.message}`;
    } finally {
      this.busy = false;
    }
  }

  private async deleteAccount(): Promise<void> {
    this.busy = true;
    this.deleteProblem = '';
    let lost: { tours: number; domains: number };
    try {
      const [tours, domains] = await Promise.all([allTours(), listDomains()]);
      lost = { tours: tours.length, domains: domains.length };
    } catch (error) {
      this.deleteProblem = `Nothing was deleted: ${messageOf(error)}`;
      this.busy = false;
      return;
    }
    this.busy = false;
    const tokens = this.tokens?.length ?? 0;
    const confirmed = await confirmAction({
      title: 'Delete your account?',
      body: html`<p>This deletes, at once and for good:</p>
        <ul>
          <li>${count(lost.tours, 'tour', 'tours')}, with their scenes, hotspots, floor plans, branding and analytics;</li>
          <li>every panorama and image you uploaded;</li>
          <li>${count(lost.domains, 'custom domain', 'custom domains')}, which stop showing your tours;</li>
          <li>${count(tokens, 'API token', 'API tokens')}, which stop working.</li>
        </ul>
        <p>Pages that embed your tours will show nothing. This cannot be undone.</p>`,
      confirm: 'Delete my account',
      typeToConfirm: this.user.email,
    });
    if (!confirmed) return;
    this.busy = true;
    try {
      await deleteAccount();
      this.dispatchEvent(new Event('account-deleted', { bubbles: true, composed: true }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.deleteProblem = `Your account was not deleted: ${error.message}`;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'account-page': AccountPage;
  }
}

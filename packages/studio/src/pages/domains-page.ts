import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/client.js';
import { addDomain, listDomains } from '../api/custom-domains.js';
import { allTours } from '../api/tour-extras.js';
import type { CustomDomain, Tour } from '../api/types.js';
import { field } from '../ui/field.js';
import { shared } from '../ui/styles.js';
import type { DomainChangedEvent, DomainRemovedEvent } from '../domains/domain-card.js';
import { changeOf, isSettling } from '../domains/domain-status.js';
import '../domains/domain-card.js';

/** While a domain may still change by itself (DNS checks, a certificate), the list is read this often. */
const POLL_MS = 4000;

type FieldName = 'host' | 'path' | 'tourId';

/**
 * Custom domains, account-wide as the API lists them; each shows one tour.
 * Adding one gives the DNS records to create; the page then follows the
 * checks live until every domain has settled.
 */
@customElement('domains-page')
export class DomainsPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        max-width: 56rem;
      }
      h1 {
        margin-bottom: 0.5rem;
      }
      .lead {
        color: var(--muted);
      }
      .add {
        padding: 1.25rem;
        margin: 1.25rem 0;
      }
      .fields {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
        gap: 0 0.75rem;
      }
      .fields .tour {
        grid-column: 1 / -1;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 1rem;
      }
      .watching {
        color: var(--muted);
        min-height: 1.5rem;
      }
      .empty {
        color: var(--muted);
      }
      @media (max-width: 560px) {
        .fields {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  /** The tour a new domain is for, when the editor sent the person here. */
  @property() tourId: string | null = null;

  @state() private domains: CustomDomain[] | null = null;
  @state() private tours: Tour[] = [];
  @state() private values: Record<FieldName, string> = { host: '', path: '', tourId: '' };
  @state() private errors: Partial<Record<FieldName, string>> = {};
  @state() private problem = '';
  @state() private busy = false;
  /** Said to screen readers when a domain changes by itself. */
  @state() private announcement = '';
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pollTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tourId') && this.tourId) this.values = { ...this.values, tourId: this.tourId };
  }

  override render() {
    const watching = this.domains?.some(isSettling) ?? false;
    return html`
      <h1 tabindex="-1">Custom domains</h1>
      <p class="lead">
        Show a tour at an address of your own, such as tours.example.com. You create two DNS records at your DNS provider; the
        studio checks them and gets the HTTPS certificate.
      </p>
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${this.renderAdd()}
      <p class="watching" role="status">${watching ? 'Following the checks: statuses here change as they happen.' : ''}</p>
      <p class="visually-hidden" role="status">${this.announcement}</p>
      ${this.domains === null
        ? html`<p class="empty">Loading your domains…</p>`
        : this.domains.length === 0
          ? html`<p class="empty">No custom domains yet.</p>`
          : html`<ul aria-label="Your custom domains" @domain-changed=${this.changed} @domain-removed=${this.removed}>
              ${repeat(
                this.domains,
                (domain) => domain.id,
                (domain) => html`<li><domain-card class="card" .domain=${domain} .tourTitle=${this.tours.find((tour) => tour.id === domain.tourId)?.title ?? ''}></domain-card></li>`,
              )}
            </ul>`}
    `;
  }

  private renderAdd() {
    const set = (name: FieldName) => (value: string) => (this.values = { ...this.values, [name]: value });
    const tourError = this.errors.tourId;
    return html`<section class="card add" aria-labelledby="add-heading">
      <h2 id="add-heading">Add a domain</h2>
      <form novalidate @submit=${this.add}>
        <div class="fields">
          ${field({ id: 'host', label: 'Host', hint: 'A name under a domain you control, e.g. tours.example.com.', value: this.values.host, error: this.errors.host, maxlength: 253, onInput: set('host') })}
          ${field({ id: 'path', label: 'Path (optional)', hint: 'Empty: the tour is at the host’s root.', value: this.values.path, error: this.errors.path, maxlength: 200, onInput: set('path') })}
          <div class="field tour">
            <label for="tour">Tour</label>
            <select
              id="tour"
              aria-invalid=${tourError ? 'true' : 'false'}
              aria-describedby=${ifDefined(tourError ? 'tour-error' : undefined)}
              .value=${live(this.values.tourId)}
              @change=${(event: Event) => set('tourId')((event.target as HTMLSelectElement).value)}
            >
              <option value="">Choose a tour…</option>
              ${this.tours.map((tour) => html`<option value=${tour.id} ?selected=${tour.id === this.values.tourId}>${tour.title}</option>`)}
            </select>
            ${tourError ? html`<p class="error" id="tour-error">${tourError}</p>` : nothing}
          </div>
        </div>
        <button class="primary" type="submit" ?disabled=${this.busy}>Add domain</button>
      </form>
    </section>`;
  }

  private async load(): Promise<void> {
    try {
      const [domains, tours] = await Promise.all([listDomains(), allTours()]);
      this.tours = tours;
      this.domains = domains;
      this.follow();
    } catch (error) {
      this.problem = `Your domains could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Reads the list again while any domain may change by itself; stops once all have settled. */
  private follow(): void {
    clearTimeout(this.pollTimer);
    if (!this.isConnected || !this.domains?.some(isSettling)) return;
    this.pollTimer = setTimeout(async () => {
      try {
        const next = await listDomains();
        const before = new Map((this.domains ?? []).map((domain) => [domain.id, domain]));
        const changes = next.flatMap((domain) => {
          const previous = before.get(domain.id);
          const change = previous && changeOf(previous, domain);
          return change ? [change] : [];
        });
        if (changes.length) this.announcement = changes.join(' ');
        this.domains = next;
      } catch {
        // Read again at the next turn; what is shown stays as it was.
      }
      this.follow();
    }, POLL_MS);
  }

  private async add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const { host, path, tourId } = this.values;
    const missing: Partial<Record<FieldName, string>> = {};
    if (!host.trim()) missing.host = 'Enter the host, e.g. tours.example.com.';
    if (!tourId) missing.tourId = 'Choose the tour it shows.';
    this.errors = missing;
    this.problem = '';
    if (Object.keys(missing).length) return this.focusFirstError();
    this.busy = true;
    try {
      const domain = await addDomain({ host: host.trim(), tourId, ...(path.trim() ? { path: path.trim() } : {}) });
      this.domains = [domain, ...(this.domains ?? []).filter((existing) => existing.id !== domain.id)];
      this.values = { host: '', path: '', tourId: this.tourId ?? '' };
      this.announcement = `${domain.host} added. Create its DNS records next.`;
      this.follow();
      await this.updateComplete;
      this.renderRoot.querySelector('domain-card')?.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const errors: Partial<Record<FieldName, string>> = {};
      for (const name of ['host', 'path', 'tourId'] as const) {
        const text = error.field(name);
        if (text) errors[name] = text;
      }
      this.errors = errors;
      if (Object.keys(errors).length) this.focusFirstError();
      else this.problem = error.status === 404 ? 'That tour is not among yours any more.' : error.message;
    } finally {
      this.busy = false;
    }
  }

  private async focusFirstError(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private changed(event: DomainChangedEvent): void {
    this.domains = (this.domains ?? []).map((domain) => (domain.id === event.domain.id ? event.domain : domain));
    this.follow();
  }

  private async removed(event: DomainRemovedEvent): Promise<void> {
    this.domains = (this.domains ?? []).filter((domain) => domain.id !== event.domain.id);
    this.announcement = `${event.domain.host} removed.`;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'domains-page': DomainsPage;
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/client.js';
import { createTour, listTours } from '../api/endpoints.js';
import type { Tour, TourStatus } from '../api/types.js';
import { navigate, paths } from '../router.js';
import { field } from '../ui/field.js';
import { count, day, STATUS_LABELS, VISIBILITY_LABELS } from '../ui/format.js';
import { shared } from '../ui/styles.js';

/** Tours shown per "Show more". */
const PAGE = 24;
/** Tours read per request while searching: the API has no title search, so a search scans the list. */
const SCAN_PAGE = 100;
const SEARCH_DELAY_MS = 300;

/**
 * "My tours": newest first, filtered by status, searched by title, one page
 * at a time (keyset cursors, so the thousandth tour costs what the first
 * did); only what was asked for is in the DOM.
 */
@customElement('tours-page')
export class ToursPage extends LitElement {
  static override styles = [
    shared,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 1rem;
        margin-bottom: 1.25rem;
      }
      .create {
        padding: 1rem 1.25rem 0.25rem;
        margin-bottom: 1.25rem;
      }
      .create form {
        display: flex;
        flex-wrap: wrap;
        gap: 0 0.75rem;
        align-items: flex-start;
      }
      .create .field {
        flex: 1 1 16rem;
      }
      .create button {
        margin-top: 1.85rem;
      }
      .filters {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
        gap: 0.75rem;
        margin-bottom: 0.5rem;
      }
      .summary {
        color: var(--muted);
        min-height: 1.5rem;
      }
      ul.grid {
        list-style: none;
        padding: 0;
        margin: 0 0 1.5rem;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
        gap: 1rem;
      }
      li {
        /* Cards far below the fold skip layout and paint until scrolled near. */
        content-visibility: auto;
        contain-intrinsic-size: auto 17rem;
      }
      article {
        position: relative;
        overflow: hidden;
        height: 100%;
      }
      article:focus-within {
        outline: 3px solid var(--focus);
        outline-offset: 2px;
      }
      .no-thumb {
        display: grid;
        place-items: center;
        color: var(--muted);
        font-size: 0.9rem;
      }
      .body {
        padding: 0.75rem 1rem 1rem;
      }
      h2 {
        font-size: 1.05rem;
        margin: 0 0 0.5rem;
        overflow-wrap: anywhere;
      }
      h2 a {
        color: var(--ink);
        text-decoration: none;
      }
      h2 a:focus-visible {
        outline: none;
      }
      /* The whole card is the link's target. */
      h2 a::after {
        content: '';
        position: absolute;
        inset: 0;
      }
      article:hover h2 a {
        text-decoration: underline;
      }
      .badges {
        display: flex;
        gap: 0.4rem;
        margin-bottom: 0.5rem;
      }
      .meta {
        color: var(--muted);
        font-size: 0.9rem;
        margin: 0;
      }
      .more {
        display: flex;
        justify-content: center;
      }
      .empty {
        padding: 2rem 1rem;
        text-align: center;
        color: var(--muted);
      }
      @media (max-width: 560px) {
        .filters {
          grid-template-columns: 1fr;
        }
        .create button {
          margin-top: 0;
          width: 100%;
        }
      }
    `,
  ];

  /** From the URL: the status filter and the title search. */
  @property({ attribute: false }) status: TourStatus | null = null;
  @property() q = '';

  @state() private items: Tour[] = [];
  @state() private next: string | null = null;
  @state() private hasMore = true;
  @state() private loading = false;
  @state() private error = '';
  @state() private scanned = 0;
  @state() private createOpen = false;
  @state() private newTitle = '';
  @state() private createError = '';
  @state() private creating = false;
  @state() private searchText = '';
  private controller: AbortController | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.abort();
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('q')) this.searchText = this.q;
    if (changed.has('status') || changed.has('q')) {
      this.items = [];
      this.next = null;
      this.hasMore = true;
      this.scanned = 0;
      void this.load();
    }
  }

  override render() {
    const empty = !this.loading && !this.error && this.items.length === 0;
    const noToursAtAll = empty && !this.status && !this.q;
    const formOpen = this.createOpen || noToursAtAll;
    return html`
      <header>
        <h1 tabindex="-1">My tours</h1>
        ${noToursAtAll
          ? nothing
          : html`<button class="primary" aria-expanded=${formOpen ? 'true' : 'false'} aria-controls="create" @click=${this.toggleCreate}>
              New tour
            </button>`}
      </header>
      ${formOpen ? this.renderCreate(noToursAtAll) : nothing}
      ${noToursAtAll ? nothing : this.renderFilters()}
      <p class="summary" role="status">${this.summary()}</p>
      ${this.error ? html`<div class="alert" role="alert">${this.error} <button class="link" @click=${this.load}>Try again</button></div>` : nothing}
      ${empty && !noToursAtAll ? html`<p class="empty">No tours match. Try another title or status.</p>` : nothing}
      ${this.items.length
        ? html`<ul class="grid" aria-label="Tours">
            ${repeat(this.items, (tour) => tour.id, (tour) => html`<li>${this.renderCard(tour)}</li>`)}
          </ul>`
        : nothing}
      ${this.hasMore && this.items.length && !this.error
        ? html`<div class="more"><button @click=${this.load} ?disabled=${this.loading}>${this.loading ? 'Loading…' : 'Show more tours'}</button></div>`
        : nothing}
    `;
  }

  private renderFilters() {
    return html`<div class="filters" role="search">
        ${field({ id: 'search', label: 'Search by title', type: 'search', value: this.searchText, onInput: (value) => this.searchChanged(value) })}
        <div class="field">
          <label for="status">Status</label>
          <select id="status" @change=${this.statusChanged}>
            <option value="" ?selected=${!this.status}>All tours</option>
            ${(Object.keys(STATUS_LABELS) as TourStatus[]).map(
              (status) => html`<option value=${status} ?selected=${this.status === status}>${STATUS_LABELS[status]}</option>`,
            )}
          </select>
        </div>
      </div>`;
  }

  private renderCreate(first: boolean) {
    return html`<section class="card create" id="create" aria-label="New tour">
      ${first ? html`<p>You have no tours yet. Give your first one a title; you will add its panoramas next.</p>` : nothing}
      <form novalidate @submit=${this.create}>
        ${field({ id: 'new-title', label: 'Title of the new tour', value: this.newTitle, maxlength: 200, error: this.createError, onInput: (value) => (this.newTitle = value) })}
        <button class="primary" type="submit" ?disabled=${this.creating}>Create tour</button>
      </form>
    </section>`;
  }

  private renderCard(tour: Tour) {
    return html`<article class="card">
      ${tour.thumbnailUrl
        ? html`<img class="thumb" src=${tour.thumbnailUrl} alt="" width="400" height="200" loading="lazy" decoding="async" />`
        : html`<div class="thumb no-thumb">No panorama yet</div>`}
      <div class="body">
        <h2><a href=${paths.editor(tour.id)}>${tour.title}</a></h2>
        <div class="badges">
          <span class="badge ${tour.status}">${STATUS_LABELS[tour.status]}</span>
          <span class="badge">${VISIBILITY_LABELS[tour.visibility]}</span>
        </div>
        <p class="meta">
          ${count(tour.viewCount, 'view', 'views')} · ${count(tour.likeCount, 'like', 'likes')} · ${count(tour.shareCount, 'share', 'shares')}
        </p>
        <p class="meta">Updated ${day(tour.updatedAt)}</p>
      </div>
    </article>`;
  }

  private summary(): string {
    if (this.loading && !this.items.length) return this.q ? `Searching for “${this.q}”…` : 'Loading your tours…';
    const shown = this.items.length;
    if (this.q) {
      const matches = `${shown} ${shown === 1 ? 'tour matches' : 'tours match'} “${this.q}”`;
      return this.hasMore ? `${matches} among the ${this.scanned} newest; show more to search further.` : `${matches}.`;
    }
    if (!shown) return '';
    if (this.hasMore) return `Showing the ${shown} newest tours.`;
    return shown === 1 ? 'Your one tour.' : `All ${shown} of your tours.`;
  }

  /** Appends the next page; while searching, reads pages until a page's worth matched or the list ends. */
  private async load(): Promise<void> {
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    const search = this.q.trim().toLocaleLowerCase();
    this.loading = true;
    this.error = '';
    try {
      let found = 0;
      do {
        const page = await listTours({ status: this.status ?? undefined, cursor: this.next ?? undefined, limit: search ? SCAN_PAGE : PAGE }, controller.signal);
        if (controller.signal.aborted) return;
        const matches = search ? page.items.filter((tour) => tour.title.toLocaleLowerCase().includes(search)) : page.items;
        this.items = [...this.items, ...matches];
        this.scanned += page.items.length;
        this.next = page.nextCursor;
        this.hasMore = page.nextCursor !== null;
        found += matches.length;
      } while (search && found < PAGE && this.hasMore);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error instanceof ApiError ? error.message : String(error);
    } finally {
      if (this.controller === controller) this.loading = false;
    }
  }

  private searchChanged(value: string): void {
    this.searchText = value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => navigate(paths.tours({ status: this.status, q: value.trim() }), { replace: true }), SEARCH_DELAY_MS);
  }

  private statusChanged(event: Event): void {
    const status = ((event.target as HTMLSelectElement).value || null) as TourStatus | null;
    navigate(paths.tours({ status, q: this.searchText.trim() }), { replace: true });
  }

  private async toggleCreate(): Promise<void> {
    this.createOpen = !this.createOpen;
    if (!this.createOpen) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#new-title')?.focus();
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const title = this.newTitle.trim();
    if (!title) {
      this.createError = 'Give the tour a title.';
      return;
    }
    this.creating = true;
    this.createError = '';
    try {
      const tour = await createTour(title);
      navigate(paths.editor(tour.id));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.createError = error.field('title') ?? error.message;
    } finally {
      this.creating = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tours-page': ToursPage;
  }
}

import { css, html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, whenUnauthorized } from '../api/client.js';
import { currentSession, logOut } from '../api/endpoints.js';
import type { User } from '../api/types.js';
import { currentRoute, navigate, paths, startRouter, type Route } from '../router.js';
import { shared } from '../ui/styles.js';
import type { SignedInEvent } from '../pages/auth-page.js';
import '../pages/auth-page.js';
import '../pages/tours-page.js';

const APP_NAME = 'vr-tour studio';

const TITLES: Record<Route['name'], string> = {
  home: APP_NAME,
  login: 'Log in',
  signup: 'Create your account',
  tours: 'My tours',
  editor: 'Edit tour',
  account: 'Your account',
  domains: 'Custom domains',
  'not-found': 'Page not found',
};

/** Pages in chunks of their own, loaded when first opened. */
const LAZY_PAGES: Partial<Record<Route['name'], () => Promise<unknown>>> = {
  editor: () => import('../pages/tour-editor.js'),
  account: () => import('../pages/account-page.js'),
  domains: () => import('../pages/domains-page.js'),
};

/** Routes a visitor without a session may see. */
const OPEN_ROUTES = new Set<Route['name']>(['login', 'signup', 'not-found']);

/**
 * The shell: who is signed in, which page the URL names, the header. The
 * tour editor (and, through it, the viewer) loads only when first opened.
 */
@customElement('studio-app')
export class StudioApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        display: flex;
        flex-direction: column;
      }
      header {
        display: flex;
        align-items: center;
        gap: 1rem;
        padding: 0.5rem clamp(1rem, 3vw, 2rem);
        background: var(--surface);
        border-bottom: 1px solid var(--line);
      }
      .brand {
        font-weight: 700;
        font-size: 1.1rem;
        color: var(--ink);
        text-decoration: none;
        margin-right: auto;
      }
      .brand span {
        color: var(--accent);
      }
      nav ul {
        display: flex;
        align-items: center;
        gap: 1rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        font-weight: 600;
      }
      .who {
        color: var(--muted);
        max-width: 16rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      main {
        flex: 1;
        width: 100%;
        max-width: 80rem;
        margin: 0 auto;
        padding: 1.5rem clamp(1rem, 3vw, 2rem) 3rem;
      }
      .loading {
        color: var(--muted);
      }
      .notice {
        padding: 0.75rem 1rem;
        border: 1px solid var(--line);
        border-radius: 8px;
        background: var(--surface);
      }
      @media (max-width: 560px) {
        header {
          flex-wrap: wrap;
        }
        nav {
          width: 100%;
        }
        nav ul {
          flex-wrap: wrap;
          gap: 0.25rem 0.6rem;
        }
        nav a,
        nav button {
          font-size: 0.95rem;
        }
        nav button {
          padding: 0.5rem 0.6rem;
        }
        .who {
          display: none;
        }
      }
    `,
  ];

  /** undefined until the session is known; null without one. */
  @state() private user: User | null | undefined = undefined;
  @state() private route: Route = currentRoute();
  @state() private loadedPages: ReadonlySet<Route['name']> = new Set();
  @state() private failure = '';
  /** Said once on the next page (after deleting the account). */
  @state() private notice = '';
  /** Set on moves between pages (not on the first load), to move focus to the new page's heading. */
  private moved = false;

  override connectedCallback(): void {
    super.connectedCallback();
    startRouter((route) => {
      this.moved = this.moved || route.name !== this.route.name || (route.name === 'editor' && this.route.name === 'editor' && route.tourId !== this.route.tourId);
      this.route = route;
    });
    whenUnauthorized(() => {
      this.user = null;
      navigate(paths.login(location.pathname + location.search), { replace: true });
    });
    currentSession().then(
      (session) => (this.user = session?.user ?? null),
      (error: unknown) => (this.failure = error instanceof ApiError ? error.message : String(error)),
    );
  }

  protected override willUpdate(): void {
    if (this.user === undefined) return;
    const { name } = this.route;
    // Redirects happen before rendering, so no page shows for a moment under the wrong session.
    if (this.user === null && !OPEN_ROUTES.has(name)) {
      this.route = { name: 'login', next: name === 'home' ? null : location.pathname + location.search };
      history.replaceState(null, '', paths.login(this.route.next ?? undefined));
    } else if (this.user && (name === 'home' || name === 'login' || name === 'signup')) {
      const next = name === 'login' && this.route.next ? this.route.next : paths.tours();
      history.replaceState(null, '', next);
      this.route = currentRoute();
    }
    const page = this.route.name;
    const load = LAZY_PAGES[page];
    if (load && !this.loadedPages.has(page)) {
      load().then(
        () => (this.loadedPages = new Set([...this.loadedPages, page])),
        () => (this.failure = 'Part of the studio could not be loaded. Check the connection and reload the page.'),
      );
    }
    if (this.route.name !== 'editor') document.title = `${TITLES[this.route.name]} · ${APP_NAME}`;
  }

  protected override async updated(): Promise<void> {
    if (!this.moved) return;
    const page = this.renderRoot.querySelector('main > *');
    if (!(page instanceof LitElement)) return;
    this.moved = false;
    await page.updateComplete;
    page.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  override render() {
    return html`
      <header>
        <a class="brand" href=${paths.home()}>vr-tour <span>studio</span></a>
        ${this.user
          ? html`<nav aria-label="Studio">
              <ul>
                <li><a href=${paths.tours()} aria-current=${this.route.name === 'tours' ? 'page' : 'false'}>My tours</a></li>
                <li><a href=${paths.domains()} aria-current=${this.route.name === 'domains' ? 'page' : 'false'}>Domains</a></li>
                <li><a href=${paths.account()} aria-current=${this.route.name === 'account' ? 'page' : 'false'}>Account</a></li>
                <li class="who" title=${this.user.email}>${this.user.displayName || this.user.email}</li>
                <li><button @click=${this.logOut}>Log out</button></li>
              </ul>
            </nav>`
          : nothing}
      </header>
      <main @log-out=${this.logOut} @account-deleted=${this.accountDeleted}>${this.renderPage()}</main>
    `;
  }

  private renderPage() {
    return html`${this.failure ? html`<div class="alert" role="alert">${this.failure}</div>` : nothing}${this.notice
      ? html`<p class="notice" role="status">${this.notice}</p>`
      : nothing}${this.renderRoute()}`;
  }

  private renderRoute() {
    if (this.user === undefined) return html`<p class="loading" role="status">Loading…</p>`;
    const route = this.route;
    switch (route.name) {
      case 'login':
      case 'signup':
        return html`<auth-page .mode=${route.name} @signed-in=${this.signedIn}></auth-page>`;
      case 'tours':
        return html`<tours-page .status=${route.status} .q=${route.q}></tours-page>`;
      case 'editor':
        return this.lazy('editor', html`<tour-editor .tourId=${route.tourId}></tour-editor>`, 'Loading the editor…');
      case 'account':
        return this.lazy('account', html`<account-page .user=${this.user}></account-page>`, 'Loading your account…');
      case 'domains':
        return this.lazy('domains', html`<domains-page .tourId=${route.tourId}></domains-page>`, 'Loading your domains…');
      case 'home':
        return nothing;
      case 'not-found':
        return html`<h1 tabindex="-1">Page not found</h1>
          <p>There is nothing at this address. <a href=${paths.home()}>Go to the studio’s start page</a>.</p>`;
    }
  }

  private lazy(name: Route['name'], page: unknown, loading: string) {
    return this.loadedPages.has(name) ? page : html`<p class="loading" role="status">${loading}</p>`;
  }

  private signedIn(event: SignedInEvent): void {
    this.notice = '';
    this.moved = true;
    this.user = event.user;
  }

  private async logOut(): Promise<void> {
    try {
      await logOut();
    } catch (error) {
      // A session that already ended is as good as ended now; anything else is said.
      if (!(error instanceof ApiError) || error.status !== 401) {
        this.failure = `You are still logged in: ${error instanceof Error ? error.message : String(error)}`;
        return;
      }
    }
    this.failure = '';
    this.user = null;
    this.moved = true;
    navigate(paths.login());
  }

  /** The account page deleted the account: the server has ended the session already. */
  private accountDeleted(): void {
    this.failure = '';
    this.notice = 'Your account and everything in it were deleted.';
    this.user = null;
    this.moved = true;
    navigate(paths.login());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'studio-app': StudioApp;
  }
}

import type { TourStatus } from './api/types.js';

/**
 * The studio's routes: real URLs under /studio/ (the server answers each with
 * the app's page), moved between with the History API. Links stay plain
 * `<a href>`: a click is taken over here, so opening one in a new tab works.
 */

export const BASE = import.meta.env.BASE_URL;

export type Route =
  | { name: 'home' }
  | { name: 'login'; next: string | null }
  | { name: 'signup' }
  | { name: 'tours'; status: TourStatus | null; q: string }
  | { name: 'editor'; tourId: string }
  | { name: 'account' }
  /** `tourId`: the tour a new domain is for, when coming from its editor. */
  | { name: 'domains'; tourId: string | null }
  | { name: 'not-found' };

const STATUSES: readonly TourStatus[] = ['draft', 'published', 'archived'];
const UUID = /^[0-9a-f-]{36}$/i;

export function parseRoute(url: URL): Route {
  const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length).replace(/\/$/, '') : null;
  if (path === null) return { name: 'not-found' };
  if (path === '') return { name: 'home' };
  if (path === 'login') {
    const next = url.searchParams.get('next');
    // Only a path of the studio itself: never an open redirect.
    return { name: 'login', next: next?.startsWith(BASE) ? next : null };
  }
  if (path === 'signup') return { name: 'signup' };
  if (path === 'tours') {
    const status = url.searchParams.get('status') as TourStatus | null;
    return { name: 'tours', status: status && STATUSES.includes(status) ? status : null, q: url.searchParams.get('q') ?? '' };
  }
  if (path === 'account') return { name: 'account' };
  if (path === 'domains') {
    const tourId = url.searchParams.get('tour');
    return { name: 'domains', tourId: tourId && UUID.test(tourId) ? tourId : null };
  }
  const editor = /^tours\/([0-9a-f-]{36})$/i.exec(path);
  if (editor) return { name: 'editor', tourId: editor[1]! };
  return { name: 'not-found' };
}

export const paths = {
  home: () => BASE,
  login: (next?: string) => `${BASE}login${next ? `?next=${encodeURIComponent(next)}` : ''}`,
  signup: () => `${BASE}signup`,
  tours: (filter: { status?: TourStatus | null; q?: string } = {}) => {
    const query = new URLSearchParams();
    if (filter.status) query.set('status', filter.status);
    if (filter.q) query.set('q', filter.q);
    const text = query.toString();
    return `${BASE}tours${text ? `?${text}` : ''}`;
  },
  editor: (tourId: string) => `${BASE}tours/${tourId}`,
  account: () => `${BASE}account`,
  domains: (tourId?: string) => `${BASE}domains${tourId ? `?tour=${tourId}` : ''}`,
};

type Listener = (route: Route) => void;
let listener: Listener = () => {};

export function currentRoute(): Route {
  return parseRoute(new URL(location.href));
}

/** Goes to `path` (a studio URL). `replace` keeps the history entry (redirects, filters as they are typed). */
export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listener(currentRoute());
}

function linkTarget(event: MouseEvent): HTMLAnchorElement | null {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  // composedPath: the anchor may sit inside a component's shadow root.
  const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement && node.hasAttribute('href'));
  if (!anchor || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return null;
  const url = new URL(anchor.href);
  return url.origin === location.origin && url.pathname.startsWith(BASE) ? anchor : null;
}

/** Calls `onRoute` on every move: links, back and forward, `navigate`. */
export function startRouter(onRoute: Listener): void {
  listener = onRoute;
  addEventListener('popstate', () => listener(currentRoute()));
  document.addEventListener('click', (event) => {
    const anchor = linkTarget(event);
    if (!anchor) return;
    event.preventDefault();
    const url = new URL(anchor.href);
    if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
  });
}

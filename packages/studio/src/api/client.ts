/**
 * The one way the studio calls the server: JSON over /api/v1 with the session
 * cookie, the CSRF token on every write, and every failure turned into an
 * ApiError whose message is a sentence a person can read.
 */

export const API_BASE = '/api/v1';

/** The server sets it beside the session cookie, readable by our scripts only (same origin). */
const CSRF_COOKIE = 'vrt_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

export interface FieldError {
  /** The field, as the server names it (`title`, `email`, `file`, …). */
  path: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  /** From a 429's Retry-After: how long until the server takes the request again. */
  retryAfterSeconds: number | null = null;
  constructor(
    /** The HTTP status, or 0 when the server was not reached. */
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
  }

  /** What the server said about one field, as a sentence, if it named it. */
  field(path: string): string | undefined {
    const found = this.fieldErrors.find((error) => error.path === path);
    return found && sentence(found.message);
  }
}

/** "must be an email address" -> "Must be an email address." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export const unreachable = () => new ApiError(0, 'The server could not be reached. Check the connection and try again.');

/** Reads an RFC 9457 problem (or any failed answer) into an ApiError. */
export function errorFromResponse(status: number, contentType: string | null, text: string): ApiError {
  if (contentType?.includes('json')) {
    try {
      const problem = JSON.parse(text) as { title?: string; detail?: string; errors?: FieldError[] };
      const errors = Array.isArray(problem.errors) ? problem.errors.filter((e) => typeof e?.path === 'string' && typeof e.message === 'string') : [];
      return new ApiError(status, sentence(problem.detail ?? problem.title ?? `The server answered ${status}`), errors);
    } catch {
      // Not JSON after all: fall through to the status alone.
    }
  }
  if (status === 413) return new ApiError(status, 'The file is too large for the server.');
  return new ApiError(status, `The server answered ${status}${status >= 500 ? '; try again in a moment' : ''}.`);
}

export function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** Headers every write carries: the CSRF token of the current session. */
export function writeHeaders(): Record<string, string> {
  const token = csrfToken();
  return token ? { [CSRF_HEADER]: token } : {};
}

let onUnauthorized: () => void = () => {};

/** Called when a request other than an auth one answers 401: the session ended. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** Tells the app the session ended (an upload made outside `request` may learn it too). */
export function sessionEnded(): void {
  onUnauthorized();
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(`${API_BASE}${path}`, location.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') Object.assign(headers, writeHeaders());
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw unreachable();
  }
  const text = await response.text();
  if (!response.ok) {
    const error = errorFromResponse(response.status, response.headers.get('content-type'), text);
    const retryAfter = Number(response.headers.get('retry-after'));
    if (retryAfter > 0) error.retryAfterSeconds = retryAfter;
    if (response.status === 401 && !path.startsWith('/auth/')) sessionEnded();
    throw error;
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

import { expect } from 'vitest';

/** A JSON call to the editor API, for tests. */
export function apiCaller(baseUrl: string) {
  return async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
}

/** Asserts a 4xx/5xx problem whose `errors` name `path`. */
export function expectFieldError(result: { status: number; body: any }, status: number, path: string): void {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(result.body.errors.map((error: { path: string }) => error.path)).toContain(path);
}

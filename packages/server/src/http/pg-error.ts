/** postgres.js error fields used to map constraint violations to 4xx answers. */
export function pgError(error: unknown): { code?: string; constraint_name?: string } {
  return typeof error === 'object' && error !== null ? (error as { code?: string; constraint_name?: string }) : {};
}

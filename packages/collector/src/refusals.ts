// Why a request's valid events were not stored. Each is answered 503 with
// Retry-After: the client sends the same event ids again later, so nothing
// is lost and nothing is counted twice.

/** The queue has no room for the request's events (or bytes). */
export class QueueFullError extends Error {
  constructor() {
    super('the collector queue is full');
  }
}

/** The database could not be reached. */
export class DatabaseUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('the analytics database is unavailable', { cause });
  }
}

/** The write failed for another reason (logged). */
export class WriteFailedError extends Error {
  constructor(cause?: unknown) {
    super('the events could not be stored', { cause });
  }
}

import { HttpProblem } from './problem.js';

/** A 422 naming one field, for rules zod cannot see (rows in other tables). */
export function fieldProblem(path: string, message: string): HttpProblem {
  return new HttpProblem(422, 'Unprocessable Content', `${path}: ${message}`, { errors: [{ path, message }] });
}

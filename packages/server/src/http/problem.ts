import { z } from 'zod';
import { HttpProblem } from '@vr-tour/node-kit';

// problem+json is the Node kit's, one implementation for the server and the
// collector; what the server adds is naming the invalid fields of a request.
export { HttpProblem, badRequest, notFound, notFoundHandler, problemHandler } from '@vr-tour/node-kit';

/** Names each invalid field, so a client can show the message beside it. */
export function validationProblem(error: z.ZodError, where: 'body' | 'query' | 'path' = 'body'): HttpProblem {
  const errors = error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : where,
    message: issue.message,
  }));
  const detail = errors.map((entry) => `${entry.path}: ${entry.message}`).join('; ');
  return new HttpProblem(400, 'Validation Failed', detail, { errors });
}

/** Parses `value` with `schema`, or throws a 400 naming the bad fields. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'path' = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}

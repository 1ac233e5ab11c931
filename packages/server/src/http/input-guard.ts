import type { RequestHandler } from 'express';
import { findJsonInputIssue, type JsonInputIssue } from '@vr-tour/protocol';
import { HttpProblem } from './problem.js';

/** A 400 naming the field, in the shape of every validation problem (`errors[].path`, as `validationProblem` writes it). */
export function inputProblem(issue: JsonInputIssue, where: string): HttpProblem {
  const path = issue.path.length ? issue.path.map(String).join('.') : where;
  return new HttpProblem(400, 'Validation Failed', `${path}: ${issue.message}`, { errors: [{ path, message: issue.message }] });
}

function decodedSegments(path: string): string[] {
  return path.split('/').flatMap((segment) => {
    try {
      return [decodeURIComponent(segment)];
    } catch {
      // Malformed escapes: the router refuses them with its own 400 when it decodes a parameter.
      return [];
    }
  });
}

/**
 * Refuses what no route should have to handle, before any route sees it:
 * text PostgreSQL cannot store (a NUL, an unpaired surrogate) in the parsed
 * JSON body, the query or the path; JSON nested past the limit (before any
 * code recurses into it); keys that would change an object's prototype.
 * Mount it after the JSON parser.
 */
export function inputGuard(): RequestHandler {
  return (req, _res, next) => {
    const body = req.body === undefined ? undefined : findJsonInputIssue(req.body);
    if (body) return next(inputProblem(body, 'body'));
    const query = findJsonInputIssue(req.query);
    if (query) return next(inputProblem(query, 'query'));
    const path = decodedSegments(req.path).map((segment) => findJsonInputIssue(segment)).find(Boolean);
    if (path) return next(inputProblem(path, 'path'));
    next();
  };
}

/** Limits on any JSON a client sends, whatever its schema. */
export const JSON_INPUT_LIMITS = {
  /** Containers inside containers: a tour's deepest input is a few levels; custom payloads get the rest. */
  maxDepth: 32,
} as const;

/** Where in a JSON value something is wrong, and what. */
export interface JsonInputIssue {
  /** Keys and indexes from the root; empty for the root itself. */
  path: (string | number)[];
  message: string;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored as PostgreSQL text or jsonb, if it cannot. */
function textIssue(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    return `contains an unpaired UTF-16 surrogate (U+${code}), which is not valid Unicode`;
  }
  return undefined;
}

/**
 * The first thing in a parsed JSON value that no schema should have to think
 * about: text PostgreSQL refuses (a NUL, an unpaired surrogate) in a string or
 * a key, nesting deeper than `maxDepth` (code that recurses into it would
 * overflow the stack), or a key that changes an object's prototype when
 * assigned (`__proto__`, or `constructor.prototype`). Walks without recursion,
 * so any depth that JSON.parse built is safe to check.
 */
export function findJsonInputIssue(value: unknown, maxDepth: number = JSON_INPUT_LIMITS.maxDepth): JsonInputIssue | undefined {
  const stack: { value: unknown; path: (string | number)[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const message = textIssue(item.value);
      if (message) return { path: item.path, message };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > maxDepth) return { path: item.path, message: `is nested more than ${maxDepth} levels deep` };
    const isArray = Array.isArray(item.value);
    for (const [key, child] of Object.entries(item.value)) {
      if (!isArray) {
        const message = textIssue(key);
        if (message) return { path: item.path, message: `has a key that ${message}` };
        const prototypeKey = key === '__proto__' || (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'));
        if (prototypeKey) return { path: [...item.path, key], message: 'is not allowed as a key (it would change an object’s prototype)' };
      }
      stack.push({ value: child, path: [...item.path, isArray ? Number(key) : key], depth });
    }
  }
  return undefined;
}

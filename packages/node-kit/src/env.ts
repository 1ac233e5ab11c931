import { z } from 'zod';

// Every setting of a process comes from its environment, read once at start
// through one zod object; a bad value stops start-up with a message naming
// the variable, its value and what was wrong.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** One variable: set to the empty string, it counts as unset (so its default applies). */
export function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess(emptyToUndefined, schema);
}

/** A whole number in [min, max], `fallback` when unset. */
export function integerVariable(fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  const whole = 'must be a whole number';
  return variable(
    z.coerce
      .number({ error: whole })
      .int(whole)
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );
}

export const portVariable = (fallback: number) => integerVariable(fallback, 0, 65_535);
export const logLevelVariable = () => variable(z.enum(LOG_LEVELS).default('info'));

const isPostgresUrl = (value: string) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value);
/** `DATABASE_URL`-like: a postgres:// URL, or unset. */
export const optionalPostgresUrlVariable = () => variable(z.string().refine(isPostgresUrl, 'must be a postgres:// URL').optional());
/** A postgres:// URL that must be set; `purpose` says what it is for when it is missing. */
export const postgresUrlVariable = (purpose: string) =>
  variable(z.string({ error: `must be set: ${purpose}` }).refine(isPostgresUrl, 'must be a postgres:// URL'));

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

/** Parses the environment with `schema`, or throws a ConfigError naming every bad variable. */
export function parseEnvironment<T extends z.ZodObject>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.length ? String(issue.path[0]) : '(environment)';
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    }),
  );
}

/** Runs `load`; a ConfigError ends the process with exit code 2 and its message, prefixed with `program`. */
export function configOrExit<T>(program: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${program}: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}


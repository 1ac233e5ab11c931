import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, integerVariable, logLevelVariable, parseEnvironment, portVariable, variable } from '../src/index.js';

const schema = z.object({
  PORT: portVariable(8080),
  WORKERS: integerVariable(2, 1, 16),
  LOG_LEVEL: logLevelVariable(),
  MODE: variable(z.enum(['fast', 'safe']).default('safe')),
});

describe('parseEnvironment', () => {
  it('applies defaults to unset and empty variables alike', () => {
    expect(parseEnvironment(schema, { WORKERS: '' })).toEqual({ PORT: 8080, WORKERS: 2, LOG_LEVEL: 'info', MODE: 'safe' });
    expect(parseEnvironment(schema, { PORT: '0', WORKERS: '16', LOG_LEVEL: 'silent', MODE: 'fast' })).toEqual({
      PORT: 0,
      WORKERS: 16,
      LOG_LEVEL: 'silent',
      MODE: 'fast',
    });
  });

  it('names every bad variable, its value and what was wrong', () => {
    let error: unknown;
    try {
      parseEnvironment(schema, { PORT: '70000', WORKERS: '1.5', LOG_LEVEL: 'loud', MODE: 'turbo' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['PORT="70000"', 'WORKERS="1.5"', 'LOG_LEVEL="loud"', 'MODE="turbo"']);
    expect(problems.slice(0, 2)).toEqual(['PORT="70000": must be at most 65535', 'WORKERS="1.5": must be a whole number']);
    expect(message).toMatch(/^invalid configuration:\n {2}PORT=/);
  });
});

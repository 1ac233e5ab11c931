import { z } from 'zod';
import { USER_ROLES } from '@vr-tour/protocol';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an email address');

// Length, not composition rules (NIST SP 800-63B); the upper bound caps hashing work.
const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(256);

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().max(100).default(''),
});

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(256),
});

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(USER_ROLES),
  createdAt: z.iso.datetime({ offset: true }),
});

export const sessionSchema = z.object({
  user: userSchema,
  /** Send back as X-CSRF-Token on every cookie-authenticated write. */
  csrfToken: z.string().nullable(),
});

export const createTokenSchema = z.object({ name: z.string().trim().min(1).max(100) });

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
});

/** Only in the creation answer: the secret is never shown again. */
export const createdTokenSchema = apiTokenSchema.extend({ token: z.string() });

export const setRoleSchema = z.object({ role: z.enum(USER_ROLES) });

export const idParamSchema = z.object({ id: z.uuid('must be an id (a UUID)') });

import { z } from 'zod';
import { USER_ROLES } from '@vr-tour/protocol';

/**
 * The one normalization of an email, for storing and for looking up alike:
 * trimmed, lowercased, Unicode NFC (so composed and decomposed accents match).
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .normalize('NFC')
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

/**
 * The answer to a sign-up, the same whether the email was free or not, so it
 * does not tell which emails have accounts.
 */
export const signUpAcceptedSchema = z
  .object({
    /** The email as normalized, for a login form to carry on with. */
    email: z.string(),
    message: z.string(),
  })
  .describe(
    'The same answer whether or not the email already had an account. When it had none, the account now exists and ' +
      'this answer sets its session cookies: GET /auth/session answers with the new user and the CSRF token. When it had ' +
      'one, nothing changed (no session is set; that account’s password and name stay as they were): GET /auth/session ' +
      'answers 401, or with the account this browser was already signed in to, and the owner signs in with POST /auth/login.',
  );
export type SignUpAccepted = z.infer<typeof signUpAcceptedSchema>;

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

/**
 * Request contracts for users. Usernames are stored lower-case so "Alice" and "alice" are one
 * account; they appear in URLs (`PUT /members/:username`), hence the narrow character set.
 */
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.ts';

export const usernameSchema = z.string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'use 2–32 letters, digits, dots, dashes or underscores, starting with a letter or digit');

export const passwordSchema = z.string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const roleSchema = z.enum(['admin', 'member'], { error: 'must be "admin" or "member"' });

export const loginBodySchema = z.object({
  // Not the username rules: a login with a malformed name is just a failed login (same answer).
  username: z.string().min(1, 'is required').max(200),
  password: z.string().min(1, 'is required').max(PASSWORD_MAX_LENGTH),
}).strict();

export const createUserBodySchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema.default('member'),
}).strict();

export const updateUserBodySchema = z.object({
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  password: passwordSchema.optional(),
}).strict().refine((body) => Object.keys(body).length > 0, 'give at least one of role, disabled, password');

// `?limit=&before=` (empty values) means "not given".
const blank = (value: unknown) => (value === '' ? undefined : value);
export const auditQuerySchema = z.object({
  limit: z.preprocess(blank, z.coerce.number().int().min(1).max(1000).optional()),
  before: z.preprocess(blank, z.coerce.number().int().min(1).optional()),
}).strict();

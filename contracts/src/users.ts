/**
 * Sign-in and user administration. Usernames are stored lower-case so "Alice" and "alice" are one
 * account; they appear in URLs (`PUT /members/:username`), hence the narrow character set.
 */
import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const usernameSchema = z.string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'use 2–32 letters, digits, dots, dashes or underscores, starting with a letter or digit');

export const passwordSchema = z.string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const USER_ROLES = ['admin', 'member'] as const;
export const userRoleSchema = z.enum(USER_ROLES, { error: 'must be "admin" or "member"' });
export type UserRole = z.infer<typeof userRoleSchema>;

/** `POST /api/auth/login` */
export const loginBodySchema = z.object({
  // Not the username rules: a login with a malformed name is just a failed login (same answer).
  username: z.string().min(1, 'is required').max(200),
  password: z.string().min(1, 'is required').max(PASSWORD_MAX_LENGTH),
}).strict();
export type LoginBody = z.infer<typeof loginBodySchema>;

/** The signed-in user (`GET /api/auth/me`, the login answer). */
export const userSchema = z.object({ id: z.string(), username: z.string(), role: userRoleSchema });
export type User = z.infer<typeof userSchema>;

export const loginAnswerSchema = z.object({ user: userSchema, token: z.string().min(1) });
export type LoginAnswer = z.infer<typeof loginAnswerSchema>;
export const meAnswerSchema = z.object({ user: userSchema });
export type MeAnswer = z.infer<typeof meAnswerSchema>;

/** `POST /api/admin/users` */
export const createUserBodySchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: userRoleSchema.default('member'),
}).strict();
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

/** `PATCH /api/admin/users/:userId` */
export const updateUserBodySchema = z.object({
  role: userRoleSchema.optional(),
  disabled: z.boolean().optional(),
  password: passwordSchema.optional(),
}).strict().refine((body) => Object.keys(body).length > 0, 'give at least one of role, disabled, password');
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

/** A user as administrators see it. */
export const adminUserSchema = userSchema.extend({ disabled: z.boolean(), createdAt: z.string() });
export type AdminUser = z.infer<typeof adminUserSchema>;
export const adminUserAnswerSchema = z.object({ user: adminUserSchema });
export const adminUsersAnswerSchema = z.object({ users: z.array(adminUserSchema) });

// `?limit=&before=` (empty values) means "not given".
const blank = (value: unknown) => (value === '' ? undefined : value);
/** `GET /api/admin/audit?limit=&before=` */
export const auditQuerySchema = z.object({
  limit: z.preprocess(blank, z.coerce.number().int().min(1).max(1000).optional()),
  before: z.preprocess(blank, z.coerce.number().int().min(1).optional()),
}).strict();

export const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  workspaceId: z.string().nullable(),
  /** the workspace's current name (or, once deleted, the name its workspace.* event recorded) */
  workspaceName: z.string().nullable(),
  detail: z.unknown(),
  ip: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
export const auditAnswerSchema = z.object({ events: z.array(auditEventSchema) });

/** Workspaces, their members and roles. */
import { z } from 'zod';

/** Workspace roles, lowest to highest: each level includes everything below it. */
export const WORKSPACE_ROLES = ['view', 'explore', 'edit', 'owner'] as const;
export const workspaceRoleSchema = z.enum(WORKSPACE_ROLES);
export type WorkspaceRole = z.infer<typeof workspaceRoleSchema>;
/** The roles an owner can give; ownership itself is not shared. */
export const SHAREABLE_ROLES = ['view', 'explore', 'edit'] as const;

export function roleRank(role: WorkspaceRole): number {
  return WORKSPACE_ROLES.indexOf(role);
}
export function hasRole(actual: WorkspaceRole, min: WorkspaceRole): boolean {
  return roleRank(actual) >= roleRank(min);
}
export function isWorkspaceRole(value: unknown): value is WorkspaceRole {
  return typeof value === 'string' && (WORKSPACE_ROLES as readonly string[]).includes(value);
}

const name = z.string().trim().min(1, 'name must not be empty').max(200, 'name is at most 200 characters');
const description = z.string().max(5000, 'description is at most 5000 characters');
/** `POST /api/workspaces` */
export const createWorkspaceBodySchema = z.strictObject({ name, description: description.optional() });
/** `PATCH /api/workspaces/:wid` */
export const patchWorkspaceBodySchema = z.strictObject({ name: name.optional(), description: description.optional() });
/** `PUT /api/workspaces/:wid/members/:username` */
export const memberBodySchema = z.strictObject({ role: z.enum(SHAREABLE_ROLES, { message: 'role must be "edit", "explore" or "view"' }) });
export type CreateWorkspaceBody = z.infer<typeof createWorkspaceBodySchema>;
export type PatchWorkspaceBody = z.infer<typeof patchWorkspaceBodySchema>;
export type MemberBody = z.infer<typeof memberBodySchema>;

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  /** the caller's role in it */
  role: workspaceRoleSchema,
  owner: z.object({ id: z.string(), username: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Workspace = z.infer<typeof workspaceSchema>;
export const workspaceAnswerSchema = z.object({ workspace: workspaceSchema });
export const workspacesAnswerSchema = z.object({ workspaces: z.array(workspaceSchema) });

export const memberSchema = z.object({ userId: z.string(), username: z.string(), role: workspaceRoleSchema });
export type Member = z.infer<typeof memberSchema>;
export const memberAnswerSchema = z.object({ member: memberSchema });
export const membersAnswerSchema = z.object({ members: z.array(memberSchema) });

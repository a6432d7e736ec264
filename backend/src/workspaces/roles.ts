/** Workspace roles, lowest to highest (API.md): each level includes everything below it. */
export const WORKSPACE_ROLES = ['view', 'explore', 'edit', 'owner'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];
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

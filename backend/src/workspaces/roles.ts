/** Workspace roles, lowest to highest (API.md): the contract's (@almready/contracts workspaces.ts). */
export { WORKSPACE_ROLES, SHAREABLE_ROLES, hasRole, isWorkspaceRole, roleRank, type WorkspaceRole } from '@almready/contracts';

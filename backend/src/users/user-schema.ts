/** Request contracts for users: the schemas live in @almready/contracts (users.ts), shared with the SPA. */
export {
  auditQuerySchema, createUserBodySchema, loginBodySchema, passwordSchema, updateUserBodySchema, usernameSchema,
  userRoleSchema as roleSchema,
} from '@almready/contracts';

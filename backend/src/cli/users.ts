/**
 * `almready users add|list|disable|enable|reset-password`: user admin straight on the SQLite
 * file of ALMREADY_DATA_DIR (or --data-dir), for first set-up and for locked-out admins.
 * Generated passwords are printed once and stored only as argon2id hashes.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type Database from 'better-sqlite3';
import type { Role } from '../users/user-store.ts';
import type { CliContext } from './main.ts';

/**
 * What the commands use, loaded when one runs: SQLite and argon2 are native modules whose loading
 * `almready --help` (and every other command) should not wait for.
 */
async function load() {
  const [passwords, config, database, audit, schema, store] = await Promise.all([
    import('../auth/passwords.ts'), import('../config.ts'), import('../db/open-database.ts'),
    import('../audit/audit-log.ts'), import('../users/user-schema.ts'), import('../users/user-store.ts'),
  ]);
  return { ...passwords, ...config, ...database, ...audit, ...schema, ...store };
}

interface DataDirOption {
  dataDir?: string;
}

async function withDatabase<T>(context: CliContext, options: DataDirOption, work: (db: Database.Database) => Promise<T>): Promise<T | undefined> {
  const { ConfigError, ensureDataDir, openDatabase } = await load();
  const dataDir = resolve(options.dataDir ?? process.env.ALMREADY_DATA_DIR ?? './data');
  let db: Database.Database;
  try {
    ensureDataDir(dataDir);
    db = openDatabase(dataDir);
  } catch (error) {
    context.io.err(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
    context.exitCode = 1;
    return undefined;
  }
  return work(db).finally(() => db.close());
}

function fail(context: CliContext, message: string): void {
  context.io.err(message);
  context.exitCode = 1;
}

export function registerUsers(program: Command, context: CliContext): void {
  const users = program.command('users').description('Manage user accounts in the data directory');
  const dataDirOption = ['--data-dir <dir>', 'data directory (default: $ALMREADY_DATA_DIR or ./data)'] as const;

  users.command('add <username>')
    .description('Create a user; without --password a password is generated and printed once')
    .option('--role <role>', 'admin or member', 'member')
    .option('--password <password>', 'initial password (at least 10 characters)')
    .option(...dataDirOption)
    .action(async (rawName: string, options: DataDirOption & { role: string; password?: string }) => {
      const { usernameSchema, roleSchema, passwordProblem, generatePassword, createUser, createAuditLog } = await load();
      const name = usernameSchema.safeParse(rawName);
      if (!name.success) return fail(context, `Invalid username "${rawName}": ${name.error.issues[0]?.message}.`);
      const role = roleSchema.safeParse(options.role);
      if (!role.success) return fail(context, `Invalid --role "${options.role}": must be admin or member.`);
      const problem = options.password === undefined ? null : passwordProblem(options.password);
      if (problem) return fail(context, problem);
      const password = options.password ?? generatePassword();
      await withDatabase(context, options, async (db) => {
        const result = await createUser(db, { username: name.data, password, role: role.data });
        if (!result.ok) return fail(context, result.message);
        createAuditLog(db).record({ action: 'user.create', detail: { targetUserId: result.user.id, username: result.user.username, role: result.user.role, via: 'cli' } });
        context.io.out(`Created ${result.user.role} "${result.user.username}".`);
        if (options.password === undefined) context.io.out(`Password (shown once): ${password}`);
      });
    });

  users.command('list')
    .description('List users with role and status')
    .option(...dataDirOption)
    .action(async (options: DataDirOption) => {
      const { listUsers } = await load();
      await withDatabase(context, options, async (db) => {
        const rows = listUsers(db);
        const width = Math.max(8, ...rows.map((u) => u.username.length));
        context.io.out(`${'username'.padEnd(width)}  role    status    created`);
        for (const u of rows) {
          context.io.out(`${u.username.padEnd(width)}  ${u.role.padEnd(6)}  ${(u.disabled ? 'disabled' : 'active').padEnd(8)}  ${u.createdAt}`);
        }
      });
    });

  const setDisabled = (disabled: boolean) => async (username: string, options: DataDirOption) => {
    const { findUserByUsername, updateUser, createAuditLog } = await load();
    await withDatabase(context, options, async (db) => {
      const user = findUserByUsername(db, username);
      if (!user) return fail(context, `No user named "${username}".`);
      const result = await updateUser(db, user.id, { disabled });
      if (!result.ok) return fail(context, result.message);
      createAuditLog(db).record({ action: 'user.update', detail: { targetUserId: user.id, username: user.username, disabled, via: 'cli' } });
      context.io.out(disabled ? `Disabled "${user.username}"; their sessions and tokens no longer work.` : `Enabled "${user.username}".`);
    });
  };
  users.command('disable <username>').description('Disable a user and end their sessions and tokens').option(...dataDirOption).action(setDisabled(true));
  users.command('enable <username>').description('Enable a disabled user').option(...dataDirOption).action(setDisabled(false));

  users.command('reset-password <username>')
    .description('Set a new generated password (printed once); ends the user\'s sessions and tokens')
    .option(...dataDirOption)
    .action(async (username: string, options: DataDirOption) => {
      const { findUserByUsername, generatePassword, updateUser, createAuditLog } = await load();
      await withDatabase(context, options, async (db) => {
        const user = findUserByUsername(db, username);
        if (!user) return fail(context, `No user named "${username}".`);
        const password = generatePassword();
        const result = await updateUser(db, user.id, { password });
        if (!result.ok) return fail(context, result.message);
        createAuditLog(db).record({ action: 'user.update', detail: { targetUserId: user.id, username: user.username, password: 'reset', via: 'cli' } });
        context.io.out(`New password for "${user.username}" (shown once): ${password}`);
      });
    });
}

export type { Role };

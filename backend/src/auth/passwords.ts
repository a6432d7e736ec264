/**
 * Password hashing with argon2id (@node-rs/argon2 defaults: 19 MiB, 2 passes — OWASP's
 * recommended minimum). Generated passwords are 20 base58-ish characters (~115 bits).
 */
import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@almready/contracts';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/** Computes the dummy hash ahead of time, so even the first unknown-user login is not slower. */
export function primeDummyHash(): Promise<string> {
  dummyHash ??= hash('dummy-password-for-timing-only');
  return dummyHash;
}

/** Burns the same time as a real check so unknown usernames cannot be told apart by timing. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await primeDummyHash(), password);
  return false;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

export function generatePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Returns a sentence saying what to fix, or null when the password is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  return null;
}

/**
 * The one place SQL text is built from names and strings. Every identifier and string literal
 * the backend writes into DuckDB SQL goes through `quoteIdent` / `sqlString`; names that become
 * part of the schema (views, result tables) are first checked with `plainIdentifier`.
 *
 * DuckDB's standard strings have no backslash escapes, so doubling the quote character is the
 * whole escape. A NUL character is refused: the driver hands SQL to DuckDB as a C string, which
 * ends at the first NUL, so a quoted NUL would cut the statement short (the closing quote and
 * whatever follows it — a LIMIT, a WHERE — would silently vanish).
 */

export class SqlQuoteError extends Error {
  override name = 'SqlQuoteError';
}

/** A double-quoted identifier: `a"b` → `"a""b"`. */
export function quoteIdent(name: string): string {
  refuseNul(name, 'name');
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted string literal: `it's` → `'it''s'`. */
export function sqlString(value: string): string {
  refuseNul(value, 'text');
  return `'${value.replaceAll("'", "''")}'`;
}

/** `schema.name`, each part quoted. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

const PLAIN = /^[a-z_][a-z0-9_]*$/;
export const MAX_IDENTIFIER_LENGTH = 63;

/** True for lower-case letters, digits and `_`, not starting with a digit, at most 63 characters. */
export function isPlainIdentifier(name: string): boolean {
  return name.length <= MAX_IDENTIFIER_LENGTH && PLAIN.test(name);
}

/** `name` when it is a plain identifier; otherwise an error saying what to change. */
export function plainIdentifier(name: string, what = 'Name'): string {
  if (!isPlainIdentifier(name)) {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    throw new SqlQuoteError(`${what} ${JSON.stringify(shown)} must be lower-case letters, digits and _ (not starting with a digit), at most ${MAX_IDENTIFIER_LENGTH} characters.`);
  }
  return name;
}

function refuseNul(text: string, what: string): void {
  if (text.includes('\0')) throw new SqlQuoteError(`The ${what} contains a NUL character (\\0), which SQL cannot carry; remove it.`);
}

/**
 * Which source column feeds which canonical column. An explicit `{canonical: sourceColumn}`
 * mapping wins; the remaining canonical columns are found through their synonyms; every other
 * source column is kept as an attribute.
 */
import { normaliseHeader, type ColumnSpec } from './columns.ts';

export interface ResolvedMapping {
  /** canonical column → index of the source column */
  columns: Record<string, number>;
  /** canonical column → source header text (what is shown to the user) */
  used: Record<string, string>;
  /** attribute name (snake_case of the header) → index of the source column */
  attributes: Record<string, number>;
}

export type MappingResult = { ok: true; mapping: ResolvedMapping } | { ok: false; reasons: { column: string; value: string; reason: string }[] };

/** Attribute column name: lower snake case of the header, never clashing with a canonical name. */
export function attributeName(header: string, taken: ReadonlySet<string>): string {
  const base = header.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'column';
  let name = /^[a-z_]/.test(base) ? base : `c_${base}`;
  if (name.startsWith('__')) name = name.replace(/^_+/, '');
  let candidate = name;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${name}_${n}`;
  return candidate;
}

export function resolveMapping(
  headers: readonly string[],
  specs: readonly ColumnSpec[],
  explicit: Readonly<Record<string, string>> = {},
  defaults: ReadonlySet<string> = new Set(),
): MappingResult {
  const reasons: { column: string; value: string; reason: string }[] = [];
  const byKey = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = normaliseHeader(h);
    if (key !== '' && !byKey.has(key)) byKey.set(key, i);
  });
  const specNames = new Set(specs.map((s) => s.name));
  const columns: Record<string, number> = {};
  const used: Record<string, string> = {};
  const claimed = new Set<number>();
  const failed = new Set<string>();

  for (const [canonical, source] of Object.entries(explicit)) {
    if (!specNames.has(canonical)) {
      reasons.push({ column: canonical, value: source, reason: `mapping names "${canonical}", which is not a canonical column (${[...specNames].join(', ')})` });
      continue;
    }
    const exact = headers.indexOf(source);
    const index = exact >= 0 ? exact : byKey.get(normaliseHeader(source));
    if (index === undefined) {
      reasons.push({ column: canonical, value: source, reason: `mapping points ${canonical} at "${source}", but the file has no such column (columns: ${headers.join(', ')})` });
      failed.add(canonical);
      continue;
    }
    columns[canonical] = index;
    used[canonical] = headers[index] ?? source;
    claimed.add(index);
  }
  for (const spec of specs) {
    if (columns[spec.name] !== undefined || failed.has(spec.name)) continue;
    for (const key of [spec.name, ...spec.synonyms].map(normaliseHeader)) {
      const index = byKey.get(key);
      if (index !== undefined && !claimed.has(index)) {
        columns[spec.name] = index;
        used[spec.name] = headers[index] ?? key;
        claimed.add(index);
        break;
      }
    }
    if (columns[spec.name] === undefined && spec.required && !defaults.has(spec.name)) {
      reasons.push({
        column: spec.name,
        value: '',
        reason: `no column for required field ${spec.name}; name a column ${spec.name} (or ${spec.synonyms.slice(0, 3).join(', ')}) or map it explicitly`,
      });
    }
  }
  const attributes: Record<string, number> = {};
  const taken = new Set<string>(specNames);
  headers.forEach((h, i) => {
    if (claimed.has(i) || h.trim() === '') return;
    const name = attributeName(h, taken);
    taken.add(name);
    attributes[name] = i;
  });
  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, mapping: { columns, used, attributes } };
}

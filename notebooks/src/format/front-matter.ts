/**
 * The `---` header of a notebook file: one `key: value` per line. Values are written plain when
 * that reads unambiguously (also as YAML), otherwise as JSON strings. Keys whose value is always
 * text (title, description, format) are read as text even when they look like a number.
 */
export type FrontMatterValue = string | number | boolean;

const TEXT_KEYS = new Set(['format', 'title', 'description']);
const PLAIN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} _.,()/+-]*$/u;
const YAML_WORDS = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function formatValue(value: FrontMatterValue): string {
  if (typeof value !== 'string') return String(value);
  const plain = PLAIN.test(value) && value === value.trim() && !YAML_WORDS.test(value) && !/^[\d.+-]/.test(value) && !value.includes(' #');
  return plain ? value : JSON.stringify(value);
}

export function formatFrontMatter(entries: [string, FrontMatterValue | undefined][]): string {
  const lines = entries.filter((e): e is [string, FrontMatterValue] => e[1] !== undefined).map(([k, v]) => `${k}: ${formatValue(v)}`);
  return `---\n${lines.join('\n')}\n---\n`;
}

export type FrontMatterResult = { ok: true; values: Record<string, FrontMatterValue> } | { ok: false; reason: string };

/** `lines` are the header's lines between the two `---`; `firstLine` numbers them in errors. */
export function parseFrontMatter(lines: string[], firstLine: number): FrontMatterResult {
  const values: Record<string, FrontMatterValue> = {};
  for (const [index, line] of lines.entries()) {
    const where = `line ${firstLine + index}`;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^([A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+([^\n]*?))?[ \t]*$/.exec(line);
    if (!match) return { ok: false, reason: `${where}: a header line is "key: value", found "${line.slice(0, 60)}"` };
    const key = match[1]!;
    const raw = match[2] ?? '';
    if (Object.hasOwn(values, key)) return { ok: false, reason: `${where}: "${key}" is given twice in the header` };
    if (raw.startsWith('"')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'string') throw new Error('not a string');
        values[key] = parsed;
      } catch {
        return { ok: false, reason: `${where}: the quoted value of "${key}" is not a valid JSON string` };
      }
    } else if (TEXT_KEYS.has(key)) values[key] = raw;
    else if (raw === 'true' || raw === 'false') values[key] = raw === 'true';
    else if (/^-?\d+$/.test(raw)) values[key] = Number(raw);
    else values[key] = raw;
  }
  return { ok: true, values };
}

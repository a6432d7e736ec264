/**
 * `key=value` options as written on a cell's fence line (```` ```sql id=by_product name=by_product lazy ````)
 * and in a prose cell's marker comment. A value is bare when it is plain ASCII, otherwise a JSON
 * string, so any id survives the round trip; a bare key is `true`.
 */
export type OptionValue = string | boolean;
export type Options = Map<string, OptionValue>;

const BARE_VALUE = /^[A-Za-z0-9_.\-]+$/;

export function formatOptions(options: [string, OptionValue | undefined][]): string {
  const parts: string[] = [];
  for (const [key, value] of options) {
    if (value === undefined) continue;
    if (value === true) parts.push(key);
    else if (value === false) parts.push(`${key}=false`);
    else parts.push(`${key}=${BARE_VALUE.test(value) && value !== 'true' && value !== 'false' ? value : JSON.stringify(value)}`);
  }
  return parts.join(' ');
}

export type OptionsResult = { ok: true; options: Options } | { ok: false; reason: string };

export function parseOptions(text: string): OptionsResult {
  const options: Options = new Map();
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ' || text[i] === '\t') { i++; continue; }
    const key = /^[A-Za-z][A-Za-z0-9_-]*/.exec(text.slice(i))?.[0];
    if (!key) return { ok: false, reason: `an option is written key=value, found "${text.slice(i, i + 20)}"` };
    if (options.has(key)) return { ok: false, reason: `option "${key}" is given twice` };
    i += key.length;
    if (text[i] !== '=') {
      if (i < text.length && text[i] !== ' ' && text[i] !== '\t') return { ok: false, reason: `after option "${key}" comes a space or =, found "${text[i]}"` };
      options.set(key, true);
      continue;
    }
    i++;
    if (text[i] === '"') {
      const quoted = /^"(?:[^"\\]|\\[^\n])*"/.exec(text.slice(i))?.[0];
      if (!quoted) return { ok: false, reason: `the quoted value of option "${key}" is not closed` };
      let value: unknown;
      try {
        value = JSON.parse(quoted);
      } catch {
        return { ok: false, reason: `the quoted value of option "${key}" is not a valid JSON string` };
      }
      options.set(key, String(value));
      i += quoted.length;
    } else {
      const bare = /^[^\s"]+/.exec(text.slice(i))?.[0];
      if (!bare) return { ok: false, reason: `option "${key}" has an empty value` };
      options.set(key, bare === 'true' ? true : bare === 'false' ? false : bare);
      i += bare.length;
    }
    if (i < text.length && text[i] !== ' ' && text[i] !== '\t') return { ok: false, reason: `after option "${key}" comes a space, found "${text[i]}"` };
  }
  return { ok: true, options };
}

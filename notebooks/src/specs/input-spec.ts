/**
 * The spec of an `input` cell: a typed parameter with a default. Its value is the output named by
 * the cell's `name`; report viewers with the explore role change it, and headless runs set it with
 * `--param name=value` (read by `parseInputValue`).
 */
import { z } from 'zod';
import { assertNever } from '../assert-never.ts';

/** The six supervisory shock scenarios (methodology §3); a test keeps this equal to the engine's list. */
export const REGULATORY_SCENARIOS = ['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'] as const;

const label = z.string().max(200).optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is written YYYY-MM-DD').refine(isCalendarDate, { message: 'not a calendar date' });
const scenarioId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a scenario id is an identifier (letters, digits, _)');
const choice = z.union([z.string().max(200), z.number()]);

function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const dateInput = z.strictObject({ type: z.literal('date'), label, default: isoDate, min: isoDate.optional(), max: isoDate.optional() })
  .superRefine((s, ctx) => {
    if (s.min !== undefined && s.default < s.min) ctx.addIssue({ code: 'custom', path: ['default'], message: `the default ${s.default} is before min ${s.min}` });
    if (s.max !== undefined && s.default > s.max) ctx.addIssue({ code: 'custom', path: ['default'], message: `the default ${s.default} is after max ${s.max}` });
  });
/** A dataset of the workspace; no default means the workspace's selected dataset. */
const datasetInput = z.strictObject({ type: z.literal('dataset'), label, default: z.string().min(1).max(100).optional() });
const numberInput = z.strictObject({ type: z.literal('number'), label, default: z.number().finite(), min: z.number().finite().optional(), max: z.number().finite().optional(), step: z.number().positive().optional(), format: z.enum(['money', 'pct', 'bp', 'number', 'integer']).optional() })
  .superRefine((s, ctx) => {
    if (s.min !== undefined && s.max !== undefined && s.min > s.max) ctx.addIssue({ code: 'custom', path: ['min'], message: 'min is above max' });
    if ((s.min !== undefined && s.default < s.min) || (s.max !== undefined && s.default > s.max)) ctx.addIssue({ code: 'custom', path: ['default'], message: `the default ${s.default} is outside [${s.min ?? '-∞'}, ${s.max ?? '∞'}]` });
  });
const selectInput = z.strictObject({ type: z.literal('select'), label, options: z.array(choice).min(1, 'a select lists at least one option').max(500), default: choice })
  .superRefine((s, ctx) => {
    if (new Set(s.options).size !== s.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'an option is listed twice' });
    if (!s.options.includes(s.default)) ctx.addIssue({ code: 'custom', path: ['default'], message: `the default ${JSON.stringify(s.default)} is not one of the options` });
  });
/** A multi-select of scenarios; the options default to the six supervisory ones. */
const scenariosInput = z.strictObject({ type: z.literal('scenarios'), label, options: z.array(scenarioId).min(1).max(100).optional(), default: z.array(scenarioId).max(100) })
  .superRefine((s, ctx) => {
    const options: readonly string[] = s.options ?? REGULATORY_SCENARIOS;
    s.default.forEach((id, i) => {
      if (!options.includes(id)) ctx.addIssue({ code: 'custom', path: ['default', i], message: `"${id}" is not one of the scenarios offered (${options.join(', ')})` });
    });
    if (new Set(s.default).size !== s.default.length) ctx.addIssue({ code: 'custom', path: ['default'], message: 'a scenario is chosen twice' });
  });
/** Tier 1 capital, the denominator of the outlier tests (methodology §7), in the reporting currency. */
const tier1Input = z.strictObject({ type: z.literal('tier1'), label, default: z.number().finite().positive('Tier 1 capital is a positive amount'), currency: z.string().regex(/^[A-Z]{3}$/, 'a currency is three capital letters').optional() });

export const inputSpecSchema = z.discriminatedUnion('type', [dateInput, datasetInput, numberInput, selectInput, scenariosInput, tier1Input]);
export type InputSpec = z.infer<typeof inputSpecSchema>;
export type InputType = InputSpec['type'];
export type InputValue = string | number | string[] | null;

export function inputDefault(spec: InputSpec): InputValue {
  switch (spec.type) {
    case 'dataset': return spec.default ?? null;
    case 'date': case 'number': case 'select': case 'tier1': case 'scenarios': return spec.default;
    default: return assertNever(spec);
  }
}

export type InputValueResult = { ok: true; value: InputValue } | { ok: false; reason: string };

/** Reads a value given as text (`--param name=value`, a form field) and checks it against the spec. */
export function parseInputValue(spec: InputSpec, text: string): InputValueResult {
  const bad = (reason: string): InputValueResult => ({ ok: false, reason });
  switch (spec.type) {
    case 'date': {
      const checked = isoDate.safeParse(text.trim());
      if (!checked.success) return bad(`"${text}" is not a date: write YYYY-MM-DD`);
      if ((spec.min && checked.data < spec.min) || (spec.max && checked.data > spec.max)) return bad(`${checked.data} is outside ${spec.min ?? '…'} – ${spec.max ?? '…'}`);
      return { ok: true, value: checked.data };
    }
    case 'dataset': return text.trim() === '' ? bad('name a dataset (its id or name)') : { ok: true, value: text.trim() };
    case 'number': case 'tier1': {
      const value = Number(text.replaceAll('_', '').trim());
      if (text.trim() === '' || !Number.isFinite(value)) return bad(`"${text}" is not a number`);
      if (spec.type === 'tier1' && value <= 0) return bad('Tier 1 capital is a positive amount');
      if (spec.type === 'number' && ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))) return bad(`${value} is outside [${spec.min ?? '-∞'}, ${spec.max ?? '∞'}]`);
      return { ok: true, value };
    }
    case 'select': {
      const found = spec.options.find((o) => String(o) === text.trim());
      return found === undefined ? bad(`"${text}" is not one of ${spec.options.map(String).join(', ')}`) : { ok: true, value: found };
    }
    case 'scenarios': {
      const options: readonly string[] = spec.options ?? REGULATORY_SCENARIOS;
      const ids = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const unknown = ids.filter((id) => !options.includes(id));
      if (unknown.length > 0) return bad(`unknown scenario ${unknown.join(', ')} (offered: ${options.join(', ')})`);
      return { ok: true, value: [...new Set(ids)] };
    }
    default: return assertNever(spec);
  }
}

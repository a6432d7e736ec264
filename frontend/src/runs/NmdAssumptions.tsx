/** Behavioural assumptions for non-maturing deposits (methodology §5), entered in percent and years. */
import { NMD_CATEGORIES, type NmdAssumptionInput, type NmdCategory } from '@almready/contracts';

export { NMD_CATEGORIES, type NmdCategory };

export interface NmdRow { stable: string; core: string; years: string }
export type NmdForm = Record<NmdCategory, NmdRow>;

/** A prudent starting point, inside the regulatory caps (core 90/70/50%, maturity 5/4.5/4 years). */
export const DEFAULT_NMD: NmdForm = {
  retail_transactional: { stable: '80', core: '75', years: '4' },
  retail_non_transactional: { stable: '70', core: '60', years: '3' },
  wholesale: { stable: '50', core: '40', years: '1.5' },
};

export type NmdAssumption = NmdAssumptionInput;

/** Converts the form to API assumptions, or says which cell to fix. The server checks the caps. */
export function nmdAssumptions(form: NmdForm): { ok: true; value: NmdAssumption[] } | { ok: false; message: string } {
  const value: NmdAssumption[] = [];
  for (const category of NMD_CATEGORIES) {
    const row = form[category];
    const stable = Number(row.stable);
    const core = Number(row.core);
    const years = Number(row.years);
    if (!(stable >= 0 && stable <= 100)) return { ok: false, message: `${category}: stable share must be a percentage from 0 to 100.` };
    if (!(core >= 0 && core <= 100)) return { ok: false, message: `${category}: core share must be a percentage from 0 to 100.` };
    if (!(years > 0)) return { ok: false, message: `${category}: average maturity must be a positive number of years.` };
    value.push({ category, stableShare: stable / 100, coreShare: core / 100, averageMaturityYears: years });
  }
  return { ok: true, value };
}

export function NmdAssumptionsFieldset({ form, onChange }: { form: NmdForm; onChange: (form: NmdForm) => void }) {
  const set = (category: NmdCategory, key: keyof NmdRow, text: string) => onChange({ ...form, [category]: { ...form[category], [key]: text } });
  return (
    <table className="nmd-table" aria-label="Non-maturing deposit assumptions">
      <thead><tr><th>Category</th><th>Stable %</th><th>Core % of stable</th><th>Avg. maturity (y)</th></tr></thead>
      <tbody>
        {NMD_CATEGORIES.map((category) => (
          <tr key={category}>
            <td>{category.replace(/_/g, ' ')}</td>
            <td><input inputMode="decimal" value={form[category].stable} onChange={(e) => set(category, 'stable', e.target.value)} aria-label={`${category} stable share`} /></td>
            <td><input inputMode="decimal" value={form[category].core} onChange={(e) => set(category, 'core', e.target.value)} aria-label={`${category} core share`} /></td>
            <td><input inputMode="decimal" value={form[category].years} onChange={(e) => set(category, 'years', e.target.value)} aria-label={`${category} average maturity`} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** formats.md: the bank export's file names give amortization and rate type. */
export interface BankFileKind {
  amortization: 'bullet' | 'linear' | 'annuity' | 'scheduled' | 'non_maturing';
  rateType: 'fixed' | 'floating';
}

const KINDS: Record<string, BankFileKind> = {
  'fixed annuity.csv': { amortization: 'annuity', rateType: 'fixed' },
  'fixed bullet.csv': { amortization: 'bullet', rateType: 'fixed' },
  'fixed linear.csv': { amortization: 'linear', rateType: 'fixed' },
  'fixed scheduled.csv': { amortization: 'scheduled', rateType: 'fixed' },
  'non-maturity.csv': { amortization: 'non_maturing', rateType: 'fixed' },
  'variable annuity.csv': { amortization: 'annuity', rateType: 'floating' },
  'variable bullet.csv': { amortization: 'bullet', rateType: 'floating' },
  'variable linear.csv': { amortization: 'linear', rateType: 'floating' },
  'variable non-maturity.csv': { amortization: 'non_maturing', rateType: 'floating' },
  'variable scheduled.csv': { amortization: 'scheduled', rateType: 'floating' },
};

export type BankEntry = { kind: 'data'; base: string; file: BankFileKind } | { kind: 'ignored' } | { kind: 'skip' };

/** Root or one sub-folder; `__MACOSX` and AppleDouble `._` files are skipped silently. */
export function classifyBankEntry(entryName: string): BankEntry {
  const parts = entryName.split('/').filter((p) => p !== '');
  const base = parts[parts.length - 1] ?? '';
  if (entryName.endsWith('/') || parts[0] === '__MACOSX' || base.startsWith('._') || base === '.DS_Store') return { kind: 'skip' };
  const file = KINDS[base.toLowerCase()];
  if (!file || parts.length > 2) return { kind: 'ignored' };
  return { kind: 'data', base, file };
}

/** `dd/mm/yyyy` → `yyyy-mm-dd`, undefined when the text is not such a date. */
export function dmyToIso(text: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

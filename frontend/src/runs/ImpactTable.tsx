import { formatAmount, formatPercent } from '../common/format.ts';
import type { Measure, ScenarioImpact, Verdict } from './runResults.ts';

const TITLES: Record<Measure, string> = { eve: 'Economic value of equity (EVE)', nii: 'Net interest income (NII)' };

/** The engine's outlier-test verdict, with what the test counts beside it. */
export function VerdictBadge({ verdict, measure }: { verdict: Verdict; measure: Measure }) {
  const limit = formatPercent(verdict.limit);
  const worst = verdict.worstScenario ? `${verdict.worstScenario}: ${formatPercent(verdict.ratio)} of Tier 1` : '';
  const badge = verdict.status === 'unknown'
    ? <span className="badge muted" data-testid={`sot-${measure}`} title="Enter Tier 1 capital to run the supervisory outlier test">SOT: no Tier 1</span>
    : verdict.status === 'outlier'
      ? <span className="badge bad" data-testid={`sot-${measure}`} data-verdict="flagged" title={worst}>SOT breached (Δ{measure.toUpperCase()} &lt; {limit} of Tier 1)</span>
      : <span className="badge good" data-testid={`sot-${measure}`} data-verdict="passed" title={worst}>SOT passed (limit {limit} of Tier 1)</span>;
  return (
    <span className="verdict">
      {badge}
      {verdict.scope ? <span className="muted verdict-scope" data-testid={`sot-${measure}-scope`}>{verdict.scope}</span> : null}
    </span>
  );
}

export function ImpactTable({ impacts, measure, verdict, unit }: { impacts: ScenarioImpact[]; measure: Measure; verdict: Verdict; unit: string }) {
  const name = measure.toUpperCase();
  return (
    <div className="impact" data-testid={`${measure}-table`}>
      <div className="section-head">
        <h3>{TITLES[measure]}</h3>
        <VerdictBadge verdict={verdict} measure={measure} />
      </div>
      <table className="table compact">
        <thead><tr><th>Scenario</th><th className="num">{name} ({unit})</th><th className="num">Δ{name} ({unit})</th><th className="num">Δ % of Tier 1</th></tr></thead>
        <tbody>
          {impacts.map((i) => (
            <tr key={i.scenario} data-scenario={i.scenario}>
              <td>{i.scenario}</td>
              <td className="num">{formatAmount(i.value)}</td>
              <td className={`num ${i.delta < 0 ? 'negative' : ''}`}>{i.scenario === 'base' ? '—' : formatAmount(i.delta)}</td>
              <td className={`num ${i.delta < 0 ? 'negative' : ''}`}>{i.scenario === 'base' ? '—' : formatPercent(i.deltaOfTier1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { formatAmount, formatPercent } from '../common/format.ts';
import { outlierVerdict, type Measure, type ScenarioImpact } from './scenarioImpacts.ts';

const TITLES: Record<Measure, string> = { eve: 'Economic value of equity (EVE)', nii: 'Net interest income (NII)' };

export function VerdictBadge({ impacts, measure }: { impacts: ScenarioImpact[]; measure: Measure }) {
  const verdict = outlierVerdict(impacts, measure);
  const limit = formatPercent(verdict.threshold);
  if (verdict.status === 'unknown') return <span className="badge muted" title="Enter Tier 1 capital to run the supervisory outlier test">SOT: no Tier 1</span>;
  const worst = verdict.worst ? `${verdict.worst.scenario}: ${formatPercent(verdict.worst.deltaOfTier1)} of Tier 1` : '';
  return verdict.status === 'outlier'
    ? <span className="badge bad" data-testid={`sot-${measure}`} title={worst}>SOT breached (Δ{measure.toUpperCase()} &lt; {limit} of Tier 1)</span>
    : <span className="badge good" data-testid={`sot-${measure}`} title={worst}>SOT passed (limit {limit} of Tier 1)</span>;
}

export function ImpactTable({ impacts, measure }: { impacts: ScenarioImpact[]; measure: Measure }) {
  const name = measure.toUpperCase();
  return (
    <div className="impact" data-testid={`${measure}-table`}>
      <div className="section-head">
        <h3>{TITLES[measure]}</h3>
        <VerdictBadge impacts={impacts} measure={measure} />
      </div>
      <table className="table compact">
        <thead><tr><th>Scenario</th><th className="num">{name}</th><th className="num">Δ{name}</th><th className="num">Δ % of Tier 1</th></tr></thead>
        <tbody>
          {impacts.map((i) => (
            <tr key={i.scenario}>
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

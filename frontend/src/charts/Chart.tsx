/** ag-charts-community, registered once; one chart instance per mount, updated in place. */
import { useEffect, useRef } from 'react';
import { AgCharts, AllCommunityModule, ModuleRegistry, type AgCartesianChartOptions, type AgChartInstance } from 'ag-charts-community';

ModuleRegistry.registerModules([AllCommunityModule]);

export function Chart({ options, height = 300, label }: { options: AgCartesianChartOptions; height?: number; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<AgChartInstance<AgCartesianChartOptions> | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const full: AgCartesianChartOptions = { ...options, container: host.current };
    if (chart.current) void chart.current.update(full);
    else chart.current = AgCharts.create(full);
  }, [options]);

  useEffect(() => () => {
    chart.current?.destroy();
    chart.current = null;
  }, []);

  return <div className="chart" ref={host} style={{ height }} role="img" aria-label={label} />;
}

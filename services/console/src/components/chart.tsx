import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the console draws: bars, lines with threshold mark lines, rendered as SVG (sharp when printed).
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** A chart's text size: elder mode's body text (18 pt, 24 px in styles.css), otherwise ECharts' own 12 px. */
export const chartFontSize = (elder: boolean): number => (elder ? 24 : 12);

/**
 * An Apache ECharts chart. `label` names it for screen readers; the figures it draws are also shown as
 * a table on the same page, so nobody depends on the picture (or on its colours). ECharts' aria puts its
 * own generated (untranslated) description on the chart in place of our aria-label, so its description is
 * the label. Elder mode's text sizes are the option's to set (chartFontSize): ECharts draws its labels at
 * its own sizes.
 */
export function Chart({ option, label, height = 320 }: { option: ChartOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.setOption({ animation: false, aria: { enabled: true, label: { description: label } }, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, label]);
  return <div ref={element} className="chart" role="img" aria-label={label} style={{ height }} />;
}

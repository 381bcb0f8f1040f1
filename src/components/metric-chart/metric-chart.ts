import { MetricChart } from './metric-chart.component.js';

export { MetricChart };
export type { ChartLine, ChartXAxis } from './metric-chart.component.js';

if (!customElements.get('metric-chart')) customElements.define('metric-chart', MetricChart);

declare global {
  interface HTMLElementTagNameMap {
    'metric-chart': MetricChart;
  }
}

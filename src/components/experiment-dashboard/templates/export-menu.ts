import { html } from 'lit';
import type { Attribute } from '../../../data/attributes.js';
import type { Experiment } from '../../../data/types.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';

// Loaded when the Export menu first opens: showing rows does not need any of this.

export interface ExportContext {
  /** Where the download link is put for its click. */
  root: HTMLElement | DocumentFragment;
  store: ExperimentStore;
  /** The rows the view shows, in display order, and its visible columns. */
  shown: readonly Experiment[];
  columns: readonly Attribute[];
  onError: (message: string) => void;
}

function download(root: ExportContext['root'], blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  root.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function exportCsv(c: ExportContext): Promise<void> {
  const { toCsv } = await import('../../../data/export.js');
  const columns = c.columns.map((a) => ({ id: a.id, label: a.label, get: (e: Experiment) => a.get(e) }));
  download(c.root, new Blob([toCsv(c.shown, columns, { bom: true })], { type: 'text/csv;charset=utf-8' }), 'experiments.csv');
}

/**
 * The report inlines the dashboard bundle: taken from the page when it is itself a report, else
 * fetched from where the bundle was loaded.
 */
async function exportReport(c: ExportContext): Promise<void> {
  const inline = document.querySelector('script[data-experiment-dashboard-bundle]')?.textContent;
  const url = (globalThis as { __experimentDashboardBundleUrl?: string }).__experimentDashboardBundleUrl;
  let bundleText = inline ?? undefined;
  if (!bundleText && url) bundleText = await (await fetch(url)).text();
  if (!bundleText) throw new Error('the report inlines dist/experiment-dashboard.bundle.js, and this page did not load it. Load the dashboard from the bundle, or make the report with "npx experiment-dashboard report".');
  const defaults = c.store.defaultMainMetric;
  const collection = {
    schemaVersion: '1.0' as const,
    kind: 'ExperimentCollection' as const,
    generatedAt: new Date(c.store.now ?? Date.now()).toISOString(),
    ...(defaults ? { defaults: { mainMetric: { key: defaults.key, goal: defaults.goal ?? ('maximize' as const) } } } : {}),
    experiments: [...c.store.experiments],
  };
  const [{ buildReportHtml }, { collectionToJson }] = await Promise.all([import('../../../data/export.js'), import('../../../data/sample-data.js')]);
  const text = await buildReportHtml({ collection: JSON.parse(collectionToJson(collection)), bundleText, title: document.title || 'Experiment report' });
  download(c.root, new Blob([text], { type: 'text/html;charset=utf-8' }), 'experiment-report.html');
}

/** The Export menu: the view as CSV, or the data as a one-file HTML report. `context` is read when an item is chosen. */
export function exportMenu(shownCount: number, context: () => ExportContext) {
  const run = (what: string, work: (c: ExportContext) => Promise<void>) => {
    const c = context();
    work(c).catch((err: unknown) => c.onError(`Could not build the ${what}: ${err instanceof Error ? err.message : String(err)}`));
  };
  return html`<div role="menu" aria-label="Export" class="cell-menu">
    <button type="button" role="menuitem" @click=${() => run('CSV export', exportCsv)}>CSV of this view (${shownCount.toLocaleString('en-US')} rows, visible columns)</button>
    <button type="button" role="menuitem" @click=${() => run('HTML report', exportReport)}>HTML report (one offline file)</button>
  </div>`;
}

import { waitUntil } from '@open-wc/testing';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';

/** The rendered table rows (Tabulator's virtual renderer only renders what is in view). */
export function rows(el: ExperimentDashboard): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-row:not(.tabulator-group)')];
}

/** Text of each rendered cell, row by row. */
export function cellTexts(el: ExperimentDashboard): string[][] {
  // Data columns only: the select, details and delete controls have fields starting with "__".
  return rows(el).map((r) => [...r.querySelectorAll<HTMLElement>('.tabulator-cell:not([tabulator-field^="__"])')].map((c) => c.textContent?.trim() ?? ''));
}

export function part(el: ExperimentDashboard, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

export async function waitForRows(el: ExperimentDashboard, count: number, message = `${count} rows rendered`): Promise<void> {
  await waitUntil(() => rows(el).length === count, message, { timeout: 10000 });
}

export function headerTitles(el: ExperimentDashboard): string[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-col:not([tabulator-field^="__"]) .col-title-text')].map((t) => t.textContent?.trim() ?? '');
}

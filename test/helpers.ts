import { expect, waitUntil } from '@open-wc/testing';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { SourceError } from '../src/data/types.js';

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

/** The error a source's promise rejects with; fails the test when it resolves or throws something else. */
export async function rejection(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected the promise to reject');
}

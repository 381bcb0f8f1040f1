// What the play functions share: they drive the elements the way a user does (click the labelled
// buttons) and wait until the state the story is about is on screen, so a story that renders
// something else fails instead of showing the wrong thing.
import { userEvent, waitFor } from 'storybook/test';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';

const WAIT = { timeout: 15_000, interval: 50 };

/** Resolves with what `find` returns once it returns something; fails with `what` after 15 s. */
export function shown<T>(what: string, find: () => T | null | undefined | false): Promise<T> {
  return waitFor(
    () => {
      const found = find();
      if (!found) throw new Error(`Not shown within 15 s: ${what}.`);
      return found;
    },
    // The message alone: the default appends a dump of the whole document.
    { ...WAIT, onTimeout: (error) => new Error(error.message) },
  );
}

export function elementIn<T extends HTMLElement>(canvas: HTMLElement, tag: string): T {
  const el = canvas.querySelector<T>(tag);
  if (!el) throw new Error(`The story rendered no <${tag}>.`);
  return el;
}

export const dashboardIn = (canvas: HTMLElement) => elementIn<ExperimentDashboard>(canvas, 'experiment-dashboard');

export const inShadow = <T extends Element = HTMLElement>(host: Element, selector: string): T | null => host.shadowRoot?.querySelector<T>(selector) ?? null;
export const part = (host: Element, name: string) => inShadow(host, `[part~="${name}"]`);
export const textOf = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A button of the element by its accessible label (aria-label) or its text. */
export function buttonOf(host: Element, label: string): HTMLElement | undefined {
  const root = host.shadowRoot;
  if (!root) return undefined;
  return [...root.querySelectorAll<HTMLElement>('button, [role="button"]')].find((b) => b.getAttribute('aria-label') === label || textOf(b) === label);
}

export const dataRows = (el: ExperimentDashboard) => [...(el.shadowRoot?.querySelectorAll<HTMLElement>('.tabulator-row:not(.tabulator-group)') ?? [])];

/** The table shows rows (the data arrived and Tabulator drew them). */
export const rowsShown = (el: ExperimentDashboard) => shown('the table rows', () => dataRows(el).length > 0 && dataRows(el));

export const summaryShows = (el: ExperimentDashboard, text: string) => shown(`"${text}" in the summary`, () => textOf(part(el, 'summary')).includes(text));

export async function clickButton(host: Element, label: string): Promise<HTMLElement> {
  const button = await shown(`the "${label}" button`, () => buttonOf(host, label));
  await userEvent.click(button);
  return button;
}

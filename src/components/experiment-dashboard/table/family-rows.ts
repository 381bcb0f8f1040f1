// How a row shows its place among child runs (table/families.ts orders them): an indented name,
// and on a parent run a disclosure button. DOM only, drawn into the cells Tabulator made.
import { clipText } from '../../../data/format.js';
import { chevronIcon } from './icons.js';

/** A row's place in its family, as drawn. */
export interface FamilyPlace {
  /** 0 top level, 1 a child, 2 a grandchild... */
  depth: number;
  /** Child runs nested under it in the rows shown. */
  children: number;
  /** Whether its children show. */
  open: boolean;
}

/** Names in button labels are cut: a screen reader should not read out 100 KB. */
const LABEL_LIMIT = 200;

/** "3 child runs". */
export const childRunsText = (n: number): string => `${n.toLocaleString('en-US')} child run${n === 1 ? '' : 's'}`;

/**
 * Draws `place` into a row element: the cell of the name (else the first attribute's cell) is
 * indented by depth, and a parent's gets the button that shows or hides its children
 * (`onToggle`). Idempotent: it runs each time Tabulator formats the row, and again when the
 * nesting changes (a filter left a parent out, a group split a family).
 */
export function drawFamily(row: HTMLElement, place: FamilyPlace, name: string, onToggle: () => void): void {
  const cell =
    row.querySelector<HTMLElement>(':scope > .tabulator-cell[tabulator-field="name"]') ??
    [...row.querySelectorAll<HTMLElement>(':scope > .tabulator-cell')].find((c) => !(c.getAttribute('tabulator-field') ?? '__').startsWith('__'));
  row.classList.toggle('row-child', place.depth > 0);
  if (place.depth > 0) row.style.setProperty('--_depth', String(place.depth));
  else row.style.removeProperty('--_depth');
  if (!cell) return;
  cell.classList.toggle('family-cell', place.depth > 0 || place.children > 0);
  let toggle = cell.querySelector<HTMLButtonElement>(':scope > .family-toggle');
  if (place.children === 0) {
    toggle?.remove();
    return;
  }
  if (!toggle) {
    toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'family-toggle';
    const count = document.createElement('span');
    count.className = 'family-count';
    // The words go on a phone (styles: .narrow): "▸ 3" beside the name; the label keeps them.
    const words = document.createElement('span');
    words.className = 'family-words';
    toggle.append(chevronIcon(), count, words);
    // Tabulator must not start a column drag, a sort or a row click from it; the row's keys
    // (Enter opens the details) must not fire either.
    for (const ev of ['mousedown', 'pointerdown', 'click', 'keydown', 'dblclick']) toggle.addEventListener(ev, (e) => e.stopPropagation());
    cell.append(toggle);
  }
  const text = childRunsText(place.children);
  (toggle.querySelector('.family-count') as HTMLElement).textContent = place.children.toLocaleString('en-US');
  (toggle.querySelector('.family-words') as HTMLElement).textContent = text.slice(text.indexOf(' '));
  toggle.setAttribute('aria-expanded', String(place.open));
  // The visible words first (a voice user says what they see), then whose runs they are.
  toggle.setAttribute('aria-label', clipText(`${text} of ${name}`, LABEL_LIMIT));
  toggle.title = `${place.open ? 'Hide' : 'Show'} ${text}`;
  toggle.onclick = onToggle;
}

import { html } from 'lit';
import type { Attribute } from '../../../data/attributes.js';
import { MAX_LABEL_LENGTH, clipText } from '../../../data/format.js';
import type { ColumnFilter, Experiment } from '../../../data/types.js';
import { formatValue } from '../table/columns.js';
import { EMPTY_GROUP } from '../table/ranks.js';

/** The filter "Filter to this value" (or, with `exclude`, "Exclude it") of a cell makes. */
export function filterToValue(attr: Attribute, e: Experiment, exclude: boolean): ColumnFilter {
  const v = attr.get(e);
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return { attribute: attr.id, op: exclude ? 'notEmpty' : 'empty' };
  if (attr.kind === 'date' && typeof v === 'string') return exclude ? { attribute: attr.id, op: 'ne', value: v } : { attribute: attr.id, op: 'on', value: v.slice(0, 10) };
  if (Array.isArray(v)) return { attribute: attr.id, op: exclude ? 'notContains' : 'contains', value: v[0] ?? '' };
  return { attribute: attr.id, op: exclude ? 'ne' : 'eq', value: typeof v === 'boolean' ? String(v) : v };
}

/** A cell's menu: filter to its value, exclude it, show or hide the row's details. */
export function cellMenu(o: { attribute: Attribute; experiment: Experiment; expanded: boolean; onFilter: (filter: ColumnFilter) => void; onToggleDetails: () => void }) {
  const value = formatValue(o.attribute, o.attribute.get(o.experiment));
  const shown = value === '' ? EMPTY_GROUP : clipText(value, 41);
  const label = clipText(o.attribute.label, MAX_LABEL_LENGTH);
  return html`<div role="menu" aria-label=${`Actions for ${label} ${shown}`} class="cell-menu">
    <button type="button" role="menuitem" @click=${() => o.onFilter(filterToValue(o.attribute, o.experiment, false))}>Filter to <bdi>${label}</bdi> = “<bdi>${shown}</bdi>”</button>
    <button type="button" role="menuitem" @click=${() => o.onFilter(filterToValue(o.attribute, o.experiment, true))}>Exclude <bdi>${label}</bdi> = “<bdi>${shown}</bdi>”</button>
    <button type="button" role="menuitem" @click=${o.onToggleDetails}>${o.expanded ? 'Hide details' : 'Show details'}</button>
  </div>`;
}

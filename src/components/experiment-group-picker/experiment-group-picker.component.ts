import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Attribute } from '../../data/attributes.js';
import { groupByCategory, type AttributeGroup } from '../experiment-column-chooser/attribute-groups.js';
import { iconArrowEnd, iconArrowStart, iconClose } from '../icons.js';
import { groupPickerStyles } from './experiment-group-picker.styles.js';

export interface GroupByChangeDetail {
  /** Group-by attribute ids, outermost level first. */
  groupBy: string[];
}

type Action = 'earlier' | 'later' | 'remove';

/**
 * Builds the nested grouping of the table: a select adds a level, and each chosen level is a
 * chip that can move earlier or later or be removed. The outermost level comes first.
 *
 * The element keeps `value` up to date itself and reports every change; it knows nothing
 * about the table.
 *
 * @summary Choose the attributes to group experiments by, outermost first.
 *
 * @event group-by-change - The grouping changed. `detail: { groupBy: string[] }`, outermost first.
 *
 * @csspart base - The wrapper around everything.
 * @csspart select - The "Group by" select that adds a level.
 * @csspart levels - The ordered list of chosen levels.
 * @csspart level - One chosen level (a chip).
 *
 * @cssproperty [--experiment-dashboard-font=system-ui] - Font family.
 * @cssproperty [--experiment-dashboard-font-size=13px] - Base font size.
 * @cssproperty [--experiment-dashboard-background=#ffffff] - Background.
 * @cssproperty [--experiment-dashboard-color=#1d2430] - Text colour.
 * @cssproperty [--experiment-dashboard-muted-color=#5a6472] - Level numbers.
 * @cssproperty [--experiment-dashboard-border-color=#d5dae1] - Borders.
 * @cssproperty [--experiment-dashboard-accent-color=#1f5fbf] - Focus ring.
 */
export class ExperimentGroupPicker extends LitElement {
  static override styles = groupPickerStyles;

  /** Every attribute that can be grouped by (the dashboard's `availableAttributes`). */
  @property({ attribute: false }) availableAttributes: readonly Attribute[] = [];

  /**
   * Writing sets `availableAttributes` (so `.attributes=${list}` works in a template); reading
   * gives the element's own DOM attributes, as on every element, so DOM tools keep working.
   */
  override set attributes(value: readonly Attribute[]) {
    this.availableAttributes = value;
  }
  override get attributes(): NamedNodeMap {
    return super.attributes;
  }

  /** Group-by attribute ids, outermost level first. */
  @property({ attribute: false }) value: readonly string[] = [];

  #groups: AttributeGroup[] = [];
  #byId = new Map<string, Attribute>();
  /** After a move or removal, where the focus goes so a keyboard user keeps their place. */
  #refocus?: { id: string; action: Action } | 'select';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('availableAttributes')) {
      this.#groups = groupByCategory(this.availableAttributes);
      this.#byId = new Map(this.availableAttributes.map((a) => [a.id, a]));
    }
  }

  protected override updated(): void {
    const target = this.#refocus;
    if (!target) return;
    this.#refocus = undefined;
    if (target === 'select') {
      this.renderRoot.querySelector<HTMLSelectElement>('select')?.focus();
      return;
    }
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('li[data-id] button[data-action]')].filter((b) => b.closest('li')?.dataset.id === target.id);
    (buttons.find((b) => b.dataset.action === target.action && !b.disabled) ?? buttons.find((b) => b.dataset.action === 'remove'))?.focus();
  }

  #labelOf(id: string): string {
    return this.#byId.get(id)?.label ?? id;
  }

  #commit(groupBy: string[]): void {
    this.value = groupBy;
    this.dispatchEvent(new CustomEvent<GroupByChangeDetail>('group-by-change', { bubbles: true, composed: true, detail: { groupBy: [...groupBy] } }));
  }

  #onAdd(e: Event): void {
    const select = e.target as HTMLSelectElement;
    const id = select.value;
    // Back to "Add grouping…", ready for the next level.
    select.value = '';
    if (id === '' || this.value.includes(id)) return;
    this.#commit([...this.value, id]);
  }

  #move(id: string, by: -1 | 1): void {
    const from = this.value.indexOf(id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= this.value.length) return;
    const groupBy = [...this.value];
    groupBy.splice(from, 1);
    groupBy.splice(to, 0, id);
    this.#refocus = { id, action: by < 0 ? 'earlier' : 'later' };
    this.#commit(groupBy);
  }

  #remove(id: string): void {
    const at = this.value.indexOf(id);
    if (at < 0) return;
    const groupBy = this.value.filter((x) => x !== id);
    const next = groupBy[at] ?? groupBy[at - 1];
    this.#refocus = next === undefined ? 'select' : { id: next, action: 'remove' };
    this.#commit(groupBy);
  }

  protected override render() {
    const chosen = new Set(this.value);
    return html`
      <div part="base">
        <select part="select" aria-label="Group by" @change=${this.#onAdd}>
          <option value="" selected>Add grouping…</option>
          ${this.#groups.map((g) => {
            const free = g.attributes.filter((a) => !chosen.has(a.id));
            return free.length === 0
              ? nothing
              : html`<optgroup label=${g.label}>
                  ${free.map((a) => html`<option value=${a.id}>${a.label}</option>`)}
                </optgroup>`;
          })}
        </select>
        ${this.value.length === 0
          ? nothing
          : html`<ol part="levels" aria-label="Grouping levels">
              ${repeat(
                this.value,
                (id) => id,
                (id, i) => this.#renderLevel(id, i),
              )}
            </ol>`}
      </div>
    `;
  }

  #renderLevel(id: string, i: number) {
    const label = this.#labelOf(id);
    return html`<li part="level" data-id=${id}>
      <span class="level-label" title=${id}><span class="index">${i + 1}.</span> ${label}</span>
      <button type="button" data-action="earlier" aria-label="Move ${label} earlier" ?disabled=${i === 0} @click=${() => this.#move(id, -1)}>${iconArrowStart}</button>
      <button type="button" data-action="later" aria-label="Move ${label} later" ?disabled=${i === this.value.length - 1} @click=${() => this.#move(id, 1)}>${iconArrowEnd}</button>
      <button type="button" data-action="remove" aria-label="Remove grouping by ${label}" @click=${() => this.#remove(id)}>${iconClose}</button>
    </li>`;
  }
}

declare global {
  interface HTMLElementEventMap {
    'group-by-change': CustomEvent<GroupByChangeDetail>;
  }
}

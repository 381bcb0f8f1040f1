import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { DEFAULT_COLUMNS, type Attribute, type AttributeCategory } from '../../data/attributes.js';
import { attributeMatcher, groupByCategory, idDiffersFromLabel, type AttributeGroup } from './attribute-groups.js';
import { iconArrowDown, iconArrowUp, iconGrip } from '../icons.js';
import { columnChooserStyles } from './experiment-column-chooser.styles.js';

export interface ColumnsChangeDetail {
  /** The visible column ids, in order. */
  columns: string[];
}

/**
 * Rows rendered per category before a "Show all" button: with ~2,000 parameters and metrics the
 * popover stays fast, and the search box is the way to the rest.
 */
export const CATEGORY_ROW_LIMIT = 200;

/**
 * Rows added per frame after "Show all": 10,000 parameters rendered in one task block the page
 * for seconds, five hundred a frame never do.
 */
export const SHOW_ALL_STEP = 500;

interface DropTarget {
  id: string;
  after: boolean;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Chooses which attributes are shown as table columns and in which order: every attribute found
 * in the loaded experiments, by category, with a search box, plus the ordered list of visible
 * columns (buttons and drag and drop to reorder) and a reset to the curated defaults.
 *
 * The element keeps `selected` up to date itself and reports every change; it knows nothing
 * about the table.
 *
 * @summary Pick and order the visible columns from every attribute of the experiments.
 *
 * @event columns-change - The visible columns changed. `detail: { columns: string[] }`, in order; a newly checked attribute is last.
 *
 * @csspart base - The wrapper around everything.
 * @csspart search - The search box.
 * @csspart attributes - The scrolling list of categories.
 * @csspart category - One category (a fieldset) with its checkboxes.
 * @csspart empty - The message shown when no attribute matches the search.
 * @csspart show-all - The "Show all N" button of a long category.
 * @csspart visible - The section with the ordered list of visible columns.
 * @csspart column - One visible column in that list.
 * @csspart reset - The "Reset to defaults" button.
 *
 * @cssproperty [--experiment-dashboard-font=system-ui] - Font family.
 * @cssproperty [--experiment-dashboard-font-size=13px] - Base font size.
 * @cssproperty [--experiment-dashboard-background=#ffffff] - Background.
 * @cssproperty [--experiment-dashboard-color=#1d2430] - Text colour.
 * @cssproperty [--experiment-dashboard-muted-color=#5a6472] - Counts and attribute ids.
 * @cssproperty [--experiment-dashboard-border-color=#d5dae1] - Borders.
 * @cssproperty [--experiment-dashboard-accent-color=#1f5fbf] - Focus ring, checkboxes, drop marker.
 * @cssproperty [--experiment-dashboard-column-list-height=280px] - Maximum height of each of the two lists before they scroll.
 */
export class ExperimentColumnChooser extends LitElement {
  static override styles = columnChooserStyles;

  /** Every attribute found in the loaded experiments (the dashboard's `availableAttributes`). */
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

  /** Ids of the visible columns, in order. */
  @property({ attribute: false }) selected: readonly string[] = [];

  /** The columns "Reset to defaults" restores. */
  @property({ attribute: false }) defaults: readonly string[] = DEFAULT_COLUMNS;

  @state() private _search = '';
  /** Rows shown of the long categories the user asked to see in full (they grow frame by frame). */
  @state() private _limits: ReadonlyMap<AttributeCategory, number> = new Map();
  @state() private _drop?: DropTarget;
  @state() private _dragging?: string;

  #groups: AttributeGroup[] = [];
  #byId = new Map<string, Attribute>();
  #matches: AttributeGroup[] = [];
  #selectedSet = new Set<string>();
  /** After a move by button, the focus follows the moved column. */
  #refocus?: { id: string; dir: 'up' | 'down' };
  /** After "Show all", the focus goes to the first row that was hidden (the button is gone). */
  #focusRow?: { category: AttributeCategory; index: number };
  /** The pending frame of a category that is still growing. */
  #growing = new Map<AttributeCategory, number>();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const frame of this.#growing.values()) cancelAnimationFrame(frame);
    this.#growing.clear();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('availableAttributes')) {
      this.#groups = groupByCategory(this.availableAttributes);
      this.#byId = new Map(this.availableAttributes.map((a) => [a.id, a]));
    }
    if (changed.has('availableAttributes') || changed.has('_search')) {
      const matches = attributeMatcher(this._search);
      this.#matches = this._search.trim() === '' ? this.#groups : this.#groups.map((g) => ({ ...g, attributes: g.attributes.filter(matches) })).filter((g) => g.attributes.length > 0);
    }
    if (changed.has('selected')) this.#selectedSet = new Set(this.selected);
  }

  protected override updated(): void {
    const row = this.#focusRow;
    if (row) {
      this.#focusRow = undefined;
      this.renderRoot.querySelectorAll<HTMLInputElement>(`fieldset[data-category="${row.category}"] input[type="checkbox"]`)[row.index]?.focus();
    }
    const target = this.#refocus;
    if (!target) return;
    this.#refocus = undefined;
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('li[data-id] button[data-dir]')].filter((b) => b.closest('li')?.dataset.id === target.id);
    const preferred = buttons.find((b) => b.dataset.dir === target.dir && !b.disabled) ?? buttons.find((b) => !b.disabled);
    preferred?.focus();
  }

  #labelOf(id: string): string {
    return this.#byId.get(id)?.label ?? id;
  }

  #commit(columns: string[]): void {
    if (sameList(columns, this.selected)) return;
    this.selected = columns;
    this.dispatchEvent(new CustomEvent<ColumnsChangeDetail>('columns-change', { bubbles: true, composed: true, detail: { columns: [...columns] } }));
  }

  #onToggle(e: Event): void {
    const input = e.target as HTMLInputElement;
    const id = input.value;
    const rest = this.selected.filter((x) => x !== id);
    this.#commit(input.checked ? [...rest, id] : rest);
  }

  #move(id: string, by: -1 | 1): void {
    const from = this.selected.indexOf(id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= this.selected.length) return;
    const columns = [...this.selected];
    columns.splice(from, 1);
    columns.splice(to, 0, id);
    this.#refocus = { id, dir: by < 0 ? 'up' : 'down' };
    this.#commit(columns);
  }

  #reset(): void {
    this.#commit([...this.defaults]);
  }

  #showAll(category: AttributeCategory, shown: number): void {
    this.#focusRow = { category, index: shown };
    this.#grow(category, shown);
  }

  /** Shows SHOW_ALL_STEP more rows of the category now, and the next step in the next frame. */
  #grow(category: AttributeCategory, shown: number): void {
    this.#growing.delete(category);
    const total = this.#groups.find((g) => g.category === category)?.attributes.length ?? 0;
    const limit = Math.min(total, shown + SHOW_ALL_STEP);
    this._limits = new Map(this._limits).set(category, limit === total ? Infinity : limit);
    if (limit < total) this.#growing.set(category, requestAnimationFrame(() => this.#grow(category, limit)));
  }

  // ---- Drag and drop in the visible list ----

  #onDragStart(e: DragEvent, id: string): void {
    this._dragging = id;
    if (e.dataTransfer) {
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', id);
    }
  }

  #onDragOver(e: DragEvent, id: string): void {
    if (this._dragging === undefined) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const after = e.clientY > rect.top + rect.height / 2;
    if (this._drop?.id !== id || this._drop.after !== after) this._drop = { id, after };
  }

  #onDrop(e: DragEvent, targetId: string): void {
    const dragged = this._dragging;
    const drop = this._drop;
    this.#endDrag();
    if (dragged === undefined) return;
    e.preventDefault();
    if (dragged === targetId) return;
    const columns = this.selected.filter((x) => x !== dragged);
    const at = columns.indexOf(targetId);
    if (at < 0) return;
    columns.splice(drop?.id === targetId && drop.after ? at + 1 : at, 0, dragged);
    this.#commit(columns);
  }

  #endDrag(): void {
    this._dragging = undefined;
    this._drop = undefined;
  }

  // ---- Rendering ----

  protected override render() {
    const searching = this._search.trim() !== '';
    return html`
      <div part="base">
        <input
          part="search"
          type="search"
          placeholder="Search attributes"
          aria-label="Search attributes"
          autocomplete="off"
          .value=${this._search}
          @input=${(e: Event) => (this._search = (e.target as HTMLInputElement).value)}
        />
        <div part="attributes" class="scroll">
          ${this.#matches.length === 0
            ? html`<p part="empty">${searching ? html`No attribute matches “${this._search.trim()}”.` : 'No attributes yet: load some experiments.'}</p>`
            : this.#matches.map((g) => this.#renderCategory(g, searching))}
        </div>
        <section part="visible" aria-labelledby="visible-heading">
          <p id="visible-heading" class="section-title">Visible columns <span class="count">(${this.selected.length})</span></p>
          ${this.selected.length === 0
            ? html`<p class="hint">No columns: check attributes above.</p>`
            : html`<ol class="columns scroll" aria-labelledby="visible-heading">
                ${repeat(
                  this.selected,
                  (id) => id,
                  (id, i) => this.#renderColumn(id, i),
                )}
              </ol>`}
        </section>
        <div class="actions">
          <button part="reset" type="button" ?disabled=${sameList(this.selected, this.defaults)} @click=${this.#reset}>Reset to defaults</button>
        </div>
      </div>
    `;
  }

  #renderCategory(g: AttributeGroup, searching: boolean) {
    const total = this.#groups.find((x) => x.category === g.category)?.attributes.length ?? g.attributes.length;
    const limit = this._limits.get(g.category) ?? CATEGORY_ROW_LIMIT;
    const growing = this.#growing.has(g.category);
    const shown = g.attributes.length > limit ? g.attributes.slice(0, limit) : g.attributes;
    return html`
      <fieldset part="category" data-category=${g.category}>
        <legend>${g.label} <span class="count">(${searching ? `${g.attributes.length} of ${total}` : total})</span></legend>
        <ul class="options">
          ${repeat(
            shown,
            (a) => a.id,
            (a) => html`<li>
              <label class="option">
                <input type="checkbox" .value=${a.id} .checked=${this.#selectedSet.has(a.id)} @change=${this.#onToggle} />
                <span class="text"><span class="label">${a.label}</span>${idDiffersFromLabel(a) ? html` <span class="id">${a.id}</span>` : nothing}</span>
              </label>
            </li>`,
          )}
        </ul>
        ${shown.length < g.attributes.length
          ? html`<p class="more">
              ${shown.length.toLocaleString('en-US')} of ${g.attributes.length.toLocaleString('en-US')} shown.
              ${growing
                ? 'Showing the rest…'
                : html`<button part="show-all" type="button" @click=${() => this.#showAll(g.category, shown.length)}>Show all ${g.attributes.length.toLocaleString('en-US')}</button>`}
            </p>`
          : nothing}
      </fieldset>
    `;
  }

  #renderColumn(id: string, i: number) {
    const label = this.#labelOf(id);
    const drop = this._drop?.id === id ? (this._drop.after ? 'drop-after' : 'drop-before') : '';
    return html`<li
      part="column"
      class="column ${drop} ${this._dragging === id ? 'dragging' : ''}"
      data-id=${id}
      draggable="true"
      @dragstart=${(e: DragEvent) => this.#onDragStart(e, id)}
      @dragover=${(e: DragEvent) => this.#onDragOver(e, id)}
      @drop=${(e: DragEvent) => this.#onDrop(e, id)}
      @dragend=${this.#endDrag}
    >
      <span class="handle" aria-hidden="true">${iconGrip}</span>
      <span class="column-label" title=${id}>${label}</span>
      <button type="button" class="icon" data-dir="up" aria-label="Move ${label} up" ?disabled=${i === 0} @click=${() => this.#move(id, -1)}>${iconArrowUp}</button>
      <button type="button" class="icon" data-dir="down" aria-label="Move ${label} down" ?disabled=${i === this.selected.length - 1} @click=${() => this.#move(id, 1)}>${iconArrowDown}</button>
    </li>`;
  }
}

declare global {
  interface HTMLElementEventMap {
    'columns-change': CustomEvent<ColumnsChangeDetail>;
  }
}

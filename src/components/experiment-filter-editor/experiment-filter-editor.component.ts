import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { Attribute, AttributeKind } from '../../data/attributes.js';
import { MAX_PATTERN_LENGTH, patternProblem } from '../../data/pattern.js';
import type { ColumnFilter, FilterOperator } from '../../data/types.js';
import { formatFilterValue } from './describe-filter.js';
import { filterEditorStyles } from './experiment-filter-editor.styles.js';

/** One distinct value of the attribute and how many experiments have it. */
export interface FilterValueCount {
  value: string;
  count: number;
  /** How the value reads, when not as written (e.g. `Completed` for `completed`). */
  label?: string;
}

export interface FilterApplyDetail {
  filter: ColumnFilter;
}

export interface FilterClearDetail {
  /** The attribute whose filter is to be removed. */
  attribute: string;
}

export interface FilterCancelDetail {
  attribute: string;
}

const NUMBER_OPS: readonly FilterOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'between', 'empty', 'notEmpty'];
const DATE_OPS: readonly FilterOperator[] = ['before', 'after', 'between', 'on', 'empty', 'notEmpty'];
const TEXT_OPS: readonly FilterOperator[] = ['contains', 'notContains', 'eq', 'startsWith', 'matches', 'empty', 'notEmpty'];
const TEXT_ONLY_OPS = new Set<FilterOperator>(['contains', 'notContains', 'startsWith', 'matches']);
const DATE_ONLY_OPS = new Set<FilterOperator>(['before', 'after', 'on']);

/** The operators offered for an attribute; `in` (checkboxes) when distinct values are known. */
export function operatorsFor(kind: AttributeKind, hasChoices: boolean): readonly FilterOperator[] {
  switch (kind) {
    case 'number':
      return NUMBER_OPS;
    case 'date':
      return DATE_OPS;
    case 'boolean':
      return ['in', 'empty', 'notEmpty'];
    default:
      return hasChoices ? ['in', ...TEXT_OPS] : TEXT_OPS;
  }
}

/** The words for an operator in the editor's select. */
export function operatorLabel(op: FilterOperator, kind: AttributeKind): string {
  const numeric = kind === 'number';
  switch (op) {
    case 'eq':
      return numeric ? '=' : 'equals';
    case 'ne':
      return numeric ? '≠' : 'does not equal';
    case 'gt':
      return '>';
    case 'ge':
      return '≥';
    case 'lt':
      return '<';
    case 'le':
      return '≤';
    case 'between':
      return 'between';
    case 'empty':
      return 'is empty';
    case 'notEmpty':
      return 'is not empty';
    case 'before':
      return 'before';
    case 'after':
      return 'after';
    case 'on':
      return 'on';
    case 'contains':
      return 'contains';
    case 'notContains':
      return 'does not contain';
    case 'startsWith':
      return 'starts with';
    case 'matches':
      return 'matches (regex)';
    case 'in':
      return 'is one of';
  }
}

/** Why a pattern cannot be used, in words, or undefined when it can. */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `The pattern is longer than ${MAX_PATTERN_LENGTH} characters.`;
  try {
    new RegExp(pattern, 'i');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Chromium says "Invalid regular expression: /[a-/i: Unterminated character class": keep the reason.
    const reason = /^Invalid regular expression: \/.*\/[a-z]*: (.+)$/s.exec(message)?.[1] ?? message;
    return `Not a valid regular expression: ${reason}`;
  }
  // Valid JavaScript, but matched in linear time: backreferences and lookaround are refused.
  const problem = patternProblem(pattern);
  return problem && `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** An ISO time (UTC when it has no offset, as in format v1) as a `datetime-local` value in local time. */
function toLocalInput(iso: string): string {
  const ms = Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso.replace(' ', 'T') : `${iso.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const seconds = d.getSeconds() === 0 ? '' : `:${pad(d.getSeconds())}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}${seconds}`;
}

/** A `datetime-local` value (the viewer's local time, as the table shows times) as ISO UTC. */
function fromLocalInput(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString().replace('.000Z', 'Z');
}

function filterValues(f: ColumnFilter): (string | number)[] {
  if (Array.isArray(f.value)) return f.value;
  if (f.value === undefined) return [];
  return typeof f.value === 'string'
    ? f.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [f.value];
}

interface Choice {
  value: string;
  label: string;
  count?: number;
}

interface Check {
  ready: boolean;
  /** An error, shown next to the input. */
  message?: string;
  /** What is missing, shown muted. */
  hint?: string;
}

type InputKind = 'number' | 'date' | 'text';

/**
 * The comparative filter of one column: an operator that fits the attribute's kind (numbers,
 * dates, text and lists, or checkboxes over the distinct values) and its value(s). Apply sends
 * the filter as a serialisable `ColumnFilter`; the element never filters anything itself.
 *
 * @summary Edit the filter of one column: operator, value(s), apply, clear or cancel.
 *
 * @event filter-apply - Apply was pressed. `detail: { filter: ColumnFilter }`.
 * @event filter-clear - "Clear filter" was pressed. `detail: { attribute: string }`.
 * @event filter-cancel - Cancel or Escape. `detail: { attribute: string }`.
 *
 * @csspart form - The form around everything.
 * @csspart heading - The "Filter <label>" heading.
 * @csspart operator - The operator select.
 * @csspart values - The wrapper of the value inputs.
 * @csspart choices - The checkboxes over the distinct values.
 * @csspart message - The validation message (e.g. an invalid regular expression).
 * @csspart buttons - The row of buttons.
 * @csspart apply - The Apply button.
 * @csspart clear - The "Clear filter" button.
 * @csspart cancel - The Cancel button.
 *
 * @cssproperty [--experiment-dashboard-font=system-ui] - Font family.
 * @cssproperty [--experiment-dashboard-font-size=13px] - Base font size.
 * @cssproperty [--experiment-dashboard-background=#ffffff] - Background.
 * @cssproperty [--experiment-dashboard-color=#1d2430] - Text colour.
 * @cssproperty [--experiment-dashboard-muted-color=#5a6472] - Counts and hints.
 * @cssproperty [--experiment-dashboard-border-color=#d5dae1] - Borders.
 * @cssproperty [--experiment-dashboard-accent-color=#1f5fbf] - Focus ring, checkboxes, Apply.
 * @cssproperty [--experiment-dashboard-error-color=#8a1c1c] - Validation messages.
 * @cssproperty [--experiment-dashboard-filter-choices-height=220px] - Maximum height of the value checkboxes before they scroll.
 */
export class ExperimentFilterEditor extends LitElement {
  static override styles = filterEditorStyles;

  /** The attribute (column) the filter is for. */
  @property({ attribute: false }) attribute?: Attribute;

  /** The active filter of this attribute, to edit; none for a new filter. */
  @property({ attribute: false }) filter?: ColumnFilter;

  /** Distinct values with their counts, for enum-like attributes: offered as checkboxes (`in`). */
  @property({ attribute: false }) values?: readonly FilterValueCount[];

  @state() private _op: FilterOperator = 'eq';
  @state() private _value = '';
  @state() private _value2 = '';
  @state() private _badInput = false;
  @state() private _badInput2 = false;
  @state() private _checked: ReadonlySet<string> = new Set();
  @state() private _withTime = false;

  /** Set once the user changed something: values arriving later then do not reset the form. */
  #touched = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('attribute') || changed.has('filter') || (changed.has('values') && !this.#touched)) this.#resetFromFilter();
  }

  /** Moves the focus to the first control of the form. */
  override focus(options?: FocusOptions): void {
    const first = this.#firstControl();
    if (first) first.focus(options);
    else void this.updateComplete.then(() => this.#firstControl()?.focus(options));
  }

  #firstControl(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('select, input, button:not([disabled])') ?? null;
  }

  // ---- Model ----

  #activeFilter(): ColumnFilter | undefined {
    return this.filter && this.filter.attribute === this.attribute?.id ? this.filter : undefined;
  }

  #choices(): Choice[] {
    const a = this.attribute;
    if (!a) return [];
    const given: { value: string; count?: number; label?: string }[] =
      this.values && this.values.length > 0 ? [...this.values] : a.kind === 'boolean' ? [{ value: 'true' }, { value: 'false' }] : [];
    const choices: Choice[] = given.map((v) => {
      const c: Choice = { value: v.value, label: v.label ?? (v.value === '' ? '(empty)' : formatFilterValue(a.id, v.value)) };
      if (v.count !== undefined) c.count = v.count;
      return c;
    });
    // Values of the active filter that are not among the known ones stay visible, so they can be unchecked.
    const known = new Set(choices.map((c) => c.value));
    for (const v of this._checked) if (!known.has(v)) choices.push({ value: v, label: formatFilterValue(a.id, v) });
    return choices;
  }

  #operators(): readonly FilterOperator[] {
    const a = this.attribute;
    if (!a) return [];
    const ops = operatorsFor(a.kind, (this.values?.length ?? 0) > 0);
    const current = this.#activeFilter()?.op;
    return current && !ops.includes(current) ? [...ops, current] : ops;
  }

  #inputKind(op: FilterOperator = this._op): InputKind {
    if (TEXT_ONLY_OPS.has(op)) return 'text';
    if (this.attribute?.kind === 'date' || DATE_ONLY_OPS.has(op)) return 'date';
    if (this.attribute?.kind === 'number') return 'number';
    return 'text';
  }

  /** Date inputs carry a time of day (`datetime-local`); `on` is always a whole day. */
  #timeActive(): boolean {
    return this._withTime && this._op !== 'on';
  }

  #resetFromFilter(): void {
    this.#touched = false;
    this._value = '';
    this._value2 = '';
    this._badInput = false;
    this._badInput2 = false;
    this._withTime = false;
    this._checked = new Set();
    if (!this.attribute) return;
    const f = this.#activeFilter();
    // A number filter is mostly a threshold (accuracy at least 0.9): a float rarely equals a typed value.
    this._op = f?.op ?? (this.attribute.kind === 'number' ? 'ge' : this.#operators()[0]) ?? 'eq';
    if (!f) return;
    if (f.op === 'in') {
      this._checked = new Set(filterValues(f).map(String));
      return;
    }
    const first = Array.isArray(f.value) ? f.value[0] : f.value;
    this._value = this.#toInputValue(first);
    this._value2 = this.#toInputValue(f.value2);
    this.#normalizeDates();
  }

  #toInputValue(v: string | number | undefined): string {
    if (v === undefined) return '';
    if (this.#inputKind() === 'date') {
      const iso = typeof v === 'number' ? new Date(v).toISOString() : v;
      if (DATE_TIME.test(iso)) {
        this._withTime = true;
        return toLocalInput(iso);
      }
      return iso;
    }
    return String(v);
  }

  /** Keeps date values in the form their inputs take: `2024-05-01` or `2024-05-01T00:00`. */
  #normalizeDates(): void {
    if (this.#inputKind() !== 'date') return;
    const fit = (v: string): string => (v === '' ? v : this.#timeActive() ? (v.length === 10 ? `${v}T00:00` : v) : v.slice(0, 10));
    this._value = fit(this._value);
    this._value2 = fit(this._value2);
  }

  #check(): Check {
    const op = this._op;
    if (op === 'empty' || op === 'notEmpty') return { ready: true };
    if (op === 'in') return this._checked.size > 0 ? { ready: true } : { ready: false, hint: 'Pick at least one value.' };
    const kind = this.#inputKind();
    if (kind === 'number' && (this._badInput || (op === 'between' && this._badInput2))) return { ready: false, message: 'Enter a number.' };
    if (op === 'between') return this._value !== '' || this._value2 !== '' ? { ready: true } : { ready: false, hint: 'Give a lower bound, an upper bound, or both.' };
    if (this._value === '') return { ready: false };
    if (op === 'matches') {
      const message = regexProblem(this._value);
      if (message) return { ready: false, message };
    }
    return { ready: true };
  }

  #convert(v: string): string | number {
    const kind = this.#inputKind();
    if (kind === 'number') return Number(v);
    if (kind === 'date' && this.#timeActive()) return fromLocalInput(v);
    return v;
  }

  /** The filter the form describes now. */
  #buildFilter(): ColumnFilter {
    const a = this.attribute as Attribute;
    const f: ColumnFilter = { attribute: a.id, op: this._op };
    switch (this._op) {
      case 'empty':
      case 'notEmpty':
        break;
      case 'in': {
        const numeric = a.kind === 'number';
        f.value = this.#choices()
          .filter((c) => this._checked.has(c.value))
          .map((c) => (numeric && c.value.trim() !== '' && Number.isFinite(Number(c.value)) ? Number(c.value) : c.value));
        break;
      }
      case 'between':
        if (this._value !== '') f.value = this.#convert(this._value);
        if (this._value2 !== '') f.value2 = this.#convert(this._value2);
        break;
      default:
        f.value = this.#convert(this._value);
    }
    return f;
  }

  // ---- Events ----

  #emit<T>(name: string, detail: T): void {
    /** @ignore */
    this.dispatchEvent(new CustomEvent<T>(name, { bubbles: true, composed: true, detail }));
  }

  #onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    if (!this.attribute || !this.#check().ready) return;
    this.#emit<FilterApplyDetail>('filter-apply', { filter: this.#buildFilter() });
  }

  #onClear(): void {
    if (this.attribute) this.#emit<FilterClearDetail>('filter-clear', { attribute: this.attribute.id });
  }

  #onCancel(): void {
    if (this.attribute) this.#emit<FilterCancelDetail>('filter-cancel', { attribute: this.attribute.id });
  }

  #onKeyDown(e: KeyboardEvent): void {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    this.#onCancel();
  }

  #onOperator(e: Event): void {
    this.#touched = true;
    this._op = (e.target as HTMLSelectElement).value as FilterOperator;
    this.#normalizeDates();
  }

  #onValue(e: Event, which: 1 | 2): void {
    this.#touched = true;
    const input = e.target as HTMLInputElement;
    if (which === 1) {
      this._value = input.value;
      this._badInput = input.validity.badInput;
    } else {
      this._value2 = input.value;
      this._badInput2 = input.validity.badInput;
    }
  }

  #onWithTime(e: Event): void {
    this.#touched = true;
    this._withTime = (e.target as HTMLInputElement).checked;
    this.#normalizeDates();
  }

  #onChoice(e: Event): void {
    this.#touched = true;
    const input = e.target as HTMLInputElement;
    const next = new Set(this._checked);
    if (input.checked) next.add(input.value);
    else next.delete(input.value);
    this._checked = next;
  }

  #setAll(all: boolean): void {
    this.#touched = true;
    this._checked = all ? new Set(this.#choices().map((c) => c.value)) : new Set();
  }

  // ---- Rendering ----

  protected override render() {
    const a = this.attribute;
    if (!a) return nothing;
    const check = this.#check();
    return html`
      <form part="form" aria-labelledby="heading" novalidate @submit=${this.#onSubmit} @keydown=${this.#onKeyDown}>
        <h2 part="heading" id="heading">Filter ${a.label}</h2>
        <div class="row">
          <label for="operator">Condition</label>
          <select id="operator" part="operator" @change=${this.#onOperator}>
            ${this.#operators().map((op) => html`<option value=${op} .selected=${live(op === this._op)}>${operatorLabel(op, a.kind)}</option>`)}
          </select>
        </div>
        ${this.#renderValues(check)}
        <p id="message" part="message" class=${check.message ? 'error' : 'hint'} aria-live="polite">${check.message ?? check.hint ?? ''}</p>
        <div part="buttons" class="buttons">
          <button part="apply" class="primary" type="submit" ?disabled=${!check.ready}>Apply</button>
          <button part="clear" type="button" @click=${this.#onClear}>Clear filter</button>
          <button part="cancel" type="button" @click=${this.#onCancel}>Cancel</button>
        </div>
      </form>
    `;
  }

  #renderValues(check: Check) {
    const op = this._op;
    if (op === 'empty' || op === 'notEmpty') return nothing;
    if (op === 'in') return this.#renderChoices();
    const kind = this.#inputKind();
    const type = kind === 'number' ? 'number' : kind === 'date' ? (this.#timeActive() ? 'datetime-local' : 'date') : 'text';
    const between = op === 'between';
    const invalid = check.message !== undefined;
    const input = (id: string, value: string, which: 1 | 2) =>
      html`<input
        id=${id}
        type=${type}
        step=${ifDefined(kind === 'number' ? 'any' : undefined)}
        autocomplete="off"
        spellcheck="false"
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby="message"
        .value=${live(value)}
        @input=${(e: Event) => this.#onValue(e, which)}
      />`;
    return html`
      <div part="values" class="values">
        <div class="row">
          <label for="value">${between ? 'From' : kind === 'date' ? 'Date' : op === 'matches' ? 'Pattern' : 'Value'}</label>
          ${input('value', this._value, 1)}
        </div>
        ${between
          ? html`<div class="row">
              <label for="value2">To</label>
              ${input('value2', this._value2, 2)}
            </div>`
          : nothing}
        ${kind === 'date' && op !== 'on'
          ? html`<label class="inline"><input type="checkbox" .checked=${live(this._withTime)} @change=${this.#onWithTime} /> Include time</label>`
          : nothing}
      </div>
    `;
  }

  #renderChoices() {
    const choices = this.#choices();
    return html`
      <fieldset part="choices" class="choices">
        <legend>Values</legend>
        <div class="choice-actions">
          <button type="button" @click=${() => this.#setAll(true)}>Select all</button>
          <button type="button" aria-label="Select none" @click=${() => this.#setAll(false)}>None</button>
        </div>
        <ul class="choice-list">
          ${choices.map(
            (c) =>
              html`<li>
                <label class="choice">
                  <input type="checkbox" .value=${c.value} .checked=${live(this._checked.has(c.value))} @change=${this.#onChoice} />
                  <span class="choice-label">${c.label}</span>
                  ${c.count === undefined ? nothing : html`<span class="count">${c.count.toLocaleString('en-US')}</span>`}
                </label>
              </li>`,
          )}
        </ul>
      </fieldset>
    `;
  }
}

declare global {
  interface HTMLElementEventMap {
    'filter-apply': CustomEvent<FilterApplyDetail>;
    'filter-clear': CustomEvent<FilterClearDetail>;
    'filter-cancel': CustomEvent<FilterCancelDetail>;
  }
}

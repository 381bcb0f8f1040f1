import { LitElement, css, html, type PropertyValues } from 'lit';
import { ExperimentContextProvider } from '../../context/provider.js';
import type { Experiment } from '../../data/types.js';
import { DataProperties } from '../data-properties.js';
import { ExperimentStore } from '../../store/experiment-store.js';
import { Selection } from '../../store/selection.js';
import { ViewStateModel } from '../../store/view-state.js';
import { DataLoadController } from '../experiment-dashboard/controllers/data-loading.js';

/**
 * Loads experiments once for every view inside it: an `<experiment-dashboard>`, an
 * `<experiment-row-detail experiment-id="…">`, an `<experiment-compare>` or a `<metric-chart>`
 * placed in it share its rows, one view state (search, filters, sort, grouping, columns) and one
 * selection, through `@lit/context`. It shows nothing itself (`display: contents`). A view's own
 * data attributes or properties win over the shared data.
 *
 * Data comes as for the dashboard: `src`, `endpoint`, `database`, `mlflow` (with `experiment`),
 * a child `<script type="application/json">` holding a collection, `.experiments` or `.source`.
 * Register it before the views inside it (`define.js` and the bundle do), so they find it when
 * they start.
 *
 * @summary Shares one load of experiments, one view state and one selection with the views inside it.
 *
 * @slot - The views that share the data.
 *
 * @event experiments-loaded - Data arrived. `detail: { experiments, problems }`.
 * @event source-error - The source failed. `detail: { error: SourceError }`; the views inside show the message.
 */
export class ExperimentData extends DataProperties(LitElement) {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  #store = new ExperimentStore();
  #data = new DataLoadController(this, this.#store);

  constructor() {
    super();
    new ExperimentContextProvider(this, { store: this.#store, viewState: new ViewStateModel(), selection: new Selection() });
  }

  /** The experiments loaded (after validation, before any view's filters). */
  get loadedExperiments(): readonly Experiment[] {
    return this.#store.experiments;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#data.update(changed);
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

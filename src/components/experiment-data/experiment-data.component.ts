import { LitElement, css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ExperimentContextProvider } from '../../context/provider.js';
import type { Experiment, ExperimentSource } from '../../data/types.js';
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
export class ExperimentData extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** URL of a format-v1 experiment collection (JSON). */
  @property() src?: string;

  /** Base URL of an HTTP experiment service (the REST contract in `openapi/`). */
  @property() endpoint?: string;

  /**
   * With `endpoint`: the server's access token for changes (`serve --token`), sent as
   * `Authorization: Bearer …` with deletes and restores only. Set it from script: it is never an
   * attribute, so it does not end up in the page's markup. A new token makes a new source.
   */
  @property({ attribute: false }) token?: string;

  /** Name of an IndexedDB database in this browser holding experiments. */
  @property() database?: string;

  /** Address of an MLflow tracking server (REST API 2.0), e.g. `http://localhost:5000`. */
  @property() mlflow?: string;

  /** With `mlflow`: comma-separated experiment names or ids to show (default: all active ones). */
  @property() experiment?: string;

  /**
   * The comparison metric, overriding the collection's default: `key`, `key:max` or `key:min`.
   * @attr main-metric
   */
  @property({ attribute: 'main-metric' }) mainMetric?: string;

  /**
   * How long a running run may stay silent (no heartbeat) before it shows as dead, overriding
   * the collection's `defaults.deadAfterMs`: milliseconds, or a duration such as `90s`, `10m`, `1h`.
   * @attr dead-after
   */
  @property({ attribute: 'dead-after' }) deadAfter?: string;

  /** Any adapter implementing `ExperimentSource`; takes precedence over `src` and `.experiments`. */
  @property({ attribute: false }) source?: ExperimentSource;

  /** Experiments given directly, as records or a whole collection object. */
  @property({ attribute: false }) experiments?: unknown;

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

import type { PropertyValues, ReactiveController, ReactiveControllerHost } from 'lit';
import { StaticSource } from '../../../data/static-source.js';
import type { Experiment, ExperimentSource, Problem, SourceError } from '../../../data/types.js';
import { parseDeadAfterAttribute } from '../../../shared/duration.js';
import { parseMainMetricAttribute } from '../../../shared/main-metric.js';
import type { ExperimentStore, StoreChangeEvent } from '../../../store/experiment-store.js';

export interface ExperimentsLoadedDetail {
  experiments: readonly Experiment[];
  problems: readonly Problem[];
}
export interface SourceErrorDetail {
  error: SourceError;
}

/** The data attributes and properties an element loads from (the dashboard, `<experiment-data>`). */
export interface DataInputs {
  src?: string | undefined;
  endpoint?: string | undefined;
  /** With `endpoint`: the server's access token for changes (a property only, never an attribute). */
  token?: string | undefined;
  database?: string | undefined;
  mlflow?: string | undefined;
  experiment?: string | undefined;
  mainMetric?: string | undefined;
  /** How long a running record may stay silent before it shows as dead: ms, or `90s`, `10m`, `1h`. */
  deadAfter?: string | undefined;
  source?: ExperimentSource | undefined;
  experiments?: unknown;
}

const SOURCE_INPUTS = ['source', 'experiments', 'src', 'endpoint', 'database', 'mlflow', 'experiment'] as const;

export const splitList = (v: string | null | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const inlineScript = (host: HTMLElement) => host.querySelector(':scope > script[type="application/json"]');

/** True when the element names data of its own (an attribute, a property, an inline script). */
export function hasOwnData(host: HTMLElement & DataInputs): boolean {
  return Boolean(host.source || host.experiments !== undefined || host.endpoint || host.database || host.mlflow || host.src || inlineScript(host));
}

/**
 * Turns an element's data attributes and properties into a source for its store and loads it;
 * fires `experiments-loaded` and `source-error` on the element. Call `update(changed)` from the
 * host's `willUpdate`.
 */
export class DataLoadController implements ReactiveController {
  #token = 0;
  #loadedOnce = false;
  #inlineText?: string;
  /**
   * The inline `<script type="application/json">` child may arrive after the element upgrades (a
   * classic script in <head> defines it before the parser reaches the children) or change later.
   */
  #observer = new MutationObserver(() => {
    const usesInline = !(this.host.source || this.host.experiments !== undefined || this.host.endpoint || this.host.database || this.host.mlflow || this.host.src);
    const text = inlineScript(this.host)?.textContent ?? undefined;
    if (usesInline && text !== undefined && text !== this.#inlineText) void this.load();
  });

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & DataInputs,
    readonly store: ExperimentStore,
    /** Called when the source changes, before it loads (e.g. back to the first page). */
    private readonly onSourceChange: () => void = () => undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer.observe(this.host, { childList: true, subtree: true, characterData: true });
    this.store.addEventListener('change', this.#onStoreChange);
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
    this.store.removeEventListener('change', this.#onStoreChange);
    this.store.pause();
  }

  update(changed: PropertyValues): void {
    // The token decides what the HTTP source offers (no delete without one), so a new one makes a new source.
    const newToken = changed.has('token') && this.#usesEndpoint();
    if (!this.#loadedOnce || newToken || SOURCE_INPUTS.some((k) => changed.has(k))) {
      this.#loadedOnce = true;
      void this.load();
    } else {
      if (changed.has('mainMetric')) this.store.setMainMetric(parseMainMetricAttribute(this.host.mainMetric));
      if (changed.has('deadAfter')) this.#setDeadAfter();
    }
  }

  #setDeadAfter(): void {
    this.store.setDeadAfter(parseDeadAfterAttribute(this.host.deadAfter, `<${this.host.localName}>`));
  }

  /** Resolves the source from the element's inputs and loads it (a newer call wins). */
  async load(): Promise<void> {
    const token = ++this.#token;
    const source = await this.#resolveSource();
    // A newer attribute change started another load while this one imported its source.
    if (token !== this.#token) return;
    if (source !== this.store.source) {
      // Sources made here from attributes are the store's to close; a user's `.source` is theirs.
      this.store.setSource(source, source !== this.host.source);
      this.onSourceChange();
    }
    this.store.setMainMetric(parseMainMetricAttribute(this.host.mainMetric));
    this.#setDeadAfter();
    await this.store.load();
  }

  #usesEndpoint(): boolean {
    const host = this.host;
    return Boolean(host.endpoint) && !host.source && host.experiments === undefined;
  }

  #onStoreChange = (ev: Event): void => {
    const { change } = ev as StoreChangeEvent;
    this.host.requestUpdate();
    const store = this.store;
    if (change.kind === 'reset' && change.cause === 'load') {
      this.host.dispatchEvent(new CustomEvent<ExperimentsLoadedDetail>('experiments-loaded', { bubbles: true, composed: true, detail: { experiments: store.experiments, problems: store.problems } }));
    } else if (change.kind === 'reset' && change.cause === 'error' && store.error) {
      this.host.dispatchEvent(new CustomEvent<SourceErrorDetail>('source-error', { bubbles: true, composed: true, detail: { error: store.error } }));
    }
  };

  /**
   * The HTTP, IndexedDB and MLflow sources are loaded when first used: a page showing a JSON file
   * does not download them (in the single-file bundle they are inline anyway).
   */
  async #resolveSource(): Promise<ExperimentSource | undefined> {
    const host = this.host;
    if (host.source) return host.source;
    if (host.experiments !== undefined) return new StaticSource({ data: host.experiments, label: 'the experiments property' });
    if (host.endpoint) {
      const { HttpSource } = await import('../../../data/http-source.js');
      return new HttpSource({ baseUrl: new URL(host.endpoint, document.baseURI).href, ...(host.token ? { token: host.token } : {}) });
    }
    if (host.database) {
      const { IndexedDbSource } = await import('../../../data/idb-source.js');
      return new IndexedDbSource(host.database);
    }
    if (host.mlflow) {
      const { MlflowSource } = await import('../../../data/mlflow-source.js');
      const wanted = splitList(host.experiment);
      // All-digit entries are experiment ids, the rest names.
      return new MlflowSource({ baseUrl: new URL(host.mlflow, document.baseURI).href, experimentIds: wanted.filter((w) => /^\d+$/.test(w)), experimentNames: wanted.filter((w) => !/^\d+$/.test(w)) });
    }
    if (host.src) return new StaticSource({ url: new URL(host.src, document.baseURI).href, label: host.src });
    const inline = inlineScript(host);
    this.#inlineText = inline?.textContent ?? undefined;
    if (inline) return new StaticSource({ text: inline.textContent ?? '', label: 'the inline <script type="application/json">' });
    return undefined;
  }
}

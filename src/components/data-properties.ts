import type { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { ExperimentSource } from '../data/types.js';
import type { DataInputs } from './experiment-dashboard/controllers/data-loading.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base takes any arguments (TypeScript's mixin rule)
type Constructor<T> = new (...args: any[]) => T;

/**
 * The data attributes and properties of an element that loads experiments (`<experiment-dashboard>`,
 * `<experiment-data>`), written once (Lit's mixin pattern).
 */
export const DataProperties = <T extends Constructor<LitElement>>(superClass: T) => {
  class DataPropertiesElement extends superClass {
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

    /** Name of an IndexedDB database in this browser holding experiments (a dashboard imports files into it). */
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
  }
  // Typed by its public side: the declarations of an exported class expression cannot name LitElement's private members.
  return DataPropertiesElement as Constructor<DataInputs> & T;
};

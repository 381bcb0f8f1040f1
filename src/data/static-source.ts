import { formatProblem, parseCollectionAsync, type ParseResult } from './parse.js';
import { SourceError, type Experiment, type ExperimentSource, type Page, type Query, type Series } from './types.js';

export interface StaticSourceInit {
  /** URL of a format-v1 collection file (relative URLs resolve against the page). */
  url?: string | URL;
  /** The collection as JSON text (e.g. from an inline `<script type="application/json">`). */
  text?: string;
  /** A collection object, or an array of experiments. */
  data?: unknown;
  /** Where inline data came from, for messages. */
  label?: string;
  /** Injected fetch (tests, auth wrappers). */
  fetch?: typeof fetch;
}

/**
 * A read-only source over one collection document: from a URL, from JSON text or from objects.
 * Loads once; filtering, sorting and grouping happen in the table.
 */
export class StaticSource implements ExperimentSource {
  readonly capabilities = { delete: false, live: false, serverQuery: false, history: true };
  readonly label: string;
  readonly #init: StaticSourceInit;
  /**
   * The records of the last load. `get` looks an id up with a linear scan (about 1 ms at
   * 100,000 records, once per detail opened) rather than keeping a 100,000-entry Map alive.
   */
  #records: readonly Experiment[] = [];

  constructor(init: StaticSourceInit) {
    if (init.url === undefined && init.text === undefined && init.data === undefined) {
      throw new TypeError('StaticSource needs one of url, text or data.');
    }
    this.#init = init;
    this.label = init.label ?? (init.url !== undefined ? String(init.url) : 'inline data');
  }

  async load(_query: Query = {}, signal?: AbortSignal): Promise<Page> {
    const { url, text, data } = this.#init;
    let parsed: ParseResult;
    if (url !== undefined) parsed = await this.#parse(await this.#fetchText(String(url), signal), signal);
    else parsed = await this.#parse(text ?? data, signal);
    this.#records = parsed.experiments;
    const page: Page = { experiments: parsed.experiments, total: parsed.experiments.length, problems: parsed.problems, defaults: parsed.defaults };
    if (parsed.generatedAt) page.generatedAt = parsed.generatedAt;
    return page;
  }

  async get(id: string): Promise<Experiment> {
    const e = this.#records.find((x) => x.id === id);
    if (!e) throw new SourceError('not-found', `No experiment with id ${JSON.stringify(id)} in ${this.label}.`, { location: this.label });
    return e;
  }

  async history(id: string, metric: string): Promise<Series> {
    const h = (await this.get(id)).metrics?.[metric]?.history;
    if (!h) throw new SourceError('not-found', `Experiment ${JSON.stringify(id)} has no history for metric ${JSON.stringify(metric)} in ${this.label}.`, { location: this.label });
    return h;
  }

  async #parse(input: unknown, signal?: AbortSignal): Promise<ParseResult> {
    try {
      const result = await parseCollectionAsync(input, { origin: this.label }, signal);
      const fatal = result.problems.find((p) => p.index === undefined && p.severity === 'error');
      if (fatal && result.experiments.length === 0) {
        throw new SourceError('schema', `${this.label} is not an experiment collection: ${formatProblem(fatal)}.`, { location: this.label });
      }
      return result;
    } catch (err) {
      if (err instanceof SourceError) throw err;
      if (signal?.aborted) throw new SourceError('aborted', `Loading ${this.label} was cancelled.`, { location: this.label, cause: err });
      throw new SourceError('parse', (err as Error).message, { location: this.label, cause: err });
    }
  }

  async #fetchText(url: string, signal?: AbortSignal): Promise<string> {
    const doFetch = this.#init.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(url, signal ? { signal } : {});
    } catch (err) {
      if (signal?.aborted) throw new SourceError('aborted', `Loading ${url} was cancelled.`, { location: url, cause: err });
      // A page opened from disk, or a file: address, cannot fetch; the browser says only "Failed to fetch".
      const fromDisk = globalThis.location?.protocol === 'file:';
      if (fromDisk || isFileUrl(url)) {
        const why = fromDisk ? 'this page was opened from disk (file://), and browsers do not let such a page fetch files' : 'it is a file on disk (file://), and browsers do not let a page fetch files';
        throw new SourceError(
          'network',
          `Could not load ${fileName(url)}: ${why}. Serve the folder over HTTP (for example \`npx experiment-dashboard serve\` or \`python3 -m http.server\`), or put the data inside the element in a <script type="application/json">.`,
          { location: url, cause: err },
        );
      }
      throw new SourceError('network', `Could not reach ${url} (${(err as Error).message}). Check the address and your connection.`, { location: url, cause: err });
    }
    if (!response.ok) {
      const what = response.status === 404 ? 'the file was not found' : response.status === 401 || response.status === 403 ? 'you are not allowed to read it' : 'the server failed';
      throw new SourceError(response.status === 404 ? 'not-found' : response.status === 401 || response.status === 403 ? 'not-allowed' : 'http', `${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}: ${what}.`, {
        location: url,
        status: response.status,
      });
    }
    try {
      return await response.text();
    } catch (err) {
      if (signal?.aborted) throw new SourceError('aborted', `Loading ${url} was cancelled.`, { location: url, cause: err });
      throw new SourceError('network', `The connection broke while reading ${url} (${(err as Error).message}). Try again.`, { location: url, cause: err });
    }
  }
}

/** The file's name in a message: the page's folder is not news to its user, and a long path hides the point. */
function fileName(url: string): string {
  try {
    return decodeURIComponent(new URL(url, globalThis.document?.baseURI).pathname.split('/').pop() || url);
  } catch {
    return url;
  }
}

function isFileUrl(url: string): boolean {
  try {
    return new URL(url, globalThis.document?.baseURI).protocol === 'file:';
  } catch {
    return false; // relative, and no page to resolve it against
  }
}

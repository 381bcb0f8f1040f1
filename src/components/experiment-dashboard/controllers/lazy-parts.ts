import type { ReactiveControllerHost } from 'lit';

/** What a lazily loaded part of the element is called in an error message. */
export type PartName =
  | 'the grouping control'
  | 'the filter descriptions'
  | 'the experiment details'
  | 'the column chooser'
  | 'the filter editor'
  | 'the comparison'
  | 'the export menu'
  | 'the import'
  | 'the page controls'
  | 'the live status'
  | 'the delete controls'
  | 'the problem list'
  | 'the menus'
  | 'the nesting of child runs'
  | 'the keyboard controls';

/** What a loader of a part resolves to. */
export type Loaded<F extends () => Promise<unknown>> = Awaited<ReturnType<F>>;

/** Parts loaded by any element of the page. */
const loadedParts = new Map<PartName, unknown>();

/**
 * The parts of the element that showing rows does not need, each loaded once, when its moment
 * comes. A failure (a lost connection, a deployment that replaced the files) is said in the
 * element, never silent; the browser keeps a failed module load for the life of the page, so
 * it is not asked again. What one element loaded, the others on the page have at once.
 */
export class LazyParts {
  #loads = new Map<PartName, Promise<unknown>>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onError: (message: string) => void,
  ) {}

  /** Loads a part (once); resolves to undefined when it could not load. */
  load<T>(part: PartName, load: () => Promise<T>): Promise<T | undefined> {
    let loading = this.#loads.get(part) as Promise<T | undefined> | undefined;
    if (!loading) {
      loading = load().then(
        (loaded) => {
          loadedParts.set(part, loaded);
          this.host.requestUpdate();
          return loaded;
        },
        (err: unknown) => {
          this.onError(`Could not load ${part} (${err instanceof Error ? err.message : String(err)}). Reload the page once the server it came from can be reached again.`);
          return undefined;
        },
      );
      this.#loads.set(part, loading);
    }
    return loading;
  }

  /** The part when it is there; otherwise starts loading it, and the host renders again once it came. */
  get<T>(part: PartName, load: () => Promise<T>): T | undefined {
    if (!loadedParts.has(part)) void this.load(part, load);
    return loadedParts.get(part) as T | undefined;
  }

  /** The part if it came, without asking for it. */
  loaded<T>(part: PartName): T | undefined {
    return loadedParts.get(part) as T | undefined;
  }
}

import { adoptStyles, supportsAdoptingStyleSheets, type CSSResult, type ReactiveControllerHost } from 'lit';

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

/**
 * What a part's module may export beside its code: the rules that style only that part. They
 * join the element's shadow root when the part comes, before it first renders (no flash of
 * unstyled content), after the element's own stylesheet (the cascade order of one sheet).
 */
export interface PartModule {
  partStyles?: CSSResult | readonly CSSResult[];
}

/**
 * Adds `styles` to a shadow root after what it has, each sheet once. Constructable stylesheets
 * are not inline styles, so a CSP without 'unsafe-inline' allows them; where a browser has none,
 * Lit's fallback writes `<style>` elements carrying the page's nonce (`window.litNonce`).
 */
export function adoptPartStyles(root: HTMLElement | DocumentFragment, styles: CSSResult | readonly CSSResult[]): void {
  if (!(root instanceof ShadowRoot)) return;
  const list = Array.isArray(styles) ? (styles as readonly CSSResult[]) : [styles as CSSResult];
  if (!supportsAdoptingStyleSheets) return adoptStyles(root, [...list]);
  const sheets = list.map((s) => s.styleSheet).filter((s): s is CSSStyleSheet => s !== undefined && !root.adoptedStyleSheets.includes(s));
  if (sheets.length > 0) root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets];
}

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
  /** Parts whose styles this element has. */
  #styled = new Set<PartName>();

  constructor(
    private readonly host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment },
    private readonly onError: (message: string) => void,
  ) {}

  /** Loads a part (once); resolves to undefined when it could not load. */
  load<T>(part: PartName, load: () => Promise<T>): Promise<T | undefined> {
    let loading = this.#loads.get(part) as Promise<T | undefined> | undefined;
    if (!loading) {
      loading = load().then(
        (loaded) => {
          loadedParts.set(part, loaded);
          this.#style(part);
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
    return this.loaded(part);
  }

  /** The part if it came, without asking for it. */
  loaded<T>(part: PartName): T | undefined {
    // Another element may have loaded it: its styles join this element before it renders.
    this.#style(part);
    return loadedParts.get(part) as T | undefined;
  }

  #style(part: PartName): void {
    // The shadow root is made on the first connection: a part that came before waits for it.
    const root = this.host.renderRoot as HTMLElement | DocumentFragment | undefined;
    if (!root || this.#styled.has(part) || !loadedParts.has(part)) return;
    this.#styled.add(part);
    const styles = (loadedParts.get(part) as PartModule | undefined)?.partStyles;
    if (styles) adoptPartStyles(root, styles);
  }
}

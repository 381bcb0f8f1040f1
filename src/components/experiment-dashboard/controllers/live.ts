import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { MAX_LABEL_LENGTH, clipText } from '../../../data/format.js';
import type { ViewState } from '../../../data/view-state.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';
import { statusLineStyles } from './status-line.styles.js';

/** Adopted when the live status loads (LazyParts). */
export const partStyles = [
  statusLineStyles,
  css`
  .live,
  .coverage {
    color: var(--_muted);
  }
  .coverage {
    margin: 0;
    padding: 0 8px 6px;
  }
  `,
];

/** 14:02:11, the reader's clock. */
const clock = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });

/** "12 s", "3 min", "2 h": how long ago, or how long until. */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}

/**
 * The live state of the store's source, said in the element: a status line while the server
 * cannot be reached (rows stay; "Retry now"), "Updated 12 s ago" with Pause/Resume for a live
 * source, and a note when the server could not run the whole query. The times count every
 * second, only while the element is on screen and the page visible.
 */
export class LiveController implements ReactiveController {
  #timer?: ReturnType<typeof setInterval>;
  #onScreen = true;
  #observer?: IntersectionObserver;
  #describeFilter?: typeof import('../../experiment-filter-editor/describe-filter.js').describeFilter;
  #describeLoad?: Promise<void>;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly store: () => ExperimentStore,
    private readonly opts: { view: () => ViewState; labelOf: (attribute: string) => string },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer ??= new IntersectionObserver((entries) => {
      this.#onScreen = entries.some((e) => e.isIntersecting);
      if (this.#onScreen) this.host.requestUpdate();
    });
    this.#observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#tick(false);
  }

  hostUpdated(): void {
    const store = this.store();
    // A clock to count only while something shows a time.
    this.#tick(store.connection?.status === 'offline' || (store.live && !store.livePaused && store.status === 'complete'));
  }

  #tick(on: boolean): void {
    if (on && !this.#timer) {
      this.#timer = setInterval(() => {
        if (this.#onScreen && document.visibilityState === 'visible') this.host.requestUpdate();
      }, 1000);
    } else if (!on && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** The connection line (offline, or a view that could not be refreshed), when there is one. */
  renderConnection() {
    const store = this.store();
    const connection = store.connection;
    const offline = connection?.status === 'offline';
    const stale = store.refreshError;
    if (!offline && !stale) return nothing;
    const now = Date.now();
    const where = store.source?.label ?? 'the server';
    const last = store.lastUpdated;
    const retry = offline && connection.retryAt !== undefined ? ` Retrying in ${span(connection.retryAt - now)}.` : '';
    return html`<div part="connection" class="connection" role="status">
      <p>
        ${offline ? html`<strong>Offline:</strong> the server at ${where} cannot be reached.` : html`<strong>The view could not be refreshed:</strong> ${stale?.message}`}
        ${offline && stale ? ' The view could not be refreshed: the rows shown are from before it changed, and it refreshes when the server answers.' : ''}
        ${last !== undefined ? ` Last updated ${clock(last)}.` : ''}${retry}
      </p>
      <button type="button" @click=${() => void store.reconnect()}>Retry now</button>
    </div>`;
  }

  /** "Updated 12 s ago" and Pause/Resume, for a source that sends live changes. */
  renderLive() {
    const store = this.store();
    if (!store.live || store.status === 'initial' || store.error) return nothing;
    const paused = store.livePaused;
    const connection = store.connection;
    const last = store.lastUpdated;
    const words = paused
      ? 'Live updates paused.'
      : connection?.status === 'online' && connection.transport === 'sse'
        ? 'Live.'
        : last !== undefined
          ? `Updated ${span(Date.now() - last)} ago.`
          : '';
    return html`<div class="live" part="live">
      <span>${words}</span>
      <button type="button" class="live-toggle" aria-pressed=${paused} @click=${() => (paused ? void store.resumeLive() : store.pauseLive())}>${paused ? 'Resume' : 'Pause'}</button>
    </div>`;
  }

  /** What the server could not do of the query, in one short note (next to the pager). */
  renderCoverage() {
    const store = this.store();
    const { localFilters, partial, scanned, totalIsLowerBound } = store.coverage;
    if (!localFilters?.length && !partial && !totalIsLowerBound) return nothing;
    const over = partial ? (scanned !== undefined ? `the first ${scanned.toLocaleString('en-US')} runs` : 'the first runs the server sent') : 'what the server sent';
    const parts: string[] = [];
    if (localFilters?.length) parts.push(`Filtered in the browser over ${over}: ${this.#describe(localFilters)}.`);
    else if (partial) parts.push(`Only ${over} were searched.`);
    if (partial) parts.push('Matches beyond them are missing; filters the server can run narrow the search.');
    if (totalIsLowerBound) parts.push(`At least ${(store.total ?? store.experiments.length).toLocaleString('en-US')} match; the server does not count them all.`);
    return html`<p class="coverage" part="coverage">${parts.join(' ')}</p>`;
  }

  /** The filters that ran in the browser, worded as the chips word them (that code loads with the first filter). */
  #describe(ids: readonly string[]): string {
    const describe = this.#describeFilter;
    if (!describe) {
      this.#describeLoad ??= import('../../experiment-filter-editor/describe-filter.js').then(
        (m) => {
          this.#describeFilter = m.describeFilter;
          this.host.requestUpdate();
        },
        () => undefined, // said plainly (attribute ids) without it
      );
    }
    const { search, filters } = this.opts.view();
    return ids
      .map((id) => {
        if (id === 'search') return `search “${clipText(search, MAX_LABEL_LENGTH)}”`;
        if (id === 'sort') return 'the sort';
        const filter = filters.find((f) => f.attribute === id);
        const label = this.opts.labelOf(id);
        return filter && describe ? clipText(describe(filter, label), MAX_LABEL_LENGTH * 2) : label;
      })
      .join('; ');
  }
}

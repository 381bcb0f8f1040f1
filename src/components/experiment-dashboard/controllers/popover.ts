import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Attribute } from '../../../data/attributes.js';
import type { Experiment } from '../../../data/types.js';

export type Popover =
  | { kind: 'columns'; anchor: HTMLElement }
  | { kind: 'export'; anchor: HTMLElement }
  | { kind: 'filter'; anchor: HTMLElement; attribute: Attribute }
  | { kind: 'cell'; anchor: HTMLElement; attribute: Attribute; experiment: Experiment };

/**
 * The one floating panel of the element (column chooser, filter editor, export and cell menus):
 * loads what it shows first, places it under its anchor, moves focus into it, and closes on
 * Escape (focus back to the opener) or a press outside.
 */
export class PopoverController implements ReactiveController {
  #current?: Popover;
  #opener?: HTMLElement;
  #onDocPointer = (ev: Event) => {
    const current = this.#current;
    if (!current) return;
    const path = ev.composedPath();
    const pop = this.host.renderRoot.querySelector('[part="popover"]');
    if (pop && !path.includes(pop) && !path.includes(current.anchor)) this.close(false);
  };
  /** Closes the panel on Escape; put on the toolbar and the panel. */
  readonly onKeydown = (ev: KeyboardEvent): void => {
    if (ev.key === 'Escape' && this.#current) {
      ev.stopPropagation();
      this.close();
    }
  };

  constructor(private readonly host: ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment }) {
    host.addController(this);
  }

  get current(): Popover | undefined {
    return this.#current;
  }

  hostConnected(): void {
    document.addEventListener('pointerdown', this.#onDocPointer, true);
  }

  hostDisconnected(): void {
    document.removeEventListener('pointerdown', this.#onDocPointer, true);
  }

  /** Opens `p` once `load` (the code of what it shows) resolved to something. */
  open(p: Popover, load?: Promise<unknown>): void {
    if (load) {
      void load.then((loaded) => loaded && this.#show(p));
      return;
    }
    this.#show(p);
  }

  close(restoreFocus = true): void {
    this.#current = undefined;
    if (restoreFocus && this.#opener?.isConnected) this.#opener.focus();
    this.#opener = undefined;
    this.host.requestUpdate();
  }

  render(body: (p: Popover) => TemplateResult | undefined) {
    const p = this.#current;
    return p ? html`<div part="popover" class="popover popover-${p.kind}" @keydown=${this.onKeydown}>${body(p)}</div>` : nothing;
  }

  #show(p: Popover): void {
    this.#opener = p.anchor;
    this.#current = p;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => {
      const pop = this.host.renderRoot.querySelector<HTMLElement>('[part="popover"]');
      if (!pop) return;
      const host = this.host.getBoundingClientRect();
      const a = p.anchor.getBoundingClientRect();
      const left = Math.max(0, Math.min(a.left - host.left, host.width - pop.offsetWidth - 4));
      pop.style.left = `${left}px`;
      pop.style.top = `${a.bottom - host.top + 2}px`;
      pop.querySelector<HTMLElement>('experiment-filter-editor, experiment-column-chooser, button')?.focus();
    });
  }
}

/**
 * The experiments a user picked (the table's checked rows), shared by the views of a page: a
 * comparison or a plot beside the table follows it. Fires `change` when it changes.
 */
export class Selection extends EventTarget {
  #ids: readonly string[] = [];

  get ids(): readonly string[] {
    return this.#ids;
  }

  set(ids: readonly string[]): void {
    if (ids.length === this.#ids.length && ids.every((id, i) => id === this.#ids[i])) return;
    this.#ids = [...ids];
    this.dispatchEvent(new Event('change'));
  }
}

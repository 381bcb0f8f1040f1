import { html, type TemplateResult } from 'lit';

/** A name with a run this long between separators may also break inside the run (else it overflows). */
export const UNBROKEN_NAME_LIMIT = 40;

/**
 * A parameter or metric name as text that wraps only after `.`, `_`, `-` or `/` (a `<wbr>` after
 * each), so "accuracy" never becomes "accura / cy". The class `name` keeps words whole; `name-long`
 * (a run of more than 40 characters without a separator) lets that run break anywhere. The style
 * rules are in `detailBaseStyles`.
 */
export function breakableName(name: string): TemplateResult {
  const parts = name.split(/(?<=[._\-/])/);
  const long = parts.some((p) => p.length > UNBROKEN_NAME_LIMIT);
  return html`<span class=${long ? 'name name-long' : 'name'}>${parts.map((p, i) => (i === 0 ? p : html`<wbr />${p}`))}</span>`;
}

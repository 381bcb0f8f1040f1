const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `90s`, `10m`, `1h` or `250ms` into milliseconds; a bare number is in
 * `bare` units (the `dead-after` attribute: milliseconds; the command line's `--dead-after`:
 * seconds). Undefined when the text is not a positive duration, so the caller can say where.
 */
export function parseDuration(text: string, bare: 'ms' | 's' = 'ms'): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[(m[2] ?? bare).toLowerCase()]!;
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/**
 * The `dead-after` attribute in milliseconds; undefined when absent. A value that is not a
 * duration is reported on the console (naming the element) and ignored.
 */
export function parseDeadAfterAttribute(value: string | undefined | null, where: string): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) console.warn(`${where}: dead-after="${value}" is not a duration like 90s, 10m, 1h or a number of milliseconds; the collection's limit is used.`);
  return ms;
}

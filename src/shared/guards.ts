/** Small type guards shared by the data layer, the elements and the command line. */

/** A plain JSON object: not null, not an array. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

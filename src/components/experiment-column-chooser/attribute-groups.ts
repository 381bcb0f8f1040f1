import type { Attribute, AttributeCategory } from '../../data/attributes.js';

/** Categories in the order the column chooser and the group picker list them. */
export const CATEGORY_ORDER: readonly AttributeCategory[] = ['experiment', 'metrics', 'parameters', 'host', 'git', 'dependencies', 'tags', 'labels'];

export const CATEGORY_LABELS: Readonly<Record<AttributeCategory, string>> = {
  experiment: 'Experiment',
  metrics: 'Metrics',
  parameters: 'Parameters',
  host: 'Host',
  git: 'Git',
  dependencies: 'Dependencies',
  tags: 'Tags',
  labels: 'Labels',
};

export interface AttributeGroup {
  category: AttributeCategory;
  label: string;
  attributes: Attribute[];
}

/** The attributes by category, in {@link CATEGORY_ORDER}, catalogue order kept inside each; empty categories left out. */
export function groupByCategory(attributes: readonly Attribute[]): AttributeGroup[] {
  const buckets = new Map<AttributeCategory, Attribute[]>(CATEGORY_ORDER.map((c) => [c, []]));
  for (const a of attributes) buckets.get(a.category)?.push(a);
  return CATEGORY_ORDER.map((category) => ({ category, label: CATEGORY_LABELS[category], attributes: buckets.get(category) ?? [] })).filter((g) => g.attributes.length > 0);
}

/**
 * A predicate for the search box: every whitespace-separated term must occur in the label or
 * the id, ignoring case. An empty search matches everything.
 */
export function attributeMatcher(search: string): (a: Attribute) => boolean {
  const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return () => true;
  return (a) => {
    const text = `${a.label}\u0001${a.id}`.toLowerCase();
    return terms.every((t) => text.includes(t));
  };
}

/** Shows the id next to the label only when it says something the label does not. */
export const idDiffersFromLabel = (a: Attribute): boolean => a.id.toLowerCase() !== a.label.toLowerCase();

import type { Context } from '@lit/context';
import type { ExperimentStore } from '../store/experiment-store.js';
import type { Selection } from '../store/selection.js';
import type { ViewStateModel } from '../store/view-state.js';

// Keys as @lit/context's createContext makes them (it returns the key): written out so that
// importing a key does not load @lit/context into the table bundle (see request.ts).
const key = <T>(name: string) => Symbol.for(`experiment-dashboard.${name}`) as Context<symbol, T>;

/**
 * What `<experiment-data>` and `<experiment-dashboard>` provide to the views inside them
 * (`@lit/context`). An element's own attributes and properties win over these.
 */
export const storeContext = key<ExperimentStore | undefined>('store');
export const viewStateContext = key<ViewStateModel | undefined>('view-state');
/** The instant running durations count up to (a snapshot's `generatedAt`, ms); undefined: the clock. */
export const clockContext = key<number | undefined>('clock');
export const selectionContext = key<Selection | undefined>('selection');

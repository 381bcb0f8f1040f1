import { createContext } from '@lit/context';
import type { ExperimentStore } from '../store/experiment-store.js';
import type { Selection } from '../store/selection.js';
import type { ViewStateModel } from '../store/view-state.js';

/**
 * What `<experiment-data>` and `<experiment-dashboard>` provide to the views inside them
 * (`@lit/context`). An element's own attributes and properties win over these.
 */
export const storeContext = createContext<ExperimentStore | undefined>(Symbol.for('experiment-dashboard.store'));
export const viewStateContext = createContext<ViewStateModel | undefined>(Symbol.for('experiment-dashboard.view-state'));
/** The instant running durations count up to (a snapshot's `generatedAt`, ms); undefined: the clock. */
export const clockContext = createContext<number | undefined>(Symbol.for('experiment-dashboard.clock'));
export const selectionContext = createContext<Selection | undefined>(Symbol.for('experiment-dashboard.selection'));

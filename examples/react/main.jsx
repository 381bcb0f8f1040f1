// A React 19 app using <experiment-dashboard>. React 19 passes a prop to a custom element as a
// property when the element has one (`experiments` takes an array or a whole collection), as an
// attribute otherwise (`main-metric`), and turns `on<event-name>` props into event listeners.
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
// Registers the elements (import it once, before the first render) ...
import 'experiment-dashboard/define.js';
// ... and the library's functions, here the sample-data generator.
import { generateCollection } from 'experiment-dashboard';

const collection = generateCollection({ n: 40, seed: 7, historyPoints: 10 });

function App() {
  const dashboard = useRef(null);
  const [lastEvent, setLastEvent] = useState('No event yet.');

  // The other way, which also works in React 18: a ref and addEventListener in an effect.
  useEffect(() => {
    const element = dashboard.current;
    const onToggle = (event) => {
      const { experiment, expanded } = event.detail;
      setLastEvent(`experiment-toggle: ${experiment.name ?? experiment.id} ${expanded ? 'opened' : 'closed'}`);
    };
    element.addEventListener('experiment-toggle', onToggle);
    return () => element.removeEventListener('experiment-toggle', onToggle);
  }, []);

  return (
    <main>
      <h1>Experiments</h1>
      <experiment-dashboard
        ref={dashboard}
        experiments={collection}
        main-metric="val_accuracy:max"
        onexperiments-loaded={(event) => setLastEvent(`experiments-loaded: ${event.detail.experiments.length} experiments`)}
        style={{ display: 'block', height: '480px' }}
      />
      <p id="last-event" role="status">
        {lastEvent}
      </p>
    </main>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

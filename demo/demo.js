// The demo page: seeded sample data through any of the three sources.
// URL: ?n=500&seed=42&theme=dark&source=static|indexeddb|http
const { generateCollection, IndexedDbSource } = window.ExperimentDashboard;
const params = new URLSearchParams(location.search);
const n = Math.max(0, Math.min(200000, Number(params.get('n') ?? 500) || 0));
const seed = Number(params.get('seed') ?? 42) || 42;
const theme = params.get('theme') ?? 'light';
const sourceKind = params.get('source') ?? 'static';
const apiUrl = params.get('api') ?? `${location.protocol}//${location.hostname}:8010/`;

const dashboard = document.getElementById('dashboard');
document.getElementById('count').value = String(n);
document.getElementById('theme').value = theme;
document.getElementById('source').value = sourceKind;
dashboard.theme = theme;

// Large sets keep short histories so the page stays light.
const sample = () => generateCollection({ n, seed, historyPoints: n > 20000 ? 0 : n > 2000 ? 10 : 30 });

if (sourceKind === 'http') {
  dashboard.endpoint = apiUrl;
} else if (sourceKind === 'indexeddb') {
  const source = new IndexedDbSource('experiment-dashboard-demo');
  const first = await source.load({});
  // First visit: fill this browser's database with the sample, then the dashboard reads it.
  if (first.experiments.length === 0) await source.importCollection(sample());
  dashboard.source = source;
} else {
  dashboard.experiments = sample();
}

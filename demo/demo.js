// The demo page: seeded sample data, count and theme from the URL (?n=500&seed=42&theme=dark).
const params = new URLSearchParams(location.search);
const n = Math.max(0, Math.min(200000, Number(params.get('n') ?? 500) || 0));
const seed = Number(params.get('seed') ?? 42) || 42;
const theme = params.get('theme') ?? 'light';

const dashboard = document.getElementById('dashboard');
document.getElementById('count').value = String(n);
document.getElementById('theme').value = theme;
dashboard.theme = theme;
// Large sets keep short histories so the page stays light.
const { generateCollection } = window.ExperimentDashboard;
dashboard.experiments = generateCollection({ n, seed, historyPoints: n > 20000 ? 0 : n > 2000 ? 10 : 30 });

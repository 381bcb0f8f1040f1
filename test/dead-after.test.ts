import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import '../src/components/experiment-data/experiment-data.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { ExperimentData } from '../src/components/experiment-data/experiment-data.component.js';
import { parseCollection } from '../src/data/parse.js';
import { parseDuration } from '../src/shared/duration.js';
import { cellTexts, waitForRows } from './helpers.js';

const sized = 'height: 400px; width: 1200px; display: block';
// A snapshot taken at noon: the run beat 5 minutes before it, the other an hour before.
const collection = () => ({
  kind: 'ExperimentCollection',
  schemaVersion: '1.0',
  generatedAt: '2026-01-01T12:00:00Z',
  experiments: [
    { id: 'quiet', status: 'running', times: { started: '2026-01-01T10:00:00Z', heartbeat: '2026-01-01T11:55:00Z' } },
    { id: 'gone', status: 'running', times: { started: '2026-01-01T10:00:00Z', heartbeat: '2026-01-01T11:00:00Z' } },
  ],
});
const statusOf = (el: ExperimentDashboard, id: string) => cellTexts(el).find((r) => r.includes(id))?.[0];

describe('dead-after', () => {
  it('parses milliseconds and durations, once, for the attribute and the command line', () => {
    expect(parseDuration('600000')).to.equal(600_000);
    expect(parseDuration('90s')).to.equal(90_000);
    expect(parseDuration('10m')).to.equal(600_000);
    expect(parseDuration('1h')).to.equal(3_600_000);
    expect(parseDuration('300', 's')).to.equal(300_000);
    for (const bad of ['', 'soon', '-5m', '0', '10 days']) expect(parseDuration(bad), bad).to.equal(undefined);
  });

  it('parseCollection: the deadAfterMs option overrides the collection default', () => {
    const withDefault = { ...collection(), defaults: { deadAfterMs: 60_000 } };
    expect(parseCollection(withDefault).experiments.map((e) => e.status)).to.deep.equal(['dead', 'dead']);
    expect(parseCollection(withDefault, { deadAfterMs: 600_000 }).experiments.map((e) => e.status)).to.deep.equal(['running', 'dead']);
  });

  it('a run silent for 5 minutes shows Running with dead-after="10m", Dead without, and follows the attribute', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} dead-after="10m" .experiments=${collection()}></experiment-dashboard>`);
    await waitForRows(el, 2);
    expect(statusOf(el, 'quiet')).to.equal('Running');
    expect(statusOf(el, 'gone')).to.equal('Dead');
    el.removeAttribute('dead-after');
    await waitUntil(() => statusOf(el, 'quiet') === 'Dead', 'dead with the default limit (2 min)');
    el.setAttribute('dead-after', '600000');
    await waitUntil(() => statusOf(el, 'quiet') === 'Running', 'alive again with 600000 ms');
    expect(statusOf(el, 'gone')).to.equal('Dead');
  });

  it('without dead-after the collection default holds', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} .experiments=${collection()}></experiment-dashboard>`);
    await waitForRows(el, 2);
    expect(statusOf(el, 'quiet')).to.equal('Dead');
  });

  it('<experiment-data dead-after> judges the shared rows', async () => {
    const root = await fixture<ExperimentData>(html`<experiment-data dead-after="1h" .experiments=${collection()}>
      <experiment-dashboard style=${sized}></experiment-dashboard>
    </experiment-data>`);
    const dashboard = root.querySelector('experiment-dashboard')!;
    await waitForRows(dashboard, 2);
    expect(root.loadedExperiments.map((e) => e.status)).to.deep.equal(['running', 'running']);
    expect(statusOf(dashboard, 'gone')).to.equal('Running');
  });
});

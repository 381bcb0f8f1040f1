import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { Experiment } from '../src/data/types.js';

// <experiment-dashboard mlflow> against recorded MLflow 3.3 answers (server/mlflow-replay.mjs):
// the element sends its view to the source, and the source sends it to MLflow.

interface Sent {
  method: string;
  path: string;
  body: string;
  seq?: number;
}

let replayUrl: string;
before(async () => {
  replayUrl = ((await (await fetch('/__mlflow-replay')).json()) as { url: string }).url;
});

describe('<experiment-dashboard mlflow> on a replayed MLflow 3.3 server', () => {
  it('sends its filters to MLflow as runs/search filters, page after page of the view', async () => {
    const session = `dash-${Math.random().toString(36).slice(2, 8)}`;
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard page-size="1000" experiment="1,2"></experiment-dashboard>`);
    el.setViewState({ filters: [{ attribute: 'status', op: 'eq', value: 'failed' }] });
    const loaded = oneEvent(el, 'experiments-loaded');
    el.mlflow = `${replayUrl}/3.3/${session}/`;
    const first = (await loaded) as CustomEvent<{ experiments: Experiment[] }>;
    expect(first.detail.experiments.map((e) => e.name).sort()).to.deep.equal(['bert-base-lr5e-05-ep4', 'resnet50-sgd-lr0.01']);

    const filtered = oneEvent(el, 'experiments-loaded');
    el.setViewState({ filters: [{ attribute: 'metrics.val_accuracy.last', op: 'gt', value: 0.9 }] });
    const second = (await filtered) as CustomEvent<{ experiments: Experiment[] }>;
    expect(second.detail.experiments.length).to.be.greaterThan(0);
    for (const e of second.detail.experiments) expect(e.metrics?.val_accuracy?.last).to.be.greaterThan(0.9);
    const sent = (await (await fetch(`/__mlflow-replay/requests?session=${session}`)).json()) as Sent[];
    expect(sent.filter((r) => r.method === 'POST' && r.path.endsWith('runs/search')).map((r) => r.seq)).to.deep.equal([75, 52]);
  });
});

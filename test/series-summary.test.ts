import { expect } from '@open-wc/testing';
import { MlflowSource } from '../src/data/mlflow-source.js';
import { summarizeSeries } from '../src/data/series-summary.js';

describe('summarizeSeries', () => {
  it('gives min, max and count of a history MLflow sent (runs/search holds only the latest value)', async () => {
    const { url } = (await (await fetch('/__mlflow-replay')).json()) as { url: string };
    const source = new MlflowSource({ baseUrl: `${url}/3.3/summary/` });
    // The diverged run: its loss turns NaN.
    const series = await source.history('c6b1f031614c45358532252a14e345bc', 'loss');
    const finite = series.values.filter((v) => !Number.isNaN(v));
    const s = summarizeSeries(series);
    expect(s.count).to.equal(series.values.length);
    expect(s.min).to.equal(Math.min(...finite));
    expect(s.max).to.equal(Math.max(...finite));
    expect(s.lastStep).to.equal(Math.max(...series.steps));
  });

  it('an empty history has count 0 and no min or max', () => {
    expect(summarizeSeries({ steps: [], values: [] })).to.deep.equal({ count: 0 });
    expect(summarizeSeries({ steps: [0, 1], values: [Number.NaN, Number.NaN] })).to.deep.include({ count: 2, lastStep: 1 });
  });
});

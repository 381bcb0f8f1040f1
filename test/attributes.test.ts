import { expect } from '@open-wc/testing';
import { collectAttributes, type Attribute } from '../src/data/attributes.js';
import { importMlflowSearchResponse } from '../src/data/importers/mlflow.js';
import { applyQuery, sortExperiments } from '../src/data/query.js';
import type { Experiment } from '../src/data/types.js';

// MLflow stores every param as text. The runs are the recorded answer of a real MLflow 3.3 server.
let runs: Experiment[];
let catalogue: Attribute[];
const attr = (id: string): Attribute => {
  const a = catalogue.find((x) => x.id === id);
  if (!a) throw new Error(`no attribute ${id}`);
  return a;
};

before(async () => {
  const truth: unknown = await (await fetch('/test/fixtures/mlflow-rest-recorded/truth.json')).json();
  runs = importMlflowSearchResponse(truth).experiments;
  catalogue = collectAttributes(runs);
});

describe('attribute catalogue: parameters logged as text', () => {
  it('a parameter whose every value is a number is a number, shown as logged', () => {
    const batch = attr('params.batch_size');
    expect(batch.kind).to.equal('number');
    const e = runs.find((r) => r.params?.batch_size === '64') as Experiment;
    expect(batch.get(e)).to.equal(64);
    expect(batch.text?.(e)).to.equal('64');
    const lr = attr('params.learning_rate');
    expect(lr.kind).to.equal('number');
    const bert = runs.find((r) => r.params?.learning_rate === '2e-05') as Experiment;
    expect(lr.get(bert)).to.equal(2e-5);
    expect(lr.text?.(bert)).to.equal('2e-05');
  });

  it('True/False text is a boolean; a parameter with any other text stays text', () => {
    const fp16 = attr('params.fp16');
    expect(fp16.kind).to.equal('boolean');
    const on = runs.find((r) => r.params?.fp16 === 'True') as Experiment;
    expect(fp16.get(on)).to.equal(true);
    expect(fp16.text?.(on)).to.equal('True');
    // "None" in some runs, 2 in others: text, read as logged.
    const steps = attr('params.gradient_accumulation_steps');
    expect(steps.kind).to.equal('text');
    expect(steps.text).to.equal(undefined);
    expect(attr('params.optimizer.name').kind).to.equal('text');
  });

  it('sorts numerically by the catalogue accessor and by the query (64 before 128 before 256)', () => {
    const withBatch = runs.filter((r) => r.params?.batch_size !== undefined);
    const batch = attr('params.batch_size');
    const byAccessor = [...new Set([...withBatch].sort((a, b) => (batch.get(a) as number) - (batch.get(b) as number)).map((r) => r.params?.batch_size))];
    const byQuery = [...new Set(sortExperiments(withBatch, [{ attribute: 'params.batch_size', dir: 'asc' }]).map((r) => r.params?.batch_size))];
    const expected = [...new Set(withBatch.map((r) => Number(r.params?.batch_size)))].sort((a, b) => a - b).map(String);
    expect(byAccessor).to.deep.equal(expected);
    expect(byQuery).to.deep.equal(expected);
    const lrs = [...new Set(sortExperiments(runs.filter((r) => r.params?.['optimizer.lr'] !== undefined), [{ attribute: 'params.optimizer.lr', dir: 'asc' }]).map((r) => Number(r.params?.['optimizer.lr'])))];
    expect(lrs).to.deep.equal([...lrs].sort((a, b) => a - b));
  });

  it('filters with number operators', () => {
    const small = applyQuery(runs, { filters: [{ attribute: 'params.optimizer.lr', op: 'lt', value: 0.01 }] }).experiments;
    expect(small.length).to.be.greaterThan(0);
    for (const e of small) expect(Number(e.params?.['optimizer.lr'])).to.be.lessThan(0.01);
  });
});

import { expect } from '@open-wc/testing';
import { applyMainMetric, parseCollection, parseHistory, parseJsonText, parseRecords, normalizeTime, deriveStatus, formatProblem } from '../src/data/parse.js';
import { generateCollection } from '../src/data/sample-data.js';
import { ARTIFACT_ROLES, STATUSES } from '../src/data/types.js';

describe('parseJsonText', () => {
  it('accepts the bare NaN and Infinity tokens Python writes, leaving strings alone', () => {
    const doc = parseJsonText('{"a": NaN, "b": -Infinity, "c": [Infinity, 1], "d": "NaN is fine", "e": "x\\"NaN"}') as Record<string, unknown>;
    expect(doc).to.deep.equal({ a: 'NaN', b: '-Infinity', c: ['Infinity', 1], d: 'NaN is fine', e: 'x"NaN' });
  });
});

describe('normalizeTime', () => {
  it('treats naive times as UTC and keeps offsets', () => {
    expect(normalizeTime('2019-11-07T15:14:53.180917')).to.equal('2019-11-07T15:14:53.180Z');
    expect(normalizeTime('2024-01-01T12:00:00+02:00')).to.equal('2024-01-01T10:00:00.000Z');
    expect(normalizeTime('2024-01-01 12:00:00')).to.equal('2024-01-01T12:00:00.000Z');
    expect(normalizeTime(0)).to.equal('1970-01-01T00:00:00.000Z');
    expect(normalizeTime('yesterday')).to.equal(undefined);
  });
});

describe('parseCollection', () => {
  const collection = (experiments: unknown[], extra: Record<string, unknown> = {}) => ({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments, ...extra });

  it('fills in the main metric without changing the objects it was given; read from text, the same', () => {
    const input = { experiments: [{ id: 'a', status: 'completed', mainMetric: { key: 'acc' }, metrics: { acc: { last: 0.9 } } }] };
    const text = JSON.stringify(input);
    const fromObjects = parseCollection(input).experiments[0]!;
    expect(JSON.stringify(input), 'the caller\'s objects').to.equal(text);
    expect(fromObjects.mainMetric).to.deep.equal({ key: 'acc', goal: 'maximize', value: 0.9 });
    expect(parseCollection(text).experiments[0]!.mainMetric).to.deep.equal(fromObjects.mainMetric);
    // A record whose main metric names no logged metric keeps the key only, from text too.
    const unknown = JSON.stringify({ experiments: [{ id: 'b', status: 'completed', mainMetric: { key: 'loss', goal: 'minimize' } }] });
    expect(parseCollection(unknown).experiments[0]!.mainMetric).to.deep.equal({ key: 'loss', goal: 'minimize' });
  });

  it('keeps valid records, normalised', () => {
    const { experiments, problems } = parseCollection(
      collection([
        {
          id: 'r1',
          status: 'COMPLETED',
          name: 'run',
          times: { started: '2024-01-01T10:00:00', stopped: '2024-01-01T11:00:00Z' },
          metrics: { acc: { history: { steps: [1, 2, 3], values: [0.5, 0.7, 0.6] } }, bare: 3 },
          params: { optimizer: { lr: 0.01 } },
          dependencies: ['numpy==1.26.3', { name: 'torch', version: '2.2.0' }],
          git: { url: 'https://example.org/x.git', commit: 'abc', dirty: false },
          custom: { kept: true },
        },
      ]),
    );
    expect(problems).to.deep.equal([]);
    const e = experiments[0]!;
    expect(e.status).to.equal('completed');
    expect(e.times).to.deep.equal({ started: '2024-01-01T10:00:00.000Z', stopped: '2024-01-01T11:00:00.000Z' });
    expect(e.metrics?.acc).to.deep.include({ last: 0.6, min: 0.5, max: 0.7, count: 3, lastStep: 3 });
    expect(e.metrics?.bare).to.deep.equal({ last: 3, count: 1 });
    expect(e.dependencies).to.deep.equal([{ name: 'numpy', version: '1.26.3' }, { name: 'torch', version: '2.2.0' }]);
    expect(e.git).to.deep.equal([{ url: 'https://example.org/x.git', commit: 'abc', dirty: false }]);
    expect((e as unknown as Record<string, unknown>).custom).to.deep.equal({ kept: true });
  });

  it('reads Sacred-style text: bare NaN/Infinity and naive UTC times', () => {
    const text = `{"kind":"ExperimentCollection","schemaVersion":"1.0","experiments":[
      {"id":"s1","status":"failed","times":{"started":"2024-02-08T22:10:01.123456"},
       "metrics":{"loss":{"history":{"steps":[0,1,2],"values":[1.5, NaN, Infinity]}}}}]}`;
    const { experiments, problems } = parseCollection(text);
    expect(problems).to.deep.equal([]);
    const loss = experiments[0]!.metrics!.loss!;
    expect(Number.isNaN(loss.history!.values[1])).to.equal(true);
    expect(loss.history!.values[2]).to.equal(Infinity);
    expect(loss.last).to.equal(Infinity);
    expect(experiments[0]!.times!.started).to.equal('2024-02-08T22:10:01.123Z');
  });

  it('names each bad record by index, id, JSON path and reason, and drops only bad fields', () => {
    const { experiments, problems } = parseCollection(
      collection([
        { id: 'ok', status: 'completed' },
        { status: 'completed' },
        { id: 'x', status: 'exploded' },
        { id: 'y', status: 'queued', times: { started: 'soon' }, tags: 'not-a-list', metrics: { acc: 'high' } },
        42,
        { id: 'ok', status: 'failed' },
      ]),
    );
    expect(experiments.map((e) => e.id)).to.deep.equal(['ok', 'y']);
    expect(experiments[1]!.times).to.deep.equal({});
    expect(experiments[1]!.tags).to.equal(undefined);
    const lines = problems.map(formatProblem);
    expect(lines).to.deep.equal([
      'record 1, $.experiments[1].id: the required "id" is missing; the record was left out',
      'record 2 (id "x"), $.experiments[2].status: unknown status the text "exploded"; expected one of completed, failed, running, dead, queued, interrupted; the record was left out',
      'record 3 (id "y"), $.experiments[3].times.started: expected an ISO-8601 time like 2024-05-01T12:00:00Z, found the text "soon"; the field was dropped',
      'record 3 (id "y"), $.experiments[3].tags: expected an array of text, found the text "not-a-list"; the tags were dropped',
      'record 3 (id "y"), $.experiments[3].metrics["acc"]: expected a metric object {last, min, max, ...} or a number, found the text "high"; the metric was dropped',
      'record 4, $.experiments[4]: expected an experiment object, found a number; the record was left out',
      'record 5 (id "ok"), $.experiments[5].id: duplicate id: record 0 already has it; this record was left out',
    ]);
    expect(problems.map((p) => p.severity)).to.deep.equal(['error', 'error', 'warning', 'warning', 'warning', 'error', 'error']);
  });

  it('throws a clear error for text that is not JSON, and for JSON that is not a collection', () => {
    expect(() => parseCollection('{"experiments": [', { origin: 'runs.json' })).to.throw(SyntaxError, /The data in runs\.json is not valid JSON/);
    expect(() => parseCollection('"hello"')).to.throw(TypeError, /not an experiment collection/);
    const { problems } = parseCollection({ kind: 'ExperimentCollection' });
    expect(problems[0]).to.deep.include({ severity: 'error', path: '$.experiments' });
  });

  it('derives dead from a stale heartbeat, measured against generatedAt, keeping the source word', () => {
    const { experiments } = parseCollection(
      collection(
        [
          { id: 'fresh', status: 'running', times: { started: '2024-05-01T11:00:00Z', heartbeat: '2024-05-01T11:59:00Z' } },
          { id: 'stale', status: 'running', statusDetail: { raw: 'RUNNING' }, times: { started: '2024-05-01T10:00:00Z', heartbeat: '2024-05-01T11:50:00Z' } },
          { id: 'no-beat', status: 'running', times: { started: '2024-05-01T11:59:30Z' } },
        ],
        { generatedAt: '2024-05-01T12:00:00Z', defaults: { deadAfterMs: 300000 } },
      ),
    );
    expect(experiments.map((e) => e.status)).to.deep.equal(['running', 'dead', 'running']);
    expect(experiments[1]!.statusDetail).to.deep.equal({ raw: 'RUNNING', derived: true, reason: 'No heartbeat for 600 s (limit 300 s).' });
  });

  it('derives dead against the clock when there is no snapshot time', () => {
    const e = deriveStatus({ id: 'a', status: 'running', times: { heartbeat: '2020-01-01T00:00:00Z' } }, Date.now());
    expect(e.status).to.equal('dead');
    expect(e.statusDetail?.raw).to.equal('running');
  });

  it('fills the main metric from the metrics with the collection default', () => {
    const { experiments } = parseCollection(collection([{ id: 'a', status: 'completed', metrics: { f1: { last: 0.8 } } }], { defaults: { mainMetric: { key: 'f1', goal: 'maximize' } } }));
    expect(experiments[0]!.mainMetric).to.deep.equal({ key: 'f1', goal: 'maximize', value: 0.8 });
  });
});

describe('parseRecords', () => {
  it('validates one record or an array as parseCollection does, with paths from $', () => {
    const one = parseRecords({ id: 'a', status: 'RUNNING', operator: null, times: { started: 1714557600000 }, tags: ['x', 3, null] }, { now: Date.parse('2024-05-01T10:01:00Z') });
    expect(one.experiments).to.deep.equal([{ id: 'a', status: 'running', times: { started: '2024-05-01T10:00:00.000Z' }, tags: ['x', '3'] }]);
    expect(one.problems.map(formatProblem)).to.deep.equal([
      'record 0 (id "a"), $.tags[1]: expected text, found a number; it was read as the text "3"',
      'record 0 (id "a"), $.tags[2]: expected text, found null; the field was dropped',
    ]);
    const many = parseRecords([{ id: 'a', status: 'completed' }, { id: 'a', status: 'failed' }, 'nope']);
    expect(many.experiments.map((e) => e.id)).to.deep.equal(['a']);
    expect(many.problems.map((p) => p.path)).to.deep.equal(['$[1].id', '$[2]']);
  });

  it('passes records it already returned as they are, without a second validation', () => {
    const { experiments } = parseCollection(generateCollection({ n: 50, seed: 3 }));
    // Changed behind the parser's back: a second validation would name it; a pass-through keeps it.
    (experiments[0] as unknown as Record<string, unknown>).operator = 5;
    const again = parseRecords(experiments);
    expect(again.problems).to.deep.equal([]);
    expect(again.experiments.every((e, i) => e === experiments[i])).to.equal(true);
    expect(parseRecords(experiments[1]).experiments[0]).to.equal(experiments[1]);
    // A copy with another main metric (the dashboard's) is still one of ours.
    const switched = applyMainMetric(experiments[2]!, { key: 'loss', goal: 'minimize' }, true);
    expect(switched).to.not.equal(experiments[2]);
    expect(parseRecords(switched).experiments[0]).to.equal(switched);
    // A record that only looks like one of ours is validated.
    expect(parseRecords({ ...experiments[0] }).problems.map((p) => p.path)).to.deep.equal(['$.operator']);
  });
});

describe('parseHistory', () => {
  it('reads a history as in a file, without changing the caller\'s arrays, and names what is wrong', () => {
    const values = [1, 2, 3];
    const raw = { steps: [0, 1], values };
    const { series, problems } = parseHistory(raw, 'lines[0].series');
    expect(series).to.deep.equal({ steps: [0, 1], values: [1, 2] });
    expect(values).to.deep.equal([1, 2, 3]);
    expect(problems.map(formatProblem)).to.deep.equal(['lines[0].series: steps has 2 entries but values has 3; the shorter length was kept']);
    expect(parseHistory({ steps: [], values: [1, 'NaN'], timestamps: [] })).to.deep.equal({ series: { steps: [0, 1], values: [1, Number.NaN], timestamps: [] }, problems: [] });
    expect(parseHistory({ steps: [1, 2], values: [] })).to.deep.equal({ series: { steps: [], values: [] }, problems: [] });
    expect(parseHistory({}).problems.map((p) => p.message)).to.deep.equal(['expected an array of numbers, found nothing; the history was dropped']);
  });
});

describe('the validator, field by field', () => {
  it('null is "not set"; text and booleans of the wrong type are named; unknown fields survive a rebuilt object', () => {
    const { experiments, problems } = parseRecords({
      id: 'a',
      status: 'completed',
      name: 5,
      group: { id: {}, name: 'g', extra: 1 },
      statusDetail: null,
      git: { url: 'https://x', dirty: 'yes', host: 'x' },
      artifacts: [{ name: 'm', digest: {}, checksumType: 'sha' }],
      metrics: { acc: { last: 1, unit: '%', historyRef: 7 } },
      times: { started: 1e20 },
    });
    expect(experiments[0]).to.deep.equal({
      id: 'a',
      status: 'completed',
      name: '5',
      group: { name: 'g', extra: 1 },
      git: [{ url: 'https://x', host: 'x' }],
      artifacts: [{ name: 'm', checksumType: 'sha' }],
      metrics: { acc: { last: 1, unit: '%', historyRef: '7' } },
      times: {},
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).to.deep.equal([
      '$.name: expected text, found a number; it was read as the text "5"',
      '$.group.id: expected text, found an object; the field was dropped',
      '$.git[0].dirty: expected true or false, found the text "yes"; the field was dropped',
      '$.artifacts[0].digest: expected text, found an object; the field was dropped',
      '$.metrics["acc"].historyRef: expected text, found a number; it was read as the text "7"',
      '$.times.started: expected an ISO-8601 time like 2024-05-01T12:00:00Z, found a number; the field was dropped',
    ]);
  });
});

describe('the parent field', () => {
  it("keeps the parent run's id; null is not set; a number is read as its text; an empty or self parent is named and dropped, the record kept", () => {
    const { experiments, problems } = parseCollection({
      schemaVersion: '1.0',
      kind: 'ExperimentCollection',
      experiments: [
        { id: 'trial-1', status: 'completed', parent: 'sweep' },
        { id: 'trial-2', status: 'completed', parent: null },
        { id: 'fold-3', status: 'completed', parent: 7 },
        { id: 'loop', status: 'failed', name: 'loop', parent: 'loop' },
        { id: 'blank', status: 'completed', parent: '' },
        { id: 'odd', status: 'completed', parent: { id: 'sweep' } },
      ],
    });
    expect(experiments.map((e) => [e.id, e.parent])).to.deep.equal([
      ['trial-1', 'sweep'],
      ['trial-2', undefined],
      ['fold-3', '7'],
      ['loop', undefined],
      ['blank', undefined],
      ['odd', undefined],
    ]);
    expect(experiments.every((e) => !Object.hasOwn(e, 'parent') || typeof e.parent === 'string')).to.equal(true);
    expect(experiments[3]!.name).to.equal('loop');
    expect(problems.map((p) => `${p.severity} ${p.path}: ${p.message}`)).to.deep.equal([
      'warning $.experiments[3].parent: the run names itself ("loop") as its parent run; the field was dropped',
      "warning $.experiments[4].parent: the parent run's id is empty; the field was dropped",
      'warning $.experiments[5].parent: expected text, found an object; the field was dropped',
    ]);
  });
});

describe('the shipped JSON Schema', () => {
  it('describes the same required fields, statuses and roles as the reader', async () => {
    const schema = await (await fetch('/schema/experiment-collection.v1.schema.json')).json();
    const exp = schema.$defs.experiment;
    expect(exp.required).to.deep.equal(['id', 'status']);
    expect(schema.$defs.status.enum).to.deep.equal([...STATUSES]);
    expect(schema.$defs.role.enum).to.deep.equal([...ARTIFACT_ROLES]);
    // Every top-level field of a generated record is described by the schema.
    const sample = generateCollection({ n: 30 });
    for (const e of sample.experiments) for (const k of Object.keys(e)) expect(exp.properties, k).to.have.property(k);
    for (const k of Object.keys(sample)) expect(schema.properties, k).to.have.property(k);
  });

  it('is what package.json exports as ./schema.json', async () => {
    const pkg = await (await fetch('/package.json')).json();
    expect(pkg.exports['./schema.json']).to.equal('./schema/experiment-collection.v1.schema.json');
  });
});

import { expect } from '@open-wc/testing';
import {
  MAX_PATTERN_LENGTH,
  applyQuery,
  compilePredicate,
  getAttributeValue,
  matchesQuery,
  prepareQuery,
  queryFromSearchParams,
  queryToSearchParams,
  searchKey,
  sortExperiments,
  validateQuery,
} from '../src/data/query.js';
import { parseCollection } from '../src/data/parse.js';
import { generateCollection } from '../src/data/sample-data.js';
import type { ColumnFilter, Experiment, Query } from '../src/data/types.js';

const runs: Experiment[] = [
  {
    id: 'r1',
    status: 'completed',
    name: 'ResNet-50 baseline',
    operator: 'ada.lovelace',
    group: { id: 'cifar', name: 'CIFAR sweep' },
    tags: ['baseline', 'fp16'],
    times: { started: '2024-05-01T08:00:00.000Z', stopped: '2024-05-01T10:00:00.000Z' },
    params: { optimizer: { name: 'adam', lr: 0.001 }, epochs: 10, alpha: '0.5' },
    metrics: { accuracy: { last: 0.91, history: { steps: [0, 1], values: [0.123456, 0.91] } }, 'val.loss': { last: 0.3 } },
    mainMetric: { key: 'accuracy', value: 0.91, goal: 'maximize' },
    host: { hostname: 'gpu-node-01', gpus: { count: 8, devices: [{ model: 'A100' }] } },
    git: [{ url: 'https://example.com/a.git', commit: 'abc123', dirty: false }],
    dependencies: [{ name: 'torch', version: '2.2.0' }],
  },
  {
    id: 'r2',
    status: 'failed',
    name: 'ResNet-101 long',
    operator: 'alan.turing',
    group: { id: 'cifar', name: 'CIFAR sweep' },
    tags: ['long-run'],
    times: { started: '2024-05-02T23:30:00.000Z' },
    params: { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 90, alpha: '0.05' },
    metrics: { accuracy: { last: Number.NaN } },
    host: { hostname: 'gpu-node-02', gpus: { count: 4 } },
    error: { message: 'CUDA out of memory' },
  },
  {
    id: 'r3',
    status: 'running',
    name: 'BERT fine-tune',
    operator: 'grace.hopper',
    tags: [],
    times: { started: '2024-05-03T12:00:00.000Z' },
    params: { optimizer: { name: 'adamw', lr: 0.00002 }, epochs: 3 },
    metrics: { accuracy: { last: 0.88 } },
    mainMetric: { key: 'accuracy', value: 0.88, goal: 'maximize' },
  },
  { id: 'r4', status: 'queued', notes: '' },
];

const ids = (q: Query) => applyQuery(runs, q).experiments.map((e) => e.id);
const filter = (f: ColumnFilter) => ids({ filters: [f] });

describe('getAttributeValue', () => {
  it('reads dotted paths, lists, dotted keys and the first repository', () => {
    const [r1] = runs as [Experiment];
    expect(getAttributeValue(r1, 'params.optimizer.lr')).to.equal(0.001);
    expect(getAttributeValue(r1, 'metrics.accuracy.last')).to.equal(0.91);
    expect(getAttributeValue(r1, 'host.gpus.count')).to.equal(8);
    expect(getAttributeValue(r1, 'status')).to.equal('completed');
    expect(getAttributeValue(r1, 'group.name')).to.equal('CIFAR sweep');
    expect(getAttributeValue(r1, 'times.started')).to.equal('2024-05-01T08:00:00.000Z');
    expect(getAttributeValue(r1, 'tags')).to.deep.equal(['baseline', 'fp16']);
    expect(getAttributeValue(r1, 'git.commit')).to.equal('abc123');
    expect(getAttributeValue(r1, 'git.0.commit')).to.equal('abc123');
    expect(getAttributeValue(r1, 'metrics.val.loss.last')).to.equal(0.3);
    expect(getAttributeValue(r1, 'params.missing.deep')).to.equal(undefined);
  });

  it('reads the catalogue’s derived columns as the table shows them', () => {
    const [r1, , , r4] = runs as [Experiment, Experiment, Experiment, Experiment];
    expect(getAttributeValue(r1, 'mainMetric')).to.equal(0.91);
    expect(getAttributeValue(r1, 'group')).to.equal('CIFAR sweep');
    expect(getAttributeValue(r1, 'duration')).to.equal(2 * 3600 * 1000);
    expect(getAttributeValue(r1, 'host.gpus.model')).to.equal('A100');
    expect(getAttributeValue(r1, 'dependencies.torch')).to.equal('2.2.0');
    expect(getAttributeValue(r4, 'name')).to.equal('r4');
  });
});

describe('searchKey and search', () => {
  it('is one lowercase string of every value, without histories, cached per record', () => {
    const [r1] = runs as [Experiment];
    const key = searchKey(r1);
    expect(key).to.equal(key.toLowerCase());
    expect(key).to.include('resnet-50 baseline');
    expect(key).to.include('\u0001');
    expect(key).to.include('a100');
    expect(key.split('\u0001')).to.include('0.91');
    expect(key).not.to.include('0.123456'); // the history values are left out
    expect(searchKey(r1)).to.equal(key);
  });

  it('matches every term anywhere in the record, ignoring case; quotes keep words together', () => {
    expect(ids({ search: 'RESNET' })).to.deep.equal(['r1', 'r2']);
    expect(ids({ search: 'resnet adam' })).to.deep.equal(['r1']);
    expect(ids({ search: 'cuda' })).to.deep.equal(['r2']);
    expect(ids({ search: '"bert fine"' })).to.deep.equal(['r3']);
    expect(ids({ search: '"fine bert"' })).to.deep.equal([]);
    expect(ids({ search: '  ' })).to.deep.equal(['r1', 'r2', 'r3', 'r4']);
    // a term never spans two values
    expect(ids({ search: 'baselinefp16' })).to.deep.equal([]);
  });

  it('a changed copy of a record is searched by its own values, also when the record is frozen', () => {
    const [r1] = runs as [Experiment];
    expect(matchesQuery(r1, { search: 'resnet' })).to.equal(true);
    // The cached search text is not copied with the record (spread, Object.assign, structuredClone).
    const renamed = { ...r1, name: 'plain-mlp', tags: [] };
    expect(Object.getOwnPropertySymbols(renamed)).to.deep.equal([]);
    expect(JSON.stringify(renamed)).not.to.include('resnet-50 baseline');
    expect(searchKey(renamed)).to.include('plain-mlp');
    expect(searchKey(renamed)).not.to.include('resnet-50 baseline');
    const frozen = Object.freeze({ ...r1, name: 'frozen-run' });
    expect(matchesQuery(frozen, { search: 'frozen-run' })).to.equal(true);
    expect(matchesQuery(frozen, { search: 'resnet-50' })).to.equal(false);
  });
});

// Runs before anything loads the pattern engine (test files run in pages of their own).
describe('matches before prepareQuery', () => {
  it('compiling a matches filter without the engine says what to call; other queries need nothing', async () => {
    expect(() => compilePredicate({ filters: [{ attribute: 'name', op: 'matches', value: '^res' }] })).to.throw(/await prepareQuery\(query\)/);
    // Patterns that match as plain text (half-typed, too long) and other operators need no engine.
    expect(filter({ attribute: 'name', op: 'matches', value: '[' })).to.deep.equal([]);
    expect(filter({ attribute: 'name', op: 'contains', value: 'bert' })).to.deep.equal(['r3']);
    await prepareQuery({ filters: [{ attribute: 'name', op: 'contains', value: 'bert' }] });
    expect(() => compilePredicate({ filters: [{ attribute: 'name', op: 'matches', value: '^res' }] })).to.throw(/prepareQuery/);
  });
});

describe('filters: every operator', () => {
  before(() => prepareQuery({ filters: [{ attribute: 'name', op: 'matches', value: '^res' }] }));

  it('eq / ne: text ignores case, numbers as numbers, lists by element, missing only for ne', () => {
    expect(filter({ attribute: 'status', op: 'eq', value: 'COMPLETED' })).to.deep.equal(['r1']);
    expect(filter({ attribute: 'host.gpus.count', op: 'eq', value: '8' })).to.deep.equal(['r1']);
    expect(filter({ attribute: 'params.alpha', op: 'eq', value: 0.5 })).to.deep.equal(['r1']);
    expect(filter({ attribute: 'tags', op: 'eq', value: 'fp16' })).to.deep.equal(['r1']);
    expect(filter({ attribute: 'metrics.accuracy.last', op: 'eq', value: 'NaN' })).to.deep.equal(['r2']);
    expect(filter({ attribute: 'status', op: 'ne', value: 'completed' })).to.deep.equal(['r2', 'r3', 'r4']);
    expect(filter({ attribute: 'tags', op: 'ne', value: 'baseline' })).to.deep.equal(['r2', 'r3', 'r4']);
  });

  it('gt ge lt le: numbers, numbers stored as text, times; NaN and missing never match', () => {
    expect(filter({ attribute: 'metrics.accuracy.last', op: 'gt', value: 0.88 })).to.deep.equal(['r1']);
    expect(filter({ attribute: 'metrics.accuracy.last', op: 'ge', value: 0.88 })).to.deep.equal(['r1', 'r3']);
    expect(filter({ attribute: 'metrics.accuracy.last', op: 'lt', value: 0.9 })).to.deep.equal(['r3']);
    expect(filter({ attribute: 'metrics.accuracy.last', op: 'le', value: '0.91' })).to.deep.equal(['r1', 'r3']);
    expect(filter({ attribute: 'params.alpha', op: 'lt', value: 0.1 })).to.deep.equal(['r2']);
    expect(filter({ attribute: 'times.started', op: 'ge', value: '2024-05-02T23:30:00Z' })).to.deep.equal(['r2', 'r3']);
    // a date-only upper bound includes its whole day
    expect(filter({ attribute: 'times.started', op: 'le', value: '2024-05-02' })).to.deep.equal(['r1', 'r2']);
    expect(filter({ attribute: 'times.started', op: 'gt', value: '2024-05-02' })).to.deep.equal(['r3']);
    expect(filter({ attribute: 'name', op: 'lt', value: 'c' })).to.deep.equal(['r3']);
  });

  it('between: inclusive, either bound optional, date-only bounds cover their days', () => {
    expect(filter({ attribute: 'params.epochs', op: 'between', value: 3, value2: 10 })).to.deep.equal(['r1', 'r3']);
    expect(filter({ attribute: 'params.epochs', op: 'between', value: 10 })).to.deep.equal(['r1', 'r2']);
    expect(filter({ attribute: 'params.epochs', op: 'between', value2: 10 })).to.deep.equal(['r1', 'r3']);
    expect(filter({ attribute: 'times.started', op: 'between', value: '2024-05-01', value2: '2024-05-02' })).to.deep.equal(['r1', 'r2']);
  });

  it('empty / notEmpty: missing, null, "", [] and {} are empty', () => {
    expect(filter({ attribute: 'tags', op: 'empty' })).to.deep.equal(['r3', 'r4']);
    expect(filter({ attribute: 'notes', op: 'empty' })).to.deep.equal(['r1', 'r2', 'r3', 'r4']);
    expect(filter({ attribute: 'error.message', op: 'notEmpty' })).to.deep.equal(['r2']);
    expect(filter({ attribute: 'mainMetric', op: 'notEmpty' })).to.deep.equal(['r1', 'r3']);
  });

  it('before / after / on: instants strictly, date-only values as whole UTC days', () => {
    expect(filter({ attribute: 'times.started', op: 'before', value: '2024-05-02' })).to.deep.equal(['r1']);
    expect(filter({ attribute: 'times.started', op: 'after', value: '2024-05-02' })).to.deep.equal(['r3']);
    expect(filter({ attribute: 'times.started', op: 'after', value: '2024-05-02T12:00:00Z' })).to.deep.equal(['r2', 'r3']);
    expect(filter({ attribute: 'times.started', op: 'on', value: '2024-05-02' })).to.deep.equal(['r2']);
    expect(filter({ attribute: 'times.started', op: 'on', value: '2024-05-01T23:59:00Z' })).to.deep.equal(['r1']);
    expect(filter({ attribute: 'times.stopped', op: 'before', value: '2030-01-01' })).to.deep.equal(['r1']);
    expect(filter({ attribute: 'times.started', op: 'before', value: 'not a date' })).to.deep.equal([]);
  });

  it('contains / notContains / startsWith: case-insensitive text, any list element', () => {
    expect(filter({ attribute: 'name', op: 'contains', value: 'resnet' })).to.deep.equal(['r1', 'r2']);
    expect(filter({ attribute: 'tags', op: 'contains', value: 'LONG' })).to.deep.equal(['r2']);
    expect(filter({ attribute: 'name', op: 'notContains', value: 'resnet' })).to.deep.equal(['r3', 'r4']);
    expect(filter({ attribute: 'operator', op: 'startsWith', value: 'A' })).to.deep.equal(['r1', 'r2']);
    expect(filter({ attribute: 'params.optimizer.lr', op: 'contains', value: '0.00' })).to.deep.equal(['r1', 'r3']);
  });

  it('matches: a case-insensitive regular expression; a half-typed one matches as text', () => {
    expect(filter({ attribute: 'name', op: 'matches', value: '^resnet-\\d+ ' })).to.deep.equal(['r1', 'r2']);
    expect(filter({ attribute: 'operator', op: 'matches', value: 'turing$|hopper$' })).to.deep.equal(['r2', 'r3']);
    expect(filter({ attribute: 'name', op: 'matches', value: '[' })).to.deep.equal([]);
    // JavaScript spellings RE2 writes differently: named groups, \u escapes, an escaped slash.
    expect(filter({ attribute: 'name', op: 'matches', value: '(?<arch>resnet)-\\d+' })).to.deep.equal(['r1', 'r2']);
    expect(filter({ attribute: 'name', op: 'matches', value: '^\\u0042ERT' })).to.deep.equal(['r3']);
    expect(filter({ attribute: 'git.url', op: 'matches', value: 'example\\.com\\/a' })).to.deep.equal(['r1']);
  });

  it('matches: a backtracking pattern over 100,000 names answers, in linear time', () => {
    // ~45 ms a name in a backtracking engine (75 minutes in all); RE2 needs well under a second.
    const many: Experiment[] = Array.from({ length: 100_000 }, (_, i) => ({ id: `e${i}`, status: 'completed', name: i % 25_000 === 0 ? `run-${i}-X` : `run-${String(i).padStart(8, '0')}` }));
    const result = applyQuery(many, { filters: [{ attribute: 'name', op: 'matches', value: '^(([a-z0-9]|-|[a-z0-9-])*)*X$' }] });
    expect(result.experiments.map((e) => e.name)).to.deep.equal(['run-0-X', 'run-25000-X', 'run-50000-X', 'run-75000-X']);
  });

  it('matches: backreferences and lookaround are refused by name, and never hang the page', () => {
    const refused: [string, RegExp][] = [
      ['^(a+)\\1$', /pattern "\^\(a\+\)\\\\1\$" uses a backreference \(\\1\), which is not supported/],
      ['(?<x>a)\\k<x>', /uses a backreference \(\\k<x>\), which is not supported/],
      ['res(?=net)', /uses a lookahead \(\(\?=\), which is not supported/],
      ['res(?!net)', /uses a negative lookahead/],
      ['(?<=res)net', /uses a lookbehind \(\(\?<=\)/],
      ['(?<!x)net', /uses a negative lookbehind/],
    ];
    for (const [value, message] of refused) {
      const problems = validateQuery({ filters: [{ attribute: 'name', op: 'eq', value: 'x' }, { attribute: 'name', op: 'matches', value }] });
      expect(problems, value).to.have.length(1);
      expect(problems[0], value).to.match(/^filter 2 \(name matches\): /);
      expect(problems[0], value).to.match(message);
      // In the table the pattern matches as plain text, like a half-typed one.
      expect(filter({ attribute: 'name', op: 'matches', value }), value).to.deep.equal([]);
    }
    // Inside a character class these characters are only characters.
    expect(validateQuery({ filters: [{ attribute: 'name', op: 'matches', value: '[(?=]' }] })).to.deep.equal([]);
  });

  it('matches: what only RE2 refuses is reported too; the length guard stays', () => {
    expect(validateQuery({ filters: [{ attribute: 'name', op: 'matches', value: 'a{1001}' }] })[0]).to.match(
      /^filter 1 \(name matches\): pattern "a\{1001\}" is not supported by the linear-time pattern engine \(invalid repeat count/,
    );
    expect(validateQuery({ filters: [{ attribute: 'name', op: 'matches', value: 'a'.repeat(MAX_PATTERN_LENGTH + 1) }] })[0]).to.match(/longer than 200 characters/);
    expect(filter({ attribute: 'name', op: 'matches', value: 'a{1001}' })).to.deep.equal([]);
  });

  it('in: any of a list or of comma-separated text', () => {
    expect(filter({ attribute: 'status', op: 'in', value: ['running', 'queued'] })).to.deep.equal(['r3', 'r4']);
    expect(filter({ attribute: 'status', op: 'in', value: 'failed, completed' })).to.deep.equal(['r1', 'r2']);
    expect(filter({ attribute: 'host.gpus.count', op: 'in', value: [4, 8] })).to.deep.equal(['r1', 'r2']);
  });

  it('combines search and every filter with AND; matchesQuery agrees with applyQuery', () => {
    const q: Query = { search: 'cifar', filters: [{ attribute: 'metrics.accuracy.last', op: 'gt', value: 0.5 }] };
    expect(ids(q)).to.deep.equal(['r1']);
    expect(runs.filter((e) => matchesQuery(e, q)).map((e) => e.id)).to.deep.equal(['r1']);
  });
});

describe('sort and paging', () => {
  it('sorts numbers, text naturally and times; missing and NaN last in both directions; stable', () => {
    expect(ids({ sort: [{ attribute: 'metrics.accuracy.last', dir: 'asc' }] })).to.deep.equal(['r3', 'r1', 'r2', 'r4']);
    expect(ids({ sort: [{ attribute: 'metrics.accuracy.last', dir: 'desc' }] })).to.deep.equal(['r1', 'r3', 'r2', 'r4']);
    expect(ids({ sort: [{ attribute: 'times.started', dir: 'desc' }] })).to.deep.equal(['r3', 'r2', 'r1', 'r4']);
    expect(ids({ sort: [{ attribute: 'name', dir: 'asc' }] })).to.deep.equal(['r3', 'r4', 'r1', 'r2']);
    expect(ids({ sort: [{ attribute: 'group.name', dir: 'asc' }, { attribute: 'params.epochs', dir: 'desc' }] })).to.deep.equal(['r2', 'r1', 'r3', 'r4']);
    const natural = sortExperiments(
      ['run-10', 'run-9', 'Run-1'].map((name, i) => ({ id: String(i), status: 'completed', name })),
      [{ attribute: 'name', dir: 'asc' }],
    );
    expect(natural.map((e) => e.name)).to.deep.equal(['Run-1', 'run-9', 'run-10']);
  });

  it('slices pages by index or by token and counts the total before paging', () => {
    const first = applyQuery(runs, { sort: [{ attribute: 'name', dir: 'asc' }], page: { size: 3 } });
    expect(first.total).to.equal(4);
    expect(first.experiments.map((e) => e.id)).to.deep.equal(['r3', 'r4', 'r1']);
    expect(first.nextToken).to.be.a('string');
    const second = applyQuery(runs, { sort: [{ attribute: 'name', dir: 'asc' }], page: { size: 3, token: first.nextToken as string } });
    expect(second.experiments.map((e) => e.id)).to.deep.equal(['r2']);
    expect(second.nextToken).to.equal(undefined);
    expect(applyQuery(runs, { page: { size: 2, index: 1 } }).experiments.map((e) => e.id)).to.deep.equal(['r3', 'r4']);
  });

  it('answers over 100,000 records what a plain scan of every value answers (speed: npm run bench)', () => {
    const big = parseCollection(generateCollection({ n: 20_000, seed: 3, historyPoints: 0 })).experiments;
    const many = [...big, ...big, ...big, ...big, ...big].map((e, i) => ({ ...e, id: `${e.id}-${i}` }));
    const result = applyQuery(many, { search: 'adam', filters: [{ attribute: 'status', op: 'eq', value: 'completed' }], sort: [{ attribute: 'mainMetric', dir: 'desc' }], page: { size: 50 } });
    const expected = many.filter((e) => e.status === 'completed' && searchKey(e).includes('adam'));
    expect(result.total).to.equal(expected.length);
    expect(result.total).to.be.greaterThan(1000);
    expect(result.experiments.map((e) => e.mainMetric?.value)).to.deep.equal(
      expected
        .map((e) => e.mainMetric?.value)
        .sort((a, b) => (b ?? -Infinity) - (a ?? -Infinity))
        .slice(0, 50),
    );
  });
});

describe('the Parent run in a query over a set of runs', () => {
  const family: Experiment[] = [
    { id: 'p1', status: 'completed', name: 'sweep-A' },
    { id: 'p2', status: 'completed', name: 'sweep-B' },
    { id: 'c1', status: 'completed', name: 'trial-1', parent: 'p1' },
    { id: 'c2', status: 'failed', name: 'trial-2', parent: 'p2' },
    { id: 'c3', status: 'completed', name: 'trial-3', parent: 'p1' },
    { id: 'orphan', status: 'completed', name: 'orphan', parent: 'gone' },
  ];
  const ids = (q: Query) => applyQuery(family, q).experiments.map((e) => e.id);

  it('a filter compares the parent\'s name, as the column shows it (a server finds what the browser finds)', () => {
    expect(ids({ filters: [{ attribute: 'parent', op: 'eq', value: 'sweep-A' }] })).to.deep.equal(['c1', 'c3']);
    expect(ids({ filters: [{ attribute: 'parent', op: 'in', value: ['sweep-B', 'gone'] }] })).to.deep.equal(['c2', 'orphan']);
    expect(ids({ filters: [{ attribute: 'parent', op: 'empty' }] })).to.deep.equal(['p1', 'p2']);
  });

  it('a sort orders by the parent\'s name; a parent not in the set by its id', () => {
    expect(ids({ sort: [{ attribute: 'parent', dir: 'asc' }] })).to.deep.equal(['orphan', 'c1', 'c3', 'c2', 'p1', 'p2']);
  });

  it('a record on its own still reads the parent\'s id', () => {
    expect(getAttributeValue(family[2]!, 'parent')).to.equal('p1');
  });
});

describe('validateQuery and the URL form', () => {
  it('names each problem so a server can answer 400 with it', () => {
    expect(validateQuery({ filters: [{ attribute: 'status', op: 'eq', value: 'running' }] })).to.deep.equal([]);
    const problems = validateQuery({
      filters: [
        { attribute: 'status', op: 'is', value: 'x' },
        { attribute: 'name', op: 'matches', value: '(' },
        { attribute: 'times.started', op: 'after', value: 'yesterday' },
        { attribute: 'params.lr', op: 'between' },
        { attribute: '', op: 'gt', value: 1 },
      ],
      sort: [{ attribute: 'name', dir: 'up' }],
      page: { size: 0 },
    });
    expect(problems.join('\n')).to.match(/filter 1 \(status is\): unknown operator "is"/);
    expect(problems.join('\n')).to.match(/filter 2 .*not a valid regular expression/);
    expect(problems.join('\n')).to.match(/filter 3 .*not a date/);
    expect(problems.join('\n')).to.match(/filter 4 .*lower bound/);
    expect(problems.join('\n')).to.match(/filter 5: "attribute"/);
    expect(problems.join('\n')).to.match(/sort 1 \(name\): the direction must be asc or desc/);
    expect(problems.join('\n')).to.match(/page size/);
  });

  it('round-trips a query through URL parameters', () => {
    const q: Query = {
      search: 'resnet "long run"',
      filters: [
        { attribute: 'times.started', op: 'between', value: '2024-05-01T00:00:00Z', value2: '2024-05-02' },
        { attribute: 'status', op: 'in', value: ['running', 'failed'] },
      ],
      sort: [
        { attribute: 'metrics.val.loss.last', dir: 'asc' },
        { attribute: 'name', dir: 'desc' },
      ],
      page: { size: 25, token: 'o50' },
    };
    const params = new URLSearchParams(queryToSearchParams(q).toString());
    const back = queryFromSearchParams(params);
    expect(back.problems).to.deep.equal([]);
    expect(back.query).to.deep.equal(q);
    expect(queryFromSearchParams(new URLSearchParams('filters=[oops')).problems[0]).to.match(/JSON array/);
    expect(queryFromSearchParams(new URLSearchParams('cursor=xyz&pageSize=10')).problems[0]).to.match(/cursor "xyz" was not issued/);
  });
});

import { expect } from '@open-wc/testing';
import {
  importMlflowExportRun,
  importMlflowRun,
  importMlflowSearchResponse,
  importMlrunsRun,
  importSacredMongo,
  importSacredRun,
  parseMongoExportText,
} from '../src/data/importers/index.js';
import type { SacredRunFiles } from '../src/data/importers/index.js';
import { collectAttributes } from '../src/data/attributes.js';
import { parseCollection } from '../src/data/parse.js';
import { applyQuery } from '../src/data/query.js';
import type { Experiment, Metric } from '../src/data/types.js';

const FIXTURES = '/test/fixtures';

async function text(path: string): Promise<string> {
  const res = await fetch(`${FIXTURES}/${path}`);
  if (!res.ok) throw new Error(`fixture ${path}: HTTP ${res.status}`);
  return res.text();
}

async function optionalText(path: string): Promise<string | undefined> {
  const res = await fetch(`${FIXTURES}/${path}`);
  return res.ok ? res.text() : undefined;
}

/** The record is valid format v1: the collection reader keeps it and finds nothing to report. */
function expectValid(e: Experiment): void {
  const read = parseCollection({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments: [e] }, { now: Date.parse(e.times?.stopped ?? e.times?.started ?? '2030-01-01T00:00:00Z') });
  expect(read.problems, JSON.stringify(read.problems)).to.deep.equal([]);
  expect(read.experiments).to.have.length(1);
}

function expectSummary(m: Metric | undefined, s: { count: number; last: number; min: number; max: number; lastStep: number }): void {
  expect(m, 'metric').to.not.equal(undefined);
  expect(m?.count).to.equal(s.count);
  expect(m?.last).to.equal(s.last);
  expect(m?.min).to.equal(s.min);
  expect(m?.max).to.equal(s.max);
  expect(m?.lastStep).to.equal(s.lastStep);
  expect(m?.history?.values).to.have.length(s.count);
  expect(m?.history?.steps).to.have.length(s.count);
}

// ---------------------------------------------------------------------------------------------
// Sacred, FileStorageObserver: manuel-rhdt/ml-pws runs 1, 3, 4 (sacred 0.8.5)
// ---------------------------------------------------------------------------------------------

const SACRED = 'sacred-manuel-rhdt-ml-pws/runs';

async function sacredFiles(id: string): Promise<SacredRunFiles> {
  const files: SacredRunFiles = { 'run.json': await text(`${SACRED}/${id}/run.json`) };
  for (const name of ['config.json', 'metrics.json', 'info.json', 'cout.txt'] as const) {
    const t = await optionalText(`${SACRED}/${id}/${name}`);
    if (t !== undefined) files[name] = t;
  }
  return files;
}

describe('importSacredRun on the ml-pws fixtures', () => {
  const expected = {
    '1': {
      status: 'completed',
      raw: 'COMPLETED',
      started: '2024-02-08T23:02:14.620Z',
      stopped: '2024-02-08T23:03:12.616Z',
      heartbeat: '2024-02-08T23:03:12.618Z',
      seed: 594583207,
      outputName: undefined,
      loss: { count: 400, last: -0.6781838181495666, min: -0.6781838181495666, max: 0.2630771433830261, lastStep: 400 },
      firstStamp: '2024-02-08T23:02:17.744Z',
      lastStamp: '2024-02-08T23:03:12.616Z',
      source: '_sources/01-model-size_5fabc5730bdaa41255e5a12d1a20618a.py',
      resources: false,
      outputs: [] as string[],
      stdoutEnd: 'Completed after 0:00:58\n',
    },
    '3': {
      status: 'failed',
      raw: 'FAILED',
      started: '2024-02-08T23:12:34.515Z',
      stopped: '2024-02-08T23:13:32.327Z',
      heartbeat: '2024-02-08T23:13:32.325Z',
      seed: 733131706,
      outputName: 'stochseq_model=LSTM_layers=1_hidden=8.pt',
      loss: { count: 400, last: -0.6749154008865357, min: -0.6749154008865357, max: 0.5156626180648803, lastStep: 400 },
      firstStamp: '2024-02-08T23:12:37.659Z',
      lastStamp: '2024-02-08T23:13:32.323Z',
      source: '_sources/01-model-size_084bd74547648acde8ecff6ba4b59439.py',
      resources: true,
      outputs: [] as string[],
      stdoutEnd: 'Started run with ID "3"\n',
    },
    '4': {
      status: 'completed',
      raw: 'COMPLETED',
      started: '2024-02-08T23:14:16.453Z',
      stopped: '2024-02-08T23:15:14.887Z',
      heartbeat: '2024-02-08T23:15:14.888Z',
      seed: 721113272,
      outputName: 'stochseq_model=LSTM_layers=1_hidden=8.pt',
      // The minimum is at step 399, not the last step.
      loss: { count: 400, last: -0.6807172247886658, min: -0.6807201794624329, max: 0.41734923758506776, lastStep: 400 },
      firstStamp: '2024-02-08T23:14:19.575Z',
      lastStamp: '2024-02-08T23:15:14.885Z',
      source: '_sources/01-model-size_55ae37da95d26be0e635144c00b7a05d.py',
      resources: true,
      outputs: ['stochseq_model=LSTM_layers=1_hidden=8.pt'],
      stdoutEnd: 'Started run with ID "4"\n',
    },
  } as const;

  for (const [id, x] of Object.entries(expected)) {
    it(`maps run ${id} field by field`, async () => {
      const { experiment: e, problems } = importSacredRun(await sacredFiles(id), { runId: id });
      expect(problems).to.deep.equal([]);
      if (!e) throw new Error('no experiment');
      expectValid(e);

      expect(e.id).to.equal(id);
      expect(e.status).to.equal(x.status);
      expect(e.statusDetail).to.deep.equal({ raw: x.raw });
      expect(e.name).to.equal(`model-size-sweep #${id}`);
      expect(e.group).to.deep.equal({ id: 'model-size-sweep', name: 'model-size-sweep' });
      expect(e.command).to.equal('my_main');
      expect(e.notes).to.equal(undefined);
      expect(e.times).to.deep.equal({ started: x.started, stopped: x.stopped, heartbeat: x.heartbeat });
      expect(e.source).to.deep.equal({ type: 'sacred', nativeId: id, producer: 'sacred 0.8.5' });

      expect(e.host).to.deep.equal({
        hostname: 'jupyternoteboo.data-driveninfo.src.surf-hosted.nl',
        os: { system: 'Linux', platform: 'Linux-5.4.0-170-generic-x86_64-with-glibc2.31' },
        cpu: { model: 'Intel(R) Xeon(R) Gold 6226 CPU @ 2.70GHz' },
        python: { version: '3.12.1' },
        gpus: { count: 1, driverVersion: '515.43.04', devices: [{ model: 'NVIDIA GeForce RTX 2080 Ti', memoryBytes: 11264 * 1024 * 1024 }] },
      });
      expect(e.dependencies).to.deep.equal([
        { name: 'numpy', version: '1.26.3', manager: 'pip' },
        { name: 'sacred', version: '0.8.5', manager: 'pip' },
        { name: 'src', version: '0.1.0', manager: 'pip' },
        { name: 'torch', version: '2.2.0', manager: 'pip' },
      ]);
      expect(e.git).to.deep.equal([{ url: 'git@github.com:manuel-rhdt/ml-pws.git', commit: '34c5ea6bebc779115962365252593cd77b67fbec', dirty: true }]);

      const params = e.params as Record<string, unknown>;
      expect(params.seed).to.equal(x.seed);
      expect(params.lr).to.equal(0.0001);
      expect(params.epochs).to.equal(400);
      expect(params.batch_size).to.equal(64);
      expect(params.model).to.equal('LSTM');
      expect(params.dataset).to.deep.equal({ device: 'cuda', filename: 'data/gaussian_data.pt' });
      expect(params.output_name).to.equal(x.outputName);

      expect(Object.keys(e.metrics ?? {})).to.deep.equal(['training.loss']);
      const loss = e.metrics?.['training.loss'];
      expectSummary(loss, x.loss);
      expect(loss?.history?.steps[0]).to.equal(1);
      expect(loss?.history?.timestamps?.[0]).to.equal(x.firstStamp);
      expect(loss?.history?.timestamps?.[399]).to.equal(x.lastStamp);

      const artifacts = e.artifacts ?? [];
      expect(artifacts.filter((a) => a.role === 'source')).to.deep.equal([{ name: '01-model-size.py', role: 'source', path: x.source, digest: `md5:${x.source.slice(-35, -3)}` }]);
      expect(artifacts.filter((a) => a.role === 'input')).to.deep.equal(
        x.resources ? [{ name: 'gaussian_data.pt', role: 'input', path: '/data/volume_2/ml-pws/data/gaussian_data.pt', digest: 'md5:9c245717ccc76eae8c24740276bb1775' }] : [],
      );
      expect(artifacts.filter((a) => a.role === 'output').map((a) => [a.name, a.path])).to.deep.equal(x.outputs.map((n) => [n, n]));

      expect(e.output?.stdout?.startsWith("INFO - model-size-sweep - Running command 'my_main'\n")).to.equal(true);
      expect(e.output?.stdout?.endsWith(x.stdoutEnd)).to.equal(true);

      const sacred = e.extensions?.sacred as Record<string, unknown>;
      expect(sacred.experiment).to.deep.equal({ base_dir: '/data/volume_2/ml-pws/experiments', mainfile: '01-model-size.py' });
      expect((sacred.meta as Record<string, unknown>).command).to.equal('my_main');
      expect(sacred.host).to.deep.equal({ gpus: { gpus: [{ persistence_mode: true }] } });
      expect(sacred.result).to.equal(null);
      expect(sacred.info).to.equal(undefined);
      if (x.resources) expect(sacred.resources).to.deep.equal([['/data/volume_2/ml-pws/data/gaussian_data.pt', 'runs/_resources/gaussian_data_9c245717ccc76eae8c24740276bb1775.pt']]);
      else expect(sacred.resources).to.equal(undefined);

      if (x.status === 'failed') {
        expect(e.error?.message).to.equal("AttributeError: expected 'f' to be string, path, or a file-like object with a 'write' attribute");
        expect(e.error?.trace?.startsWith('Traceback (most recent call last):\n')).to.equal(true);
        expect(e.error?.trace).to.contain('torch.save(savename, model)');
      } else expect(e.error).to.equal(undefined);
    });
  }

  it('prefixes ids on request and names the run folder when the id is missing', async () => {
    const files = await sacredFiles('1');
    expect(importSacredRun(files, { runId: '1', idPrefix: 'ml-pws/' }).experiment?.id).to.equal('ml-pws/1');
    const none = importSacredRun(files);
    expect(none.experiment).to.equal(undefined);
    expect(none.problems[0]?.severity).to.equal('error');
    expect(none.problems[0]?.message).to.contain('options.runId');
  });
});

// ---------------------------------------------------------------------------------------------
// Sacred, inline documents: statuses, NaN, info.json, broken files
// ---------------------------------------------------------------------------------------------

function sacredRun(extra: Record<string, unknown>): string {
  return JSON.stringify({
    command: 'main',
    experiment: { name: 'demo', dependencies: ['sacred==0.8.7'], repositories: [], sources: [] },
    host: { hostname: 'box', ENV: { CUDA_VISIBLE_DEVICES: '0' } },
    meta: { command: 'main', comment: 'lr sweep, second try', options: {} },
    start_time: '2024-03-01T10:00:00.000000',
    artifacts: [],
    resources: [],
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------------
// Sacred 0.8.7 FileStorageObserver: runs made for these tests (see the fixture's README)
// ---------------------------------------------------------------------------------------------

const SACRED87 = 'sacred-0.8.7-filestorage/runs';

/** The parts of a Sacred run.json the comparisons read. */
interface SacredRunJson {
  status: string;
  command: string;
  start_time?: string;
  stop_time?: string;
  heartbeat?: string;
  result?: unknown;
  artifacts?: string[];
  resources?: string[][];
  fail_trace?: string[];
  experiment: { name: string; repositories: unknown[]; dependencies: string[]; sources: unknown[] };
  host: { hostname: string; cpu: string; os: string[]; python_version: string; gpus?: { gpus: unknown[] } };
  meta: { comment?: string; options: Record<string, unknown>; queue_time?: Record<string, unknown> };
}

async function sacred87(id: string): Promise<{ files: SacredRunFiles; run: SacredRunJson }> {
  const files: SacredRunFiles = { 'run.json': await text(`${SACRED87}/${id}/run.json`) };
  for (const name of ['config.json', 'metrics.json', 'info.json', 'cout.txt'] as const) {
    const t = await optionalText(`${SACRED87}/${id}/${name}`);
    if (t !== undefined) files[name] = t;
  }
  return { files, run: JSON.parse(files['run.json']) as SacredRunJson };
}

/** Sacred writes naive UTC times with microseconds; the record keeps milliseconds. */
const utcMs = (t: string): number => Math.floor(Date.parse(`${t.slice(0, 23)}Z`));

describe('importSacredRun on Sacred 0.8.7 FileStorageObserver runs, field by field against the run\'s files', () => {
  const STATUS: Record<string, string> = { RUNNING: 'running', COMPLETED: 'completed', FAILED: 'failed', INTERRUPTED: 'interrupted', QUEUED: 'queued' };
  for (const id of ['1', '2', '3', '4', '5', '6', '7', '8', '9']) {
    it(`run ${id}`, async () => {
      const { files, run } = await sacred87(id);
      const { experiment: e, problems } = importSacredRun(files, { runId: id });
      expect(problems, JSON.stringify(problems)).to.deep.equal([]);
      if (!e) throw new Error('no experiment');
      expectValid(e);
      expect(e.id).to.equal(id);
      expect(e.status).to.equal(STATUS[run.status]);
      expect(e.statusDetail?.raw).to.equal(run.status);
      expect(e.command).to.equal(run.command);
      expect(e.group?.name).to.equal(run.experiment.name);
      for (const [from, to] of [['start_time', 'started'], ['stop_time', 'stopped'], ['heartbeat', 'heartbeat']] as const) {
        if (run[from] === undefined) expect(e.times?.[to], to).to.equal(undefined);
        else expect(Date.parse(e.times?.[to] as string), to).to.equal(utcMs(run[from] as string));
      }
      if (files['config.json']) expect(e.params).to.deep.equal(JSON.parse(files['config.json']));
      const metrics = files['metrics.json'] ? (JSON.parse(files['metrics.json']) as Record<string, { steps: number[]; values: number[]; timestamps: string[] }>) : {};
      expect(Object.keys(e.metrics ?? {}).sort()).to.deep.equal(Object.keys(metrics).sort());
      for (const [name, m] of Object.entries(metrics)) {
        expect(e.metrics?.[name]?.count, name).to.equal(m.values.length);
        expect(e.metrics?.[name]?.last, name).to.equal(m.values.at(-1));
        expect(e.metrics?.[name]?.history?.steps, name).to.deep.equal(m.steps);
      }
      const sacred = e.extensions?.sacred as Record<string, unknown> | undefined;
      if (files['info.json']) expect(sacred?.info).to.deep.equal(JSON.parse(files['info.json']));
      expect(sacred?.result).to.deep.equal(run.result);
      expect(e.output?.stdout).to.equal(files['cout.txt'] || undefined);
      expect(e.host?.hostname).to.equal(run.host.hostname);
      expect(e.host?.cpu?.model).to.equal(run.host.cpu);
      expect(e.host?.os).to.deep.equal({ system: run.host.os[0], platform: run.host.os[1] });
      expect(e.host?.python?.version).to.equal(run.host.python_version);
      if (run.host.gpus) expect(e.host?.gpus?.count).to.equal(run.host.gpus.gpus.length);
      expect(e.git).to.deep.equal(run.experiment.repositories);
      expect(e.dependencies?.map((d) => `${d.name}==${d.version}`)).to.deep.equal(run.experiment.dependencies);
      const artifacts = e.artifacts ?? [];
      expect(artifacts.filter((a) => a.role === 'output').map((a) => a.name)).to.deep.equal(run.artifacts ?? []);
      expect(artifacts.filter((a) => a.role === 'input').map((a) => a.path)).to.deep.equal((run.resources ?? []).map((r) => r[0]));
      // Every source is read, the queued run's jsonpickled tuples too.
      const sources = run.experiment.sources.map((x) => (Array.isArray(x) ? x : (x as { 'py/tuple': string[] })['py/tuple']));
      expect(artifacts.filter((a) => a.role === 'source').map((a) => [a.name, a.digest])).to.deep.equal(sources.map((x) => [x[0], `md5:${/([0-9a-f]{32})/.exec(String(x[1]))?.[1]}`]));
      if (run.fail_trace) expect(e.error?.message).to.equal(run.fail_trace.join('').trim().split('\n').at(-1)?.trim());
      if (run.meta.comment) expect(e.notes).to.equal(run.meta.comment);
    });
  }

  it('a queued run\'s queue time is decoded from its jsonpickled meta.queue_time', async () => {
    const { files, run } = await sacred87('7');
    expect(run.meta.queue_time?.['py/object']).to.equal('datetime.datetime');
    const e = importSacredRun(files, { runId: '7' }).experiment;
    // B+oMBg0ICAcWoA== is 2026-12-06 13:08:08.464544.
    expect(e?.times?.queued).to.equal('2026-12-06T13:08:08.464Z');
    expect(e?.status).to.equal('queued');
  });

  it('a run with --beat-interval=300 is alive for 3 missed beats, here and when the dashboard reads the collection', async () => {
    const { files, run } = await sacred87('9');
    expect(run.meta.options['--beat-interval']).to.equal('300');
    // The run as it was while running: no stop time yet, its first heartbeat at the start.
    const live: SacredRunJson = { ...run, status: 'RUNNING', heartbeat: run.start_time };
    delete live.stop_time;
    const liveFiles = { ...files, 'run.json': JSON.stringify(live) };
    const started = utcMs(run.start_time as string);
    const at173 = importSacredRun(liveFiles, { runId: '9', now: started + 173_000 }).experiment;
    expect(at173?.status).to.equal('running');
    expect(at173?.extensions?.deadAfterMs).to.equal(900_000);
    const unjudged = importSacredRun(liveFiles, { runId: '9' }).experiment as Experiment;
    expect(parseCollection({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments: [unjudged] }, { now: started + 173_000 }).experiments[0]?.status).to.equal('running');
    expect(parseCollection({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments: [unjudged] }, { now: started + 901_000 }).experiments[0]?.status).to.equal('dead');
    expect(importSacredRun(liveFiles, { runId: '9', now: started + 901_000 }).experiment?.status).to.equal('dead');
    // The default beat (10 s) keeps the usual limit: the killed run 1 is dead 2 minutes after its last beat.
    const killed = await sacred87('1');
    expect(importSacredRun(killed.files, { runId: '1', now: utcMs(killed.run.heartbeat as string) + 121_000 }).experiment?.status).to.equal('dead');
  });

  it('_run.info and the return value are attributes of the catalogue (info.*, Result), and filterable', async () => {
    const runs = await Promise.all(['2', '8'].map(async (id) => importSacredRun((await sacred87(id)).files, { runId: id }).experiment as Experiment));
    const catalogue = collectAttributes(runs);
    const best = catalogue.find((a) => a.label === 'info.best_accuracy');
    expect(best?.kind).to.equal('number');
    expect(best?.get(runs[0] as Experiment)).to.equal(0.9550476025094401);
    expect(catalogue.find((a) => a.label === 'info.notes.author')?.get(runs[0] as Experiment)).to.equal('ada');
    const result = catalogue.find((a) => a.label === 'Result');
    expect(result?.get(runs[1] as Experiment)).to.contain('final_loss');
    const filtered = applyQuery(runs, { filters: [{ attribute: best?.id as string, op: 'gt', value: 0.96 }] }).experiments;
    expect(filtered.map((e) => e.id)).to.deep.equal(runs.filter((e) => ((e.extensions?.sacred as { info: { best_accuracy: number } }).info.best_accuracy ?? 0) > 0.96).map((e) => e.id));
    expect(applyQuery(runs, { search: 'mnist' }).experiments.length).to.equal(2);
  });
});

describe('importSacredRun statuses', () => {
  it('maps TIMEOUT to interrupted and keeps the word', () => {
    const { experiment: e } = importSacredRun({ 'run.json': sacredRun({ status: 'TIMEOUT', stop_time: '2024-03-01T11:00:00' }) }, { runId: '7' });
    expect(e?.status).to.equal('interrupted');
    expect(e?.statusDetail?.raw).to.equal('TIMEOUT');
    expect(e?.statusDetail?.reason).to.contain('time limit');
    expect(e?.times?.stopped).to.equal('2024-03-01T11:00:00.000Z');
  });

  it('maps INTERRUPTED and QUEUED (with queue_time)', () => {
    expect(importSacredRun({ 'run.json': sacredRun({ status: 'INTERRUPTED' }) }, { runId: '1' }).experiment?.status).to.equal('interrupted');
    const queued = importSacredRun({ 'run.json': sacredRun({ status: 'QUEUED', start_time: undefined, queue_time: '2024-03-01T09:59:00' }) }, { runId: '2' }).experiment;
    expect(queued?.status).to.equal('queued');
    expect(queued?.times).to.deep.equal({ queued: '2024-03-01T09:59:00.000Z' });
  });

  it('maps a custom interrupt status to interrupted, keeping the source word', () => {
    const { experiment: e, problems } = importSacredRun({ 'run.json': sacredRun({ status: 'PREEMPTED', stop_time: '2024-03-01T10:30:00' }) }, { runId: '8' });
    expect(problems).to.deep.equal([]);
    expect(e?.status).to.equal('interrupted');
    expect(e?.statusDetail?.raw).to.equal('PREEMPTED');
    expect(e?.statusDetail?.reason).to.contain('custom interrupt status');
  });

  it('maps PROBABLY_DEAD to dead', () => {
    const { experiment: e } = importSacredRun({ 'run.json': sacredRun({ status: 'PROBABLY_DEAD', heartbeat: '2024-03-01T10:05:00' }) }, { runId: '9' });
    expect(e?.status).to.equal('dead');
    expect(e?.statusDetail?.raw).to.equal('PROBABLY_DEAD');
  });

  it('turns a stale RUNNING run dead against options.now, and leaves a fresh one running', () => {
    const run = sacredRun({ status: 'RUNNING', heartbeat: '2024-03-01T10:10:00' });
    const beat = Date.parse('2024-03-01T10:10:00Z');
    const stale = importSacredRun({ 'run.json': run }, { runId: '10', now: beat + 10 * 60_000 }).experiment;
    expect(stale?.status).to.equal('dead');
    expect(stale?.statusDetail?.raw).to.equal('RUNNING');
    expect(stale?.statusDetail?.derived).to.equal(true);
    expect(stale?.statusDetail?.reason).to.contain('heartbeat');
    expect(importSacredRun({ 'run.json': run }, { runId: '10', now: beat + 60_000 }).experiment?.status).to.equal('running');
    expect(importSacredRun({ 'run.json': run }, { runId: '10', now: beat + 60_000, deadAfterMs: 30_000 }).experiment?.status).to.equal('dead');
    // Without a reference instant the reader decides later.
    expect(importSacredRun({ 'run.json': run }, { runId: '10' }).experiment?.status).to.equal('running');
  });

  it('maps comment, ENV, info.json and the sacred version from the dependencies', () => {
    const { experiment: e } = importSacredRun(
      { 'run.json': sacredRun({ status: 'COMPLETED' }), 'info.json': '{"best_epoch": 3, "metrics": []}', 'cout.txt': '' },
      { runId: '11' },
    );
    expect(e?.notes).to.equal('lr sweep, second try');
    expect(e?.host?.env).to.deep.equal({ CUDA_VISIBLE_DEVICES: '0' });
    expect((e?.extensions?.sacred as Record<string, unknown>).info).to.deep.equal({ best_epoch: 3, metrics: [] });
    expect(e?.source?.producer).to.equal('sacred 0.8.7');
    expect(e?.output).to.equal(undefined);
    expect(e?.git).to.equal(undefined);
  });

  it('de-duplicates repositories and reads fail_trace', () => {
    const repo = { url: 'https://example.org/r.git', commit: 'abc', dirty: false };
    const { experiment: e } = importSacredRun(
      { 'run.json': sacredRun({ status: 'FAILED', experiment: { name: 'demo', repositories: [repo, repo, { ...repo, commit: 'def' }] }, fail_trace: ['Traceback (most recent call last):\n', 'ValueError: boom\n'] }) },
      { runId: '12' },
    );
    expect(e?.git).to.deep.equal([repo, { ...repo, commit: 'def' }]);
    expect(e?.error).to.deep.equal({ message: 'ValueError: boom', trace: 'Traceback (most recent call last):\nValueError: boom\n' });
  });
});

describe('importSacredRun metrics', () => {
  it('reads the bare NaN tokens Python writes as NaN numbers; min and max skip them', () => {
    const metrics = '{"loss": {"steps": [0, 1, 2, 3], "timestamps": ["2024-03-01T10:00:01", "2024-03-01T10:00:02", "2024-03-01T10:00:03", "2024-03-01T10:00:04"], "values": [1.5, NaN, 0.5, NaN]}, "gain": {"steps": [0], "timestamps": ["2024-03-01T10:00:01"], "values": [Infinity]}}';
    const { experiment: e, problems } = importSacredRun({ 'run.json': sacredRun({ status: 'COMPLETED' }), 'metrics.json': metrics }, { runId: '13' });
    expect(problems).to.deep.equal([]);
    const loss = e?.metrics?.loss;
    expect(loss?.count).to.equal(4);
    expect(Number.isNaN(loss?.last)).to.equal(true);
    expect(loss?.min).to.equal(0.5);
    expect(loss?.max).to.equal(1.5);
    expect(loss?.lastStep).to.equal(3);
    expect(Number.isNaN(loss?.history?.values[1])).to.equal(true);
    expect(loss?.history?.timestamps?.[3]).to.equal('2024-03-01T10:00:04.000Z');
    expect(e?.metrics?.gain?.last).to.equal(Number.POSITIVE_INFINITY);
  });

  it('keeps the run and names the file and field when a metric is malformed', () => {
    const metrics = '{"acc": {"steps": [0, 1], "timestamps": ["2024-03-01T10:00:01", "2024-03-01T10:00:02"], "values": [0.5, "high"]}, "bad": 3}';
    const { experiment: e, problems } = importSacredRun({ 'run.json': sacredRun({ status: 'COMPLETED' }), 'metrics.json': metrics }, { runId: '14' });
    expect(e?.metrics?.acc?.count).to.equal(1);
    expect(e?.metrics?.bad).to.equal(undefined);
    expect(problems.map((p) => p.path)).to.deep.equal(['metrics.json:$["acc"].values[1]', 'metrics.json:$["bad"]']);
    expect(problems.every((p) => p.severity === 'warning' && p.id === '14')).to.equal(true);
  });

  it('reports a broken run.json as an error naming the file, and a broken config.json as a warning', () => {
    const broken = importSacredRun({ 'run.json': '{"status": "COMPLETED",' }, { runId: '15' });
    expect(broken.experiment).to.equal(undefined);
    expect(broken.problems[0]?.severity).to.equal('error');
    expect(broken.problems[0]?.path).to.equal('run.json:$');
    expect(broken.problems[0]?.message).to.contain('run.json is not valid JSON');
    const noStatus = importSacredRun({ 'run.json': '{"command": "x"}' }, { runId: '16' });
    expect(noStatus.problems[0]?.path).to.equal('run.json:$.status');
    const badConfig = importSacredRun({ 'run.json': sacredRun({ status: 'COMPLETED' }), 'config.json': '{lr: 1}' }, { runId: '17' });
    expect(badConfig.experiment?.params).to.equal(undefined);
    expect(badConfig.problems[0]?.severity).to.equal('warning');
    expect(badConfig.problems[0]?.message).to.contain('config.json is not valid JSON');
  });
});

// ---------------------------------------------------------------------------------------------
// Sacred, MongoObserver documents (extended JSON)
// ---------------------------------------------------------------------------------------------

describe('importSacredMongo', () => {
  const runs = [
    {
      _id: 1,
      format: 'MongoObserver-0.7.0',
      command: 'train',
      experiment: { name: 'mnist', base_dir: '/src', mainfile: 'train.py', sources: [['train.py', { $oid: '65c5aa000000000000000001' }]], dependencies: ['sacred==0.8.4', 'torch==2.1.0'], repositories: [] },
      host: { hostname: 'gpu1', os: ['Linux', 'Linux-6.1'], cpu: 'AMD EPYC', python_version: '3.11.4', ENV: {} },
      start_time: { $date: '2024-02-01T08:00:00.000Z' },
      stop_time: { $date: { $numberLong: '1706778000000' } },
      heartbeat: { $date: 1706777999000 },
      config: { lr: 0.01, seed: 42 },
      meta: { command: 'train', options: {} },
      status: 'COMPLETED',
      resources: [['/data/mnist.npz', '0123456789abcdef0123456789abcdef']],
      artifacts: [{ name: 'model.pt', file_id: { $oid: '65c5aa000000000000000002' } }],
      captured_out: 'epoch 1\nepoch 2\n',
      info: { metrics: [{ id: '65c5aa000000000000000003', name: 'acc' }] },
      result: 0.97,
      omniboard: { tags: ['baseline'], notes: 'best so far' },
    },
    { _id: { $numberInt: '2' }, experiment: { name: 'mnist' }, status: 'RUNNING', start_time: { $date: '2024-02-01T09:00:00Z' }, heartbeat: { $date: '2024-02-01T09:01:00Z' } },
    { _id: 1, status: 'COMPLETED' },
    'not a run',
  ];
  const metrics = [
    {
      _id: { $oid: '65c5aa000000000000000003' },
      run_id: 1,
      name: 'acc',
      steps: [0, 1, 2],
      timestamps: [{ $date: '2024-02-01T08:10:00Z' }, { $date: '2024-02-01T08:20:00Z' }, { $date: '2024-02-01T08:30:00Z' }],
      values: [0.9, { $numberDouble: 'NaN' }, 0.97],
    },
    { run_id: 99, name: 'orphan', steps: [0], timestamps: [], values: [1] },
  ];

  it('maps runs, joins the metrics collection and decodes extended JSON dates', () => {
    const { experiments, problems } = importSacredMongo(runs, metrics, { now: Date.parse('2024-02-01T09:02:00Z') });
    expect(experiments.map((e) => e.id)).to.deep.equal(['1', '2']);
    const [a, b] = experiments as [Experiment, Experiment];
    expectValid(a);
    expect(a.status).to.equal('completed');
    expect(a.name).to.equal('mnist #1');
    expect(a.times).to.deep.equal({ started: '2024-02-01T08:00:00.000Z', stopped: '2024-02-01T09:00:00.000Z', heartbeat: '2024-02-01T08:59:59.000Z' });
    expect(a.params).to.deep.equal({ lr: 0.01, seed: 42 });
    expect(a.notes).to.equal('best so far');
    expect(a.tags).to.deep.equal(['baseline']);
    expect(a.output).to.deep.equal({ stdout: 'epoch 1\nepoch 2\n' });
    expect(a.host).to.deep.equal({ hostname: 'gpu1', os: { system: 'Linux', platform: 'Linux-6.1' }, cpu: { model: 'AMD EPYC' }, python: { version: '3.11.4' } });
    expect(a.source).to.deep.equal({ type: 'sacred', nativeId: '1', producer: 'sacred 0.8.4' });
    expect(a.artifacts).to.deep.equal([
      { name: 'train.py', role: 'source' },
      { name: 'mnist.npz', role: 'input', path: '/data/mnist.npz', digest: 'md5:0123456789abcdef0123456789abcdef' },
      { name: 'model.pt', role: 'output' },
    ]);
    const acc = a.metrics?.acc;
    expect(acc?.count).to.equal(3);
    expect(acc?.last).to.equal(0.97);
    expect(acc?.min).to.equal(0.9);
    expect(acc?.max).to.equal(0.97);
    expect(Number.isNaN(acc?.history?.values[1])).to.equal(true);
    expect(acc?.history?.timestamps).to.deep.equal(['2024-02-01T08:10:00.000Z', '2024-02-01T08:20:00.000Z', '2024-02-01T08:30:00.000Z']);
    const sacred = a.extensions?.sacred as Record<string, unknown>;
    expect(sacred.format).to.equal('MongoObserver-0.7.0');
    expect(sacred.result).to.equal(0.97);
    expect(sacred.gridfs).to.deep.equal({ artifacts: { 'model.pt': '65c5aa000000000000000002' }, sources: { 'train.py': '65c5aa000000000000000001' } });
    expect(sacred.info).to.deep.equal({ metrics: [{ id: '65c5aa000000000000000003', name: 'acc' }] });

    // Heartbeat a minute before `now`: still running.
    expect(b.status).to.equal('running');
    expect(b.name).to.equal('mnist #2');

    expect(problems.map((p) => [p.severity, p.path, p.index])).to.deep.equal([
      ['error', 'runs[2]._id', 2],
      ['error', 'runs[3]', 3],
      ['warning', 'metrics[1].run_id', undefined],
    ]);
    expect(problems[0]?.message).to.contain('duplicate _id');
  });

  it('reads mongoexport text: NDJSON and arrays', () => {
    const nd = '{"_id": 5, "status": "FAILED", "fail_trace": ["boom\\n"]}\n\n{"_id": 6, "status": "QUEUED"}\n';
    const docs = parseMongoExportText(nd);
    expect(docs).to.have.length(2);
    const { experiments } = importSacredMongo(docs);
    expect(experiments.map((e) => [e.id, e.status, e.name])).to.deep.equal([
      ['5', 'failed', '#5'],
      ['6', 'queued', '#6'],
    ]);
    expect(parseMongoExportText('[{"_id": 1, "x": NaN}]')).to.deep.equal([{ _id: 1, x: 'NaN' }]);
    expect(() => parseMongoExportText('{"_id": 1}\n{oops')).to.throw(/line 2/);
  });
});

// ---------------------------------------------------------------------------------------------
// MLflow export (mlflow-export-import samples)
// ---------------------------------------------------------------------------------------------

const EXPORT = 'mlflow-export-import/oss_mlflow';

describe('importMlflowExportRun on the mlflow-export-import samples', () => {
  const cases = [
    {
      file: 'bulk/experiments/1/runs/d057cae15f27465988e72c6212e1f226/run.json',
      // The folder is named after another id than the run it holds.
      id: 'a83cebbccbca41299360c695c5ea72f3',
      name: 'train.sh 2.0.1 2022-12-15 02:17:43',
      group: { id: '1' },
      started: '2022-12-15T02:17:44.322Z',
      stopped: '2022-12-15T02:17:47.923Z',
      updated: '2022-12-15T02:17:45.163Z',
      producer: 'mlflow 2.0.1',
      params: { max_depth: 'None', max_leaf_nodes: '32' },
      metrics: { rmse: 0.7256044469217515, r2: 0.30267631032833586, mae: 0.5688309814398113 },
      commit: 'd38984e536ac5102ccd495fdafe487a418378009',
      command: '/Users/andre/git/andre/mlflow-examples/python/sklearn/wine_quality/train.py',
      models: ['sklearn-model'],
      labels: { data_path: '../../data/train/wine-quality-white.csv', registered_model_name: 'sklearn_wine', 'version.sklearn': '1.1.1', 'mlflow.source.type': 'LOCAL' },
      userId: 'andre',
      exportTags: 0,
    },
    {
      file: 'bulk/experiments/2/runs/5397ae67ee0c49139bf64834b4d27fab/run.json',
      id: '5397ae67ee0c49139bf64834b4d27fab',
      name: 'glamorous-fish-47',
      group: { id: '2', name: 'sklearn_iris' },
      started: '2022-12-06T04:38:55.858Z',
      stopped: '2022-12-06T04:38:58.935Z',
      updated: '2022-12-06T04:38:55.927Z',
      producer: 'mlflow 2.0.1',
      params: { max_depth: '5' },
      metrics: { accuracy_score: 0.9333333333333333, zero_one_loss: 0.06666666666666665 },
      commit: 'd38984e536ac5102ccd495fdafe487a418378009',
      command: 'train.py',
      models: ['sklearn-model'],
      labels: { algorithm: 'sklearn-iris', int: '123', mlflow_version: '2.0.1' },
      userId: 'andre',
      exportTags: 22,
    },
    {
      file: 'bulk/experiments/2/runs/8a6af43e756f433da7a90fd6b4e49c3a/run.json',
      id: '8a6af43e756f433da7a90fd6b4e49c3a',
      name: 'silent-dog-788',
      group: { id: '2', name: 'sklearn_iris' },
      started: '2022-12-06T04:39:55.769Z',
      stopped: '2022-12-06T04:39:58.938Z',
      updated: '2022-12-06T04:39:55.847Z',
      producer: 'mlflow 2.0.1',
      params: { max_depth: '5' },
      metrics: { accuracy_score: 0.9333333333333333, zero_one_loss: 0.06666666666666665 },
      commit: 'd38984e536ac5102ccd495fdafe487a418378009',
      command: 'train.py',
      models: ['sklearn-model'],
      labels: { algorithm: 'sklearn-iris', int: '123', mlflow_version: '2.0.1' },
      userId: 'andre',
      exportTags: 22,
    },
    {
      file: 'single/experiments/basic/runs/eb66c160957d4a28b11d3f1b968df9cd/run.json',
      id: 'eb66c160957d4a28b11d3f1b968df9cd',
      name: 'eb66c160957d4a28b11d3f1b968df9cd',
      group: { id: '1' },
      started: '2023-05-20T23:04:09.419Z',
      stopped: '2023-05-20T23:04:13.222Z',
      updated: '2023-05-20T23:04:09.585Z',
      producer: 'mlflow 2.3.2',
      params: { max_depth: '4', max_leaf_nodes: '32' },
      metrics: { rmse: 0.7367947360663162, r2: 0.28100217442439346, mae: 0.5877424565761121 },
      commit: '1f76cec7520dbc05dc93f8d3faea757fa3a4f703',
      command: '/Users/andre/git/andre/mlflow-examples/python/sklearn/wine_quality/train.py',
      models: ['model', 'onnx-model'],
      labels: { dataset: 'wine-quality', output_path: 'None', run_id: 'eb66c160957d4a28b11d3f1b968df9cd', 'version.onnx': '1.13.0' },
      userId: 'andre',
      exportTags: 0,
    },
    {
      file: 'single/experiments/src_tags/runs/4b0ce88fd34e45fc8ca08876127299ce/run.json',
      id: '4b0ce88fd34e45fc8ca08876127299ce',
      // info.run_name wins; the disagreeing mlflow.runName tag stays visible as a label.
      name: 'wine run',
      group: { id: '1' },
      started: '2023-05-21T19:46:13.736Z',
      stopped: '2023-05-21T19:46:13.846Z',
      // Metrics copied from the source run were logged the day before this run started.
      updated: '2023-05-20T23:04:09.585Z',
      producer: 'mlflow 2.3.2',
      params: { max_depth: '4', max_leaf_nodes: '32' },
      metrics: { rmse: 0.7367947360663162, r2: 0.28100217442439346, mae: 0.5877424565761121 },
      commit: '1f76cec7520dbc05dc93f8d3faea757fa3a4f703',
      command: '/Users/andre/git/andre/mlflow-examples/python/sklearn/wine_quality/train.py',
      models: ['model', 'onnx-model'],
      labels: { 'mlflow.runName': 'a2de425a50884a5cb3817dc8b3f3794a', run_id: 'a2de425a50884a5cb3817dc8b3f3794a', uuid: 'BxgyYaF6Kp692WyUJc2aF6' },
      // mlflow.user says andre, the deprecated user_id says unknown.
      userId: 'unknown',
      exportTags: 18,
    },
  ];

  for (const x of cases) {
    it(`maps ${x.file.split('/').slice(0, 3).join('/')} run ${x.id.slice(0, 8)} field by field`, async () => {
      const { experiment: e, problems, hidden } = importMlflowExportRun(JSON.parse(await text(`${EXPORT}/${x.file}`)));
      expect(problems).to.deep.equal([]);
      expect(hidden).to.equal(undefined);
      if (!e) throw new Error('no experiment');
      expectValid(e);
      expect(e.id).to.equal(x.id);
      expect(e.status).to.equal('completed');
      expect(e.statusDetail).to.deep.equal({ raw: 'FINISHED' });
      expect(e.name).to.equal(x.name);
      expect(e.group).to.deep.equal(x.group);
      expect(e.operator).to.equal('andre');
      expect(e.command).to.equal(x.command);
      expect(e.times).to.deep.equal({ started: x.started, stopped: x.stopped, updated: x.updated });
      expect(e.source).to.deep.equal({ type: 'mlflow', nativeId: x.id, producer: x.producer });
      expect(e.git).to.deep.equal([{ commit: x.commit }]);
      expect(e.params).to.deep.equal(x.params);
      expect(Object.keys(e.metrics ?? {}).sort()).to.deep.equal(Object.keys(x.metrics).sort());
      for (const [key, value] of Object.entries(x.metrics)) {
        expectSummary(e.metrics?.[key], { count: 1, last: value, min: value, max: value, lastStep: 0 });
      }
      const base = (e.extensions?.mlflow as { info: Record<string, unknown> }).info.artifact_uri as string;
      expect(e.artifacts).to.deep.equal(x.models.map((m) => ({ name: m, role: 'model', path: `${base}/${m}` })));
      for (const [k, v] of Object.entries(x.labels)) expect(e.labels?.[k], k).to.equal(v);
      for (const k of ['mlflow.user', 'mlflow.source.git.commit', 'mlflow.source.name', 'mlflow.log-model.history']) expect(e.labels?.[k], k).to.equal(undefined);
      expect(Object.keys(e.labels ?? {}).some((k) => k.startsWith('mlflow_export_import.') || k.startsWith('mlflow_exim.'))).to.equal(false);
      const mlflow = e.extensions?.mlflow as Record<string, unknown>;
      expect(Object.keys((mlflow.exportTags as object | undefined) ?? {})).to.have.length(x.exportTags);
      expect((mlflow.info as Record<string, unknown>).user_id).to.equal(x.userId);
      expect((mlflow.info as Record<string, unknown>).lifecycle_stage).to.equal('active');
      expect((mlflow.loggedModels as unknown[]).length).to.equal(x.models.length);
      expect((mlflow.export as Record<string, unknown>).mlflow_version).to.equal(x.producer.slice('mlflow '.length));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// MLflow file store (mlruns): konradmalik/mlfix
// ---------------------------------------------------------------------------------------------

describe('importMlrunsRun', () => {
  const RUN = 'mlflow-mlruns-konradmalik-mlfix/mlruns/0/6e6280f331a94bf388fa9d0de0ecee99';
  async function dir(sub: string, names: string[]): Promise<Record<string, string>> {
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await text(`${RUN}/${sub}/${n}`)] as const)));
  }

  it('maps the fixture run field by field', async () => {
    const experimentMeta = await text('mlflow-mlruns-konradmalik-mlfix/mlruns/0/meta.yaml');
    expect(experimentMeta).to.contain('name: Default');
    const { experiment: e, problems } = importMlrunsRun(
      {
        'meta.yaml': await text(`${RUN}/meta.yaml`),
        metrics: await dir('metrics', ['mae', 'r2', 'rmse']),
        params: await dir('params', ['alpha', 'l1_ratio']),
        tags: await dir('tags', ['mlflow.log-model.history', 'mlflow.source.git.commit', 'mlflow.source.name', 'mlflow.source.type', 'mlflow.user']),
        artifacts: ['model/MLmodel', 'model/conda.yaml', 'model/model.pkl'],
      },
      { experimentName: 'Default' },
    );
    expect(problems).to.deep.equal([]);
    if (!e) throw new Error('no experiment');
    expectValid(e);
    expect(e.id).to.equal('6e6280f331a94bf388fa9d0de0ecee99');
    expect(e.status).to.equal('completed');
    expect(e.statusDetail).to.deep.equal({ raw: 'FINISHED' });
    // Neither `name` nor a mlflow.runName tag: the run has no name.
    expect(e.name).to.equal(undefined);
    expect(e.group).to.deep.equal({ id: '0', name: 'Default' });
    expect(e.operator).to.equal('konrad');
    expect(e.command).to.equal('testmodel.py');
    expect(e.times).to.deep.equal({ started: '2020-08-20T20:32:05.771Z', stopped: '2020-08-20T20:32:05.819Z', updated: '2020-08-20T20:32:05.803Z' });
    expect(e.params).to.deep.equal({ alpha: '0.5', l1_ratio: '0.5' });
    expect(e.git).to.deep.equal([{ commit: 'f8db0b09fb5ca2c6ffcb6989e5cb910f7ed6cc83' }]);
    expect(e.labels).to.deep.equal({ 'mlflow.source.type': 'LOCAL' });
    expectSummary(e.metrics?.mae, { count: 1, last: 0.21757945918512583, min: 0.21757945918512583, max: 0.21757945918512583, lastStep: 0 });
    expectSummary(e.metrics?.r2, { count: 1, last: -0.05493814470533365, min: -0.05493814470533365, max: -0.05493814470533365, lastStep: 0 });
    expectSummary(e.metrics?.rmse, { count: 1, last: 0.24901379434298318, min: 0.24901379434298318, max: 0.24901379434298318, lastStep: 0 });
    expect(e.metrics?.rmse?.history?.timestamps).to.deep.equal(['2020-08-20T20:32:05.799Z']);
    const base = 'file:///fake/path/mlflow/mlruns/0/6e6280f331a94bf388fa9d0de0ecee99/artifacts';
    expect(e.artifacts).to.deep.equal(['MLmodel', 'conda.yaml', 'model.pkl'].map((f) => ({ name: `model/${f}`, role: 'model', uri: `${base}/model/${f}` })));
    expect(e.source).to.deep.equal({ type: 'mlflow', nativeId: '6e6280f331a94bf388fa9d0de0ecee99', producer: 'mlflow file store' });
    expect((e.extensions?.mlflow as Record<string, unknown>).info).to.deep.equal({ artifact_uri: base, lifecycle_stage: 'active', source_type: 4, user_id: 'konrad' });
  });

  const meta = (extra: string): string => `artifact_uri: s3://bucket/7/abc/artifacts\nend_time: null\nexperiment_id: '7'\nlifecycle_stage: active\nrun_id: abc\nrun_name: trial\nstart_time: 1700000000000\nuser_id: ann\n${extra}`;
  const files = (extra: string, metrics: Record<string, string> = {}) => ({ 'meta.yaml': meta(extra), metrics, params: { lr: '1e-3' }, tags: {} });

  it('maps the integer statuses', () => {
    const got = [1, 2, 3, 4, 5].map((s) => importMlrunsRun(files(`status: ${s}\n`)).experiment?.status);
    expect(got).to.deep.equal(['running', 'queued', 'completed', 'failed', 'interrupted']);
    expect(importMlrunsRun(files('status: 5\n')).experiment?.statusDetail?.raw).to.equal('KILLED');
    expect(importMlrunsRun(files('status: 9\n')).problems[0]?.path).to.equal('meta.yaml:$.status');
  });

  it('hides a deleted run with a warning, not an error', () => {
    const out = importMlrunsRun({ ...files('status: 3\n'), 'meta.yaml': meta('status: 3\n').replace('lifecycle_stage: active', 'lifecycle_stage: deleted') });
    expect(out.experiment).to.equal(undefined);
    expect(out.hidden).to.equal('deleted');
    expect(out.problems).to.have.length(1);
    expect(out.problems[0]?.severity).to.equal('warning');
    expect(out.problems[0]?.message).to.contain('deleted');
  });

  it('reads every point of a metric file, nan and inf included, and keeps params as text', () => {
    const { experiment: e, problems } = importMlrunsRun(files('status: 1\n', { loss: '1700000001000 0.9 0\n1700000002000 nan 1\n1700000003000 0.4 2\n1700000004000 0.5 3\nbroken\n', gain: '1700000001000 inf 0\n' }), {
      now: 1700000004000 + 60_000,
    });
    expect(e?.params).to.deep.equal({ lr: '1e-3' });
    const loss = e?.metrics?.loss;
    expect(loss?.count).to.equal(4);
    expect(loss?.last).to.equal(0.5);
    expect(loss?.min).to.equal(0.4);
    expect(loss?.max).to.equal(0.9);
    expect(loss?.lastStep).to.equal(3);
    expect(Number.isNaN(loss?.history?.values[1])).to.equal(true);
    expect(e?.metrics?.gain?.last).to.equal(Number.POSITIVE_INFINITY);
    expect(problems.map((p) => [p.severity, p.path, p.id])).to.deep.equal([['warning', 'metrics/loss:5', 'abc']]);
    // The last metric a minute ago is a sign of life although the start was long before.
    expect(e?.status).to.equal('running');
    expect(e?.times?.updated).to.equal('2023-11-14T22:13:24.000Z');
    expect(e?.artifacts).to.equal(undefined);
  });

  it('turns a silent RUNNING run dead against options.now', () => {
    const e = importMlrunsRun(files('status: 1\n'), { now: 1700000000000 + 3_600_000 }).experiment;
    expect(e?.status).to.equal('dead');
    expect(e?.statusDetail?.raw).to.equal('RUNNING');
    expect(e?.statusDetail?.derived).to.equal(true);
  });

  it('names meta.yaml when it is not YAML', () => {
    const out = importMlrunsRun({ 'meta.yaml': 'a: [1, 2', metrics: {}, params: {}, tags: {} });
    expect(out.experiment).to.equal(undefined);
    expect(out.problems[0]?.severity).to.equal('error');
    expect(out.problems[0]?.path).to.equal('meta.yaml');
  });
});

// ---------------------------------------------------------------------------------------------
// MLflow REST shapes
// ---------------------------------------------------------------------------------------------

function restRun(over: { info?: Record<string, unknown>; data?: Record<string, unknown>; [k: string]: unknown } = {}): Record<string, unknown> {
  return {
    ...over,
    info: {
      run_id: 'r1',
      run_uuid: 'r1',
      run_name: 'bold-owl-12',
      experiment_id: '3',
      user_id: 'ann',
      status: 'FINISHED',
      start_time: '1700000000000',
      end_time: 1700000600000,
      artifact_uri: 'mlflow-artifacts:/3/r1/artifacts',
      lifecycle_stage: 'active',
      ...over.info,
    },
    data: {
      metrics: [
        { key: 'acc', value: 0.91, timestamp: '1700000500000', step: '9' },
        { key: 'loss', value: 'NaN', timestamp: 1700000500000, step: 9 },
      ],
      params: [
        { key: 'lr', value: '0.001' },
        { key: 'optimizer', value: 'adam' },
      ],
      tags: [
        { key: 'mlflow.user', value: 'ann' },
        { key: 'mlflow.runName', value: 'bold-owl-12' },
        { key: 'mlflow.source.git.commit', value: 'c0ffee' },
        { key: 'mlflow.source.git.branch', value: 'main' },
        { key: 'mlflow.source.git.repoURL', value: 'https://github.com/ann/proj' },
        { key: 'mlflow.note.content', value: 'warm restart' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'team', value: 'vision' },
      ],
      ...over.data,
    },
  };
}

describe('importMlflowRun', () => {
  it('maps a runs/get answer', () => {
    const { experiment: e, problems } = importMlflowRun({ run: restRun() }, { experimentName: 'cifar' });
    expect(problems).to.deep.equal([]);
    if (!e) throw new Error('no experiment');
    expectValid(e);
    expect(e.id).to.equal('r1');
    expect(e.status).to.equal('completed');
    expect(e.name).to.equal('bold-owl-12');
    expect(e.group).to.deep.equal({ id: '3', name: 'cifar' });
    expect(e.operator).to.equal('ann');
    expect(e.notes).to.equal('warm restart');
    expect(e.command).to.equal('train.py');
    expect(e.git).to.deep.equal([{ url: 'https://github.com/ann/proj', commit: 'c0ffee', branch: 'main' }]);
    expect(e.labels).to.deep.equal({ team: 'vision' });
    // The user's tag shows in the Tags column as MLflow's UI writes it.
    expect(e.tags).to.deep.equal(['team: vision']);
    expect(e.params).to.deep.equal({ lr: '0.001', optimizer: 'adam' });
    expect(e.times).to.deep.equal({ started: '2023-11-14T22:13:20.000Z', stopped: '2023-11-14T22:23:20.000Z', updated: '2023-11-14T22:21:40.000Z' });
    // runs/get holds only the latest value of each metric: no count, min, max or history.
    expect(e.metrics?.acc).to.deep.equal({ last: 0.91, lastStep: 9 });
    expect(Number.isNaN(e.metrics?.loss?.last)).to.equal(true);
    expect(e.source).to.deep.equal({ type: 'mlflow', nativeId: 'r1', producer: 'mlflow' });
  });

  it('uses full histories when given', () => {
    const histories = {
      acc: [
        { key: 'acc', value: 0.5, timestamp: 1700000100000, step: 0 },
        { key: 'acc', value: 0.91, timestamp: 1700000500000, step: 9 },
        { key: 'acc', value: 0.95, timestamp: 1700000300000, step: 5 },
      ],
    };
    const e = importMlflowRun(restRun(), { histories }).experiment;
    expect(e?.metrics?.acc?.history?.steps).to.deep.equal([0, 5, 9]);
    expect(e?.metrics?.acc).to.include({ last: 0.91, lastStep: 9, count: 3, min: 0.5, max: 0.95 });
  });

  it('maps RUNNING, SCHEDULED, FAILED and KILLED; the run name falls back to the tag', () => {
    const status = (s: string) => importMlflowRun(restRun({ info: { status: s, end_time: null } })).experiment;
    expect(status('RUNNING')?.status).to.equal('running');
    expect(status('SCHEDULED')?.status).to.equal('queued');
    expect(status('FAILED')?.status).to.equal('failed');
    expect(status('KILLED')?.status).to.equal('interrupted');
    expect(status('KILLED')?.statusDetail?.raw).to.equal('KILLED');
    expect(importMlflowRun(restRun({ info: { run_name: undefined } })).experiment?.name).to.equal('bold-owl-12');
    const bad = importMlflowRun(restRun({ info: { status: 'DONE' } }));
    expect(bad.experiment).to.equal(undefined);
    expect(bad.problems[0]).to.include({ severity: 'error', path: 'run.info.status', id: 'r1' });
  });

  it('turns dataset inputs into dataset artifacts', () => {
    const inputs = { dataset_inputs: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'cifar10', digest: 'd41d8cd9', source_type: 'http', source: '{"url": "https://example.org/cifar10.tgz"}' } }] };
    const e = importMlflowRun(restRun({ inputs })).experiment;
    expect(e?.artifacts).to.deep.equal([{ name: 'cifar10', role: 'dataset', digest: 'd41d8cd9', uri: 'https://example.org/cifar10.tgz' }]);
    expect((e?.extensions?.mlflow as Record<string, unknown>).inputs).to.deep.equal(inputs);
  });
});

describe('MLflow tags and nested runs, as a real MLflow 3.3 server sent them', () => {
  const recorded = async (seq: number): Promise<unknown> => {
    const lines = (await text('mlflow-rest-recorded/exchanges-3.3.jsonl')).split('\n');
    return (JSON.parse(lines[seq - 1] as string) as { responseBody: unknown }).responseBody;
  };

  it('a nested run names its parent\'s id as its parent (and keeps the label mlflow.parentRunId); system tags are not user tags', async () => {
    const e = importMlflowRun(await recorded(142)).experiment;
    expect(e?.name).to.equal('hpo-trial-0');
    expect(e?.parent).to.equal('1285f0303c9f4db0a4f6d5b5c84fadcb');
    expect(e?.labels?.['mlflow.parentRunId']).to.equal('1285f0303c9f4db0a4f6d5b5c84fadcb');
    expect(e?.tags).to.equal(undefined);
  });

  it('user tags become tags "key: value" (the key alone when empty) and stay labels', async () => {
    const run = (await recorded(140)) as { run: { data: { tags: { key: string; value: string }[] } } };
    run.run.data.tags.push({ key: 'team', value: 'vision' }, { key: 'baseline', value: '' });
    const e = importMlflowRun(run).experiment;
    expect(e?.tags).to.deep.equal(['team: vision', 'baseline']);
    expect(e?.labels).to.include({ team: 'vision', baseline: '' });
  });
});

describe('importMlflowSearchResponse', () => {
  it('maps every run, hides deleted ones and returns the page token', () => {
    const json = {
      runs: [restRun(), restRun({ info: { run_id: 'r2', run_uuid: 'r2', lifecycle_stage: 'deleted' } }), restRun({ info: { run_id: 'r3', run_uuid: 'r3', status: 'KILLED' } }), { nope: true }],
      next_page_token: 'tok-2',
    };
    const out = importMlflowSearchResponse(json);
    expect(out.experiments.map((e) => [e.id, e.status])).to.deep.equal([
      ['r1', 'completed'],
      ['r3', 'interrupted'],
    ]);
    expect(out.hiddenCount).to.equal(1);
    expect(out.nextPageToken).to.equal('tok-2');
    expect(out.problems.map((p) => [p.severity, p.path, p.index])).to.deep.equal([
      ['warning', '$.runs[1].info.lifecycle_stage', 1],
      ['error', '$.runs[3]', 3],
    ]);
    expect(importMlflowSearchResponse({})).to.deep.equal({ experiments: [], problems: [], hiddenCount: 0 });
  });
});

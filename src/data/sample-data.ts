import type { Artifact, Experiment, ExperimentCollection, Metric, ParamValue, Status } from './types.js';

/**
 * A deterministic generator of realistic experiments: sweeps of several projects by five
 * operators, all six statuses, nested hyper-parameters, metric histories, host, git,
 * dependencies and artifacts. The demo, the tests, the Storybook and the benchmark use it,
 * so the same seed always gives the same collection.
 */
export interface SampleOptions {
  /** Number of experiments. Default 500. */
  n?: number;
  /** PRNG seed. Default 42. */
  seed?: number;
  /** Points per metric history; 0 leaves histories out (about 1 KB per record). Default 30. */
  historyPoints?: number;
  /** The instant the snapshot is taken (`generatedAt`). Default 2024-06-01T12:00:00Z. */
  generatedAt?: string;
}

/** mulberry32: tiny, fast, good enough for sample data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPERATORS = ['ada.lovelace', 'alan.turing', 'grace.hopper', 'geoffrey.hinton', 'fei-fei.li'];
const PROJECTS = [
  { id: 'cifar10-resnet', name: 'CIFAR-10 ResNet sweep', model: 'resnet' },
  { id: 'imdb-sentiment', name: 'IMDB sentiment (BERT fine-tune)', model: 'bert' },
  { id: 'mnist-mlp', name: 'MNIST MLP baseline', model: 'mlp' },
  { id: 'tabular-xgb', name: 'Credit risk gradient boosting', model: 'xgboost' },
  { id: 'speech-ctc', name: 'Speech CTC conformer', model: 'conformer' },
  { id: 'detr-coco', name: 'DETR on COCO subset', model: 'detr' },
];
const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop'];
const SCHEDULES = ['cosine', 'step', 'linear', 'constant'];
const HOSTS = [
  { hostname: 'gpu-node-01', cpu: 'AMD EPYC 7742 64-Core Processor', cores: 64, gpu: 'NVIDIA A100-SXM4-40GB', gpus: 8, mem: 512 },
  { hostname: 'gpu-node-02', cpu: 'Intel(R) Xeon(R) Gold 6226 CPU @ 2.70GHz', cores: 24, gpu: 'NVIDIA GeForce RTX 2080 Ti', gpus: 4, mem: 192 },
  { hostname: 'workstation-7', cpu: 'AMD Ryzen 9 5950X 16-Core Processor', cores: 16, gpu: 'NVIDIA GeForce RTX 3090', gpus: 1, mem: 64 },
  { hostname: 'laptop-ml', cpu: 'Apple M2 Pro', cores: 12, gpu: '', gpus: 0, mem: 32 },
];
const PYTHONS = ['3.10.13', '3.11.7', '3.12.1'];
const TAGS = ['baseline', 'ablation', 'augment', 'long-run', 'fp16', 'distributed', 'debug', 'best-so-far'];
// Weights: most runs complete, some fail, a few are in the other states.
const STATUS_WEIGHTS: [Status, number][] = [
  ['completed', 0.62],
  ['failed', 0.12],
  ['running', 0.08],
  ['dead', 0.06],
  ['queued', 0.06],
  ['interrupted', 0.06],
];
const FAILURES = [
  ['RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB', 'train.py", line 212, in train_step\n    loss.backward()'],
  ['ValueError: Expected input batch_size (64) to match target batch_size (32).', 'model.py", line 88, in forward\n    return self.criterion(out, target)'],
  ['KeyError: \'label\'', 'data.py", line 41, in __getitem__\n    y = row["label"]'],
];

const DAY = 86_400_000;

export function generateExperiments(options: SampleOptions = {}): Experiment[] {
  return generateCollection(options).experiments;
}

export function generateCollection(options: SampleOptions = {}): ExperimentCollection {
  const n = options.n ?? 500;
  const points = options.historyPoints ?? 30;
  const generatedAt = options.generatedAt ?? '2024-06-01T12:00:00.000Z';
  const now = Date.parse(generatedAt);
  const rnd = seededRandom(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

  const experiments: Experiment[] = [];
  for (let i = 0; i < n; i++) {
    const project = PROJECTS[i % PROJECTS.length] as (typeof PROJECTS)[number];
    const host = pick(HOSTS);
    let r = rnd();
    let status: Status = 'completed';
    for (const [s, w] of STATUS_WEIGHTS) {
      if (r < w) {
        status = s;
        break;
      }
      r -= w;
    }
    const lr = round(10 ** (-5 + rnd() * 3), 6);
    const batch = pick([16, 32, 64, 128, 256]);
    const epochs = pick([10, 20, 50, 100]);
    const optimizer = pick(OPTIMIZERS);
    const dropout = round(rnd() * 0.5, 2);
    const layers = pick([2, 4, 8, 12, 18, 34, 50]);
    const params: Record<string, ParamValue> = {
      optimizer: { name: optimizer, lr, weight_decay: round(rnd() * 0.01, 5), ...(optimizer === 'sgd' ? { momentum: 0.9 } : {}) },
      batch_size: batch,
      epochs,
      dropout,
      model: { arch: project.model, layers, hidden: pick([128, 256, 512, 768, 1024]) },
      schedule: pick(SCHEDULES),
      seed: Math.floor(rnd() * 10_000),
      augment: rnd() < 0.5,
      precision: pick(['fp32', 'fp16', 'bf16']),
    };

    // Quality depends on the parameters, so sweeps show a real pattern.
    const quality = Math.max(0.05, Math.min(0.99, 0.55 + 0.25 * (1 - Math.abs(Math.log10(lr) + 3.3) / 2) + 0.05 * (params.augment ? 1 : 0) - 0.2 * Math.abs(dropout - 0.2) + (rnd() - 0.5) * 0.1));
    const started = now - Math.floor(rnd() * 120 * DAY) - 2 * 3_600_000;
    const runMs = Math.floor((0.2 + rnd() * 6) * 3_600_000);
    const progress = status === 'completed' ? 1 : status === 'queued' ? 0 : 0.15 + rnd() * 0.7;
    const steps = Math.max(1, Math.round(epochs * progress));

    const metrics: Record<string, Metric> = {};
    const metricSpecs: [string, (t: number) => number][] = [
      ['accuracy', (t) => quality * (1 - Math.exp(-4 * t)) + (rnd() - 0.5) * 0.01],
      ['val_accuracy', (t) => quality * 0.97 * (1 - Math.exp(-3.5 * t)) + (rnd() - 0.5) * 0.02],
      ['loss', (t) => (1 - quality) * 2.5 * Math.exp(-3 * t) + 0.05 + rnd() * 0.01],
      ['val_loss', (t) => (1 - quality) * 2.8 * Math.exp(-2.5 * t) + 0.08 + rnd() * 0.02],
      ['f1', (t) => quality * 0.95 * (1 - Math.exp(-4 * t))],
      ['precision', (t) => Math.min(1, quality * 1.02 * (1 - Math.exp(-4 * t)))],
      ['recall', (t) => quality * 0.93 * (1 - Math.exp(-3.8 * t))],
      ['learning_rate', (t) => lr * (params.schedule === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * t)) : 1)],
    ];
    if (status !== 'queued') {
      const count = i % 3 === 0 ? metricSpecs.length : 5 + (i % 3);
      for (const [key, f] of metricSpecs.slice(0, count)) {
        const values: number[] = [];
        const stepsArr: number[] = [];
        const timestamps: string[] = [];
        // Without histories a short sample of the curve is enough for last/min/max.
        const k = Math.min(points > 0 ? points : 12, steps);
        let lo = Infinity;
        let hi = -Infinity;
        let last = 0;
        for (let s = 1; s <= k; s++) {
          const t = (s / k) * progress;
          const v = round(f(t), 5);
          if (v < lo) lo = v;
          if (v > hi) hi = v;
          last = v;
          if (points > 0) {
            stepsArr.push(Math.round((s / k) * steps));
            values.push(v);
            timestamps.push(new Date(started + (s / k) * runMs * progress).toISOString());
          }
        }
        const m: Metric = { last, min: lo, max: hi, count: k, lastStep: steps };
        if (points > 0) m.history = { steps: stepsArr, timestamps, values };
        metrics[key] = m;
      }
      // A diverged run keeps the non-finite values real trainings produce.
      if (status === 'failed' && i % 7 === 0 && metrics.loss) metrics.loss.last = Number.NaN;
    }

    const tags = TAGS.filter(() => rnd() < 0.18);
    const id = `run-${String(i + 1).padStart(6, '0')}`;
    const e: Experiment = {
      id,
      name: `${project.model}-${optimizer}-lr${lr}-bs${batch}`,
      status,
      group: { id: project.id, name: project.name },
      operator: OPERATORS[i % OPERATORS.length] as string,
      command: `python train.py --config configs/${project.id}.yaml --lr ${lr} --batch-size ${batch}`,
      tags,
      params,
      metrics,
      mainMetric: { key: 'val_accuracy', goal: 'maximize' },
    };
    const times: NonNullable<Experiment['times']> = { queued: new Date(started - Math.floor(rnd() * 600_000)).toISOString() };
    if (status !== 'queued') times.started = new Date(started).toISOString();
    if (status === 'completed' || status === 'failed' || status === 'interrupted') times.stopped = new Date(started + Math.floor(runMs * progress)).toISOString();
    if (status === 'running') times.heartbeat = new Date(now - Math.floor(rnd() * 30_000)).toISOString();
    if (status === 'dead') {
      // Dead runs are recorded as running with a stale heartbeat: the reader derives "dead".
      e.status = 'running';
      times.heartbeat = new Date(started + Math.floor(runMs * progress)).toISOString();
      e.statusDetail = { raw: 'RUNNING' };
    }
    if (status === 'interrupted') e.statusDetail = { raw: rnd() < 0.5 ? 'TIMEOUT' : 'KILLED' };
    e.times = times;
    if (status === 'failed') {
      const [message, where] = pick(FAILURES);
      e.error = { message, trace: `Traceback (most recent call last):\n  File "${where}\n${message}` };
    }
    if (rnd() < 0.25) e.notes = pick(['Warm restart from checkpoint 3.', 'Check the label noise in split B.', 'Promising: rerun with 3 seeds.', 'Baseline for the paper table.']);
    e.dependencies = [
      { name: 'numpy', version: pick(['1.26.3', '1.26.4', '2.0.0']), manager: 'pip' },
      { name: project.model === 'xgboost' ? 'xgboost' : 'torch', version: pick(['2.1.0', '2.2.0', '2.3.1']), manager: 'pip' },
      { name: 'scikit-learn', version: '1.4.2', manager: 'pip' },
      { name: 'sacred', version: '0.8.5', manager: 'pip' },
    ];
    e.host = {
      hostname: host.hostname,
      os: { system: host.hostname === 'laptop-ml' ? 'Darwin' : 'Linux', platform: host.hostname === 'laptop-ml' ? 'macOS-14.4-arm64-arm-64bit' : 'Linux-5.15.0-105-generic-x86_64-with-glibc2.35' },
      cpu: { model: host.cpu, cores: host.cores },
      memoryBytes: host.mem * 1024 ** 3,
      python: { version: pick(PYTHONS), implementation: 'CPython' },
      workspaceVersion: `2024.${1 + (i % 5)}.0`,
      gpus: host.gpus ? { count: host.gpus, driverVersion: '535.161.07', devices: Array.from({ length: Math.min(host.gpus, 2) }, () => ({ model: host.gpu, memoryBytes: 24 * 1024 ** 3 })) } : { count: 0 },
    };
    e.git = [{ url: `https://github.com/example-lab/${project.id}.git`, commit: Math.floor(rnd() * 2 ** 52).toString(16).padStart(13, '0') + 'a1b2c3d4e5f6a7b8c9d0e1f', branch: pick(['main', 'main', 'feature/aug', 'exp/lr-sweep']), dirty: rnd() < 0.2 }];
    const artifacts: Artifact[] = [{ name: `${project.id}-train.parquet`, role: 'dataset', uri: `https://data.example.org/${project.id}/train.parquet`, sizeBytes: Math.floor(rnd() * 2e9), mediaType: 'application/vnd.apache.parquet' }];
    if (status === 'completed') artifacts.push({ name: 'model.pt', role: 'model', uri: `https://models.example.org/${id}/model.pt`, sizeBytes: Math.floor(rnd() * 5e8), mediaType: 'application/octet-stream' });
    artifacts.push({ name: 'train.log', role: 'log', path: `runs/${id}/train.log`, sizeBytes: Math.floor(rnd() * 1e6), mediaType: 'text/plain' });
    e.artifacts = artifacts;
    e.source = { type: 'sample', nativeId: String(i + 1), producer: 'experiment-dashboard sample-data' };
    experiments.push(e);
  }
  return {
    schemaVersion: '1.0',
    kind: 'ExperimentCollection',
    generatedAt,
    source: { type: 'sample', producer: 'experiment-dashboard sample-data' },
    defaults: { mainMetric: { key: 'val_accuracy', goal: 'maximize' }, deadAfterMs: 120_000 },
    experiments,
  };
}

/** JSON text of a collection: non-finite numbers as the strings format v1 uses. */
export function collectionToJson(collection: ExperimentCollection, space?: number): string {
  return JSON.stringify(collection, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), space);
}

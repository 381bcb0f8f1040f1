#!/usr/bin/env node
// @ts-check
// The experiment-dashboard command line: report, convert, validate, serve.
// Exit codes: 0 done, 1 failed (unreadable input, invalid records), 2 usage error.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDataLogic } from './load-data-logic.mjs';
import { classifyJson, InputError, inlineArtifacts, markNotCarried, MAX_INLINE_ARTIFACT_BYTES, readInputs, servableArtifacts, shown } from './read-inputs.mjs';

const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const BUNDLE = fileURLToPath(new URL('../dist/experiment-dashboard.bundle.js', import.meta.url));
const PROGRAM = 'experiment-dashboard';

const INPUTS_HELP = `Inputs (each one's kind is detected):
  collection.json      a format-v1 collection (or an array of experiments)
  runs/                a Sacred FileStorageObserver run folder (run.json), or the folder holding them
  mlruns/              an MLflow file store (<experiment>/<run>/meta.yaml), one experiment or one run
  search.json          an MLflow REST answer: runs/search, runs/get
  run.json / export/   mlflow-export-import run.json files, or the export folder
  runs.json            a Sacred MongoObserver "runs" collection from mongoexport
  http://host:5000     an MLflow tracking server (REST API): every active run, with metric histories`;

const SOURCE_OPTIONS_HELP = `  --experiment NAME|ID       for a tracking server: the experiments to read, by name or id
                             (comma-separated or repeated; default: every active experiment)
  --dead-after DURATION      a running run silent for longer is shown as dead, e.g. 90s, 10m, 1h
                             (a bare number is seconds; default: 2 minutes, longer for runs that say
                             they beat or log more slowly)`;

const HELP = {
  main: `Usage: ${PROGRAM} <command> [options]

Compare ML experiments: turn Sacred and MLflow runs into one offline HTML report or a
format-v1 collection, check collections, or serve one over HTTP.

Commands:
  report <inputs...> -o report.html    one self-contained HTML file (opens from disk, offline)
  convert <inputs...> [-o out.json]    Sacred/MLflow runs -> a format-v1 collection
  validate <file>                      check a collection against format v1
  serve [--data FILE|DIR]              the reference HTTP API over a collection

Run "${PROGRAM} <command> --help" for a command's options.
Exit codes: 0 done, 1 failed (unreadable input or invalid records), 2 wrong usage.`,
  report: `Usage: ${PROGRAM} report <inputs...> -o report.html [options]

Writes ONE HTML file with the dashboard and the data inlined: no server, no network; it opens
from disk (file://) under a strict Content-Security-Policy.

Options:
  -o, --output FILE          the HTML file to write (required)
  --title TEXT               the report's title (default "Experiment report")
  --main-metric KEY[:max|:min]
                             the metric to compare runs by (default: the inputs' own, if any)
  --inline-artifacts         embed local artifact files smaller than ${MAX_INLINE_ARTIFACT_BYTES / 1024} KB as data: URLs;
                             other artifacts stay links to their original location
${SOURCE_OPTIONS_HELP}
  -h, --help                 this help

${INPUTS_HELP}

Problems found in the inputs are printed on stderr, naming the file and the field.`,
  convert: `Usage: ${PROGRAM} convert <inputs...> [-o collection.json] [options]

Converts runs to one format-v1 collection (JSON). Problems are printed on stderr, one per line,
naming the file and the field; runs that cannot be converted are left out and the exit code is 1.

Options:
  -o, --output FILE          the file to write (default: standard output)
  --main-metric KEY[:max|:min]
                             record the metric to compare runs by in the collection's defaults
  --pretty                   indent the JSON
${SOURCE_OPTIONS_HELP}
  -h, --help                 this help

${INPUTS_HELP}`,
  validate: `Usage: ${PROGRAM} validate <file>

Checks a collection file against record format v1 and prints every problem (errors: the record
would be left out; warnings: a field would be dropped). Exit code 1 when there is any error,
0 when there are only warnings or nothing at all.

Options:
  -h, --help                 this help`,
  serve: `Usage: ${PROGRAM} serve [--data FILE|DIR] [options]

Serves a collection over the HTTP API of openapi/experiment-dashboard.openapi.yaml (the reference
server). Point <experiment-dashboard endpoint="http://HOST:PORT/"> at it.

Options:
  --data FILE|DIR            a collection file, or any input "convert" reads (default: sample data)
  --port N                   the port (default 8010; 0 picks a free one)
  --host NAME                the interface to listen on (default 127.0.0.1: this machine only)
  --writable                 allow deleting experiments (written back to a collection file; deleted
                             ones move to FILE.trash.json and POST /experiments/restore brings them back)
  --cors-origin ORIGIN       let web pages from ORIGIN (e.g. http://localhost:8000) read; repeat for
                             more. They may change data only when --token is set and they send it.
                             Default: no page of another origin may use the server.
  --token TOKEN              changes need "Authorization: Bearer TOKEN" (16+ characters; prefer the
                             EXPERIMENT_DASHBOARD_TOKEN environment variable: a flag shows in "ps").
                             Required with --writable on any --host other than loopback.
  -h, --help                 this help

Security: reads are open to whoever can reach the port; on 127.0.0.1 requests addressed to another
host name are refused (DNS rebinding). To share with a team, put it behind a reverse proxy with
TLS, see README "Security".`,
};

class UsageError extends Error {}

const out = (/** @type {string} */ text) => process.stdout.write(`${text}\n`);
const err = (/** @type {string} */ text) => process.stderr.write(`${text}\n`);

/** @typedef {NonNullable<import('node:util').ParseArgsConfig['options']>} OptionConfigs */

/**
 * @template {OptionConfigs} O
 * @param {string} command
 * @param {string[]} argv
 * @param {O} options
 */
function parse(command, argv, options) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: /** @type {const} */ ('boolean'), short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(/** @type {Error} */ (e).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

/**
 * `--main-metric KEY[:max|:min]`, read by the same parser as the element's `main-metric`.
 * @param {string | undefined} value
 * @returns {Promise<import('../src/data/types.js').MainMetricSpec | undefined>}
 */
async function parseMainMetric(value) {
  if (value === undefined) return undefined;
  const spec = (await loadDataLogic()).parseMainMetricAttribute(value);
  if (!spec) throw new UsageError(`--main-metric must be KEY, KEY:max or KEY:min, found ${JSON.stringify(value)}`);
  return { key: spec.key, goal: spec.goal ?? 'maximize' };
}

/**
 * `--dead-after 90s|10m|1h|300` (a bare number is seconds) -> ms, with the dashboard's parser.
 * @param {string | undefined} value
 */
async function parseDeadAfter(value) {
  if (value === undefined) return undefined;
  const ms = (await loadDataLogic()).parseDuration(value, 's');
  if (ms === undefined) throw new UsageError(`--dead-after must be a duration like 90s, 10m or 1h, found ${JSON.stringify(value)}`);
  return ms;
}

/** The options every reading command shares. */
const SOURCE_OPTIONS = /** @type {const} @satisfies {OptionConfigs} */ ({ experiment: { type: 'string', multiple: true }, 'dead-after': { type: 'string' } });

/** @param {{ experiment?: string[], 'dead-after'?: string }} values */
async function sourceOptions(values) {
  return { experiments: (values.experiment ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== ''), deadAfterMs: await parseDeadAfter(values['dead-after']) };
}

/**
 * Prints problems, one per line: `<file and field>: <severity>: <message>`.
 * @param {import('./read-inputs.mjs').InputProblem[]} problems
 */
function printProblems(problems) {
  for (const p of problems) err(`${shown(p.location)}: ${p.severity}: ${p.message}${p.id !== undefined ? ` [run ${p.id}]` : ''}`);
}

/**
 * A main metric no run has gives a table with an empty comparison column and no best run: say so,
 * with the metrics there are, since a typo (val_loss / loss_val) is the usual cause.
 * @param {import('../src/data/types.js').MainMetricSpec} mainMetric
 * @param {import('../src/data/types.js').Experiment[]} experiments
 */
function warnUnknownMainMetric(mainMetric, experiments) {
  /** @type {Set<string>} */
  const known = new Set();
  for (const e of experiments) {
    for (const key of Object.keys(e.metrics ?? {})) known.add(key);
    if (typeof e.mainMetric?.key === 'string') known.add(e.mainMetric.key);
  }
  if (experiments.length === 0 || known.has(mainMetric.key)) return;
  const names = [...known].sort();
  const list = names.length === 0 ? 'the runs have no metrics' : `the metrics are ${names.slice(0, 30).join(', ')}${names.length > 30 ? `, and ${names.length - 30} more` : ''}`;
  err(`${PROGRAM}: warning: no run has the main metric "${mainMetric.key}" (--main-metric); ${list}.`);
}

/**
 * Reads inputs, prints what went wrong, and returns the collection and whether anything failed.
 * @param {string[]} inputs
 * @param {import('../src/data/types.js').MainMetricSpec} [mainMetric]
 * @param {{ experiments?: string[], deadAfterMs?: number }} [sources]
 */
async function collect(inputs, mainMetric, { experiments = [], deadAfterMs } = {}) {
  const logic = await loadDataLogic();
  const started = Date.now();
  const read = await readInputs(inputs, logic, { now: started, experiments, deadAfterMs, onProgress: (n) => err(`${PROGRAM}: ${n.toLocaleString('en-US')} runs read…`) });
  printProblems(read.problems);
  for (const f of read.failures) err(`${f}`);
  if (read.hidden > 0) err(`${PROGRAM}: ${read.hidden} run${read.hidden === 1 ? ' is' : 's are'} deleted in MLflow and ${read.hidden === 1 ? 'was' : 'were'} skipped, as MLflow hides them.`);
  const defaults = { ...read.defaults };
  if (mainMetric) defaults.mainMetric = mainMetric;
  if (mainMetric) warnUnknownMainMetric(mainMetric, read.entries.map((e) => e.experiment));
  // The dashboard judges running runs again when it reads the collection: with the same limit.
  if (deadAfterMs !== undefined) defaults.deadAfterMs = deadAfterMs;
  /** @type {import('../src/data/types.js').ExperimentCollection} */
  const collection = {
    schemaVersion: '1.0',
    kind: 'ExperimentCollection',
    generatedAt: new Date(started).toISOString(),
    source: { type: 'experiment-dashboard', producer: `${PROGRAM} ${PACKAGE.version}` },
    defaults,
    experiments: read.entries.map((e) => e.experiment),
  };
  const errors = read.problems.filter((p) => p.severity === 'error').length;
  return { logic, read, collection, failed: read.failures.length > 0 || errors > 0 };
}

/** Write-then-rename: an interrupted run never leaves half a file where a good one was. */
/** @param {string} file @param {string} text */
async function writeOutput(file, text) {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

/** @param {string} command @param {string[]} positionals */
function needInputs(command, positionals) {
  if (positionals.length === 0) throw new UsageError(`give at least one input (a file or folder) to ${command}.`);
}

/** @param {string[]} argv @returns {Promise<number>} exit code */
async function report(argv) {
  const { values, positionals } = parse('report', argv, {
    output: { type: 'string', short: 'o' },
    title: { type: 'string' },
    'main-metric': { type: 'string' },
    'inline-artifacts': { type: 'boolean' },
    ...SOURCE_OPTIONS,
  });
  if (values.help) {
    out(HELP.report);
    return 0;
  }
  needInputs('report', positionals);
  if (!values.output) throw new UsageError('say where to write the HTML file with -o report.html.');
  const mainMetric = await parseMainMetric(values['main-metric']);
  const sources = await sourceOptions(values);
  if (!existsSync(BUNDLE)) {
    err(`${PROGRAM}: ${shown(BUNDLE)} is missing: run "npm run build" first (the report inlines it).`);
    return 1;
  }
  const { logic, read, collection, failed } = await collect(positionals, mainMetric, sources);
  if (read.entries.length === 0) {
    err(`${PROGRAM}: no runs to report; nothing was written.`);
    return 1;
  }
  if (values['inline-artifacts']) {
    const n = await inlineArtifacts(read.entries);
    err(`${PROGRAM}: ${n} artifact file${n === 1 ? '' : 's'} inlined.`);
  } else markNotCarried(read.entries);
  collection.experiments = read.entries.map((e) => e.experiment);
  const html = await logic.buildReportHtml({ collection, bundleText: await readFile(BUNDLE, 'utf8'), title: values.title, generatedAt: collection.generatedAt });
  await writeOutput(values.output, html);
  err(`${PROGRAM}: wrote ${shown(resolve(values.output))} (${collection.experiments.length} experiment${collection.experiments.length === 1 ? '' : 's'}, ${Math.round(Buffer.byteLength(html) / 1024)} KB).`);
  return failed ? 1 : 0;
}

/** @param {string[]} argv @returns {Promise<number>} exit code */
async function convert(argv) {
  const { values, positionals } = parse('convert', argv, {
    output: { type: 'string', short: 'o' },
    'main-metric': { type: 'string' },
    pretty: { type: 'boolean' },
    ...SOURCE_OPTIONS,
  });
  if (values.help) {
    out(HELP.convert);
    return 0;
  }
  needInputs('convert', positionals);
  const mainMetric = await parseMainMetric(values['main-metric']);
  const { logic, read, collection, failed } = await collect(positionals, mainMetric, await sourceOptions(values));
  if (read.entries.length === 0 && read.failures.length > 0) {
    err(`${PROGRAM}: nothing could be read; nothing was written.`);
    return 1;
  }
  const text = `${logic.collectionToJson(collection, values.pretty ? 2 : undefined)}\n`;
  if (!values.output || values.output === '-') process.stdout.write(text);
  else {
    await writeOutput(values.output, text);
    err(`${PROGRAM}: wrote ${shown(resolve(values.output))} (${collection.experiments.length} experiment${collection.experiments.length === 1 ? '' : 's'}).`);
  }
  return failed ? 1 : 0;
}

/** @param {string[]} argv @returns {Promise<number>} exit code */
async function validate(argv) {
  const { values, positionals } = parse('validate', argv, {});
  if (values.help) {
    out(HELP.validate);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one collection file.');
  const file = positionals[0];
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const failure = /** @type {NodeJS.ErrnoException} */ (e);
    err(`${file}: error: cannot read it (${failure.code === 'ENOENT' ? 'no such file' : failure.message})`);
    return 1;
  }
  const logic = await loadDataLogic();
  let doc;
  try {
    doc = logic.parseJsonText(text);
  } catch (e) {
    err(`${file}: error: not valid JSON (${/** @type {Error} */ (e).message})`);
    return 1;
  }
  let result;
  try {
    // Judge `running` records against the file's own generatedAt, as a report would.
    result = logic.parseCollection(doc, { origin: file });
  } catch (e) {
    err(`${file}: error: ${/** @type {Error} */ (e).message}`);
    return 1;
  }
  const problems = [...result.problems];
  if (Array.isArray(doc)) {
    problems.unshift({ severity: 'warning', path: '$', message: 'a bare array of experiments: the dashboard reads it, but a format-v1 file is {"schemaVersion": "1.0", "kind": "ExperimentCollection", "experiments": [...]}' });
  } else if (doc && typeof doc === 'object') {
    if (/** @type {Record<string, unknown>} */ (doc).schemaVersion === undefined) problems.unshift({ severity: 'warning', path: '$.schemaVersion', message: 'missing; write "1.0" so readers know the format version' });
    if (/** @type {Record<string, unknown>} */ (doc).kind === undefined) problems.unshift({ severity: 'warning', path: '$.kind', message: 'missing; write "ExperimentCollection"' });
  }
  for (const p of problems) err(`${file}: ${p.severity}: ${logic.formatProblem(p)}`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const summary = `${result.experiments.length} valid experiment${result.experiments.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (errors > 0) {
    err(`${file}: invalid: ${summary}.`);
    return 1;
  }
  out(`${file}: valid format v1: ${summary}.`);
  return 0;
}

/** @param {string[]} argv @returns {Promise<number>} exit code */
async function serve(argv) {
  const { values, positionals } = parse('serve', argv, {
    data: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    writable: { type: 'boolean' },
    'cors-origin': { type: 'string', multiple: true },
    token: { type: 'string' },
  });
  if (values.help) {
    out(HELP.serve);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}; give the data with --data ${positionals[0]}.`);
  const port = values.port === undefined ? 8010 : /^\d{1,5}$/.test(values.port) && Number(values.port) <= 65535 ? Number(values.port) : undefined;
  if (port === undefined) throw new UsageError(`--port must be a number from 0 to 65535, found ${JSON.stringify(values.port)}.`);
  const serverFile = new URL('../server/reference-server.mjs', import.meta.url);
  if (!existsSync(fileURLToPath(serverFile))) {
    err(`${PROGRAM}: this installation has no reference server (${shown(fileURLToPath(serverFile))}).`);
    return 1;
  }
  const { startServer } = /** @type {typeof import('../server/reference-server.mjs')} */ (await import(serverFile.href));
  const token = values.token ?? (process.env.EXPERIMENT_DASHBOARD_TOKEN || undefined);
  /** @type {import('../server/reference-server.mjs').ServerOptions & { cors: string[] }} */
  const options = { host: values.host ?? '127.0.0.1', port, writable: Boolean(values.writable), cors: values['cors-origin'] ?? [], token };
  let what;
  if (values.data === undefined) {
    const logic = await loadDataLogic();
    options.data = logic.generateCollection({ n: 500 });
    what = 'built-in sample data (500 experiments)';
    if (options.writable) err(`${PROGRAM}: deletions change the sample data in memory only.`);
  } else {
    const dataPath = resolve(values.data);
    let isCollectionFile = false;
    if (existsSync(dataPath) && !statSync(dataPath).isDirectory()) {
      const logic = await loadDataLogic();
      try {
        isCollectionFile = classifyJson(logic.parseJsonText(await readFile(dataPath, 'utf8'))) === 'collection';
      } catch {
        isCollectionFile = false;
      }
    }
    if (isCollectionFile) {
      options.dataFile = dataPath;
      what = shown(dataPath);
    } else {
      const { collection, read } = await collect([values.data]);
      if (read.failures.length > 0) return 1;
      // The run folders hold the artifact files: serve them from there.
      options.artifactRoot = statSync(dataPath).isDirectory() ? dataPath : dirname(dataPath);
      options.data = { ...collection, experiments: await servableArtifacts(read.entries, options.artifactRoot) };
      what = `${shown(dataPath)} (${collection.experiments.length} experiment${collection.experiments.length === 1 ? '' : 's'}, converted)`;
      if (options.writable) err(`${PROGRAM}: ${shown(dataPath)} is not a collection file: deletions are kept in memory only.`);
    }
  }
  let server;
  try {
    server = await startServer(options);
  } catch (e) {
    const failure = /** @type {NodeJS.ErrnoException} */ (e);
    if (failure?.name === 'UnsafeConfigError') {
      err(`${PROGRAM} serve: ${failure.message}`);
      return 2;
    }
    err(`${PROGRAM}: could not start the server on ${options.host}:${port} (${failure.code === 'EADDRINUSE' ? 'the port is in use: choose another with --port' : failure.message}).`);
    return 1;
  }
  for (const p of server.problems ?? []) err(`${what}: ${p.severity}: ${p.path}: ${p.message}`);
  for (const f of server.removedTemporaryFiles ?? []) err(`${PROGRAM}: removed ${shown(f)}, left by an interrupted write.`);
  if (options.writable && options.cors.length > 0 && !token) {
    err(`${PROGRAM}: pages from ${options.cors.join(', ')} may read but not delete: changes from web pages need a token (--token or EXPERIMENT_DASHBOARD_TOKEN).`);
  }
  if (options.writable && options.dataFile) err(`${PROGRAM}: deleted experiments are kept in ${shown(/** @type {string} */ (server.trashFile)) /* writable with a data file: always set */}; POST /experiments/restore brings them back.`);
  const access = options.writable ? `writable${token ? ', changes need the token' : ''}` : 'read-only';
  const pages = options.cors.length > 0 ? `; pages from ${options.cors.join(', ')} may use it` : '';
  out(`Serving ${what} at ${server.url} (${access}${pages}). Press Ctrl+C to stop.`);
  await new Promise(/** @param {(value?: undefined) => void} resolveStop */ (resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

const COMMANDS = { report, convert, validate, serve };

/**
 * @param {string[]} argv
 * @returns {Promise<number>} exit code
 */
export async function main(argv) {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      // Own keys only: `help constructor` is no topic (it printed Object's source).
      if (topic && Object.hasOwn(HELP, topic)) out(HELP[/** @type {keyof typeof HELP} */ (topic)]);
      else out(HELP.main);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      out(PACKAGE.version);
      return 0;
    }
    // Own keys only: `toString` or `constructor` is an unknown command, not a crash.
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[/** @type {keyof typeof COMMANDS} */ (command)] : undefined;
    if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}; the commands are ${Object.keys(COMMANDS).join(', ')}.`);
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${PROGRAM}${Object.hasOwn(COMMANDS, command) ? ` ${command}` : ''}: ${e.message}`);
      err(`Run "${PROGRAM} ${Object.hasOwn(COMMANDS, command) ? `${command} ` : ''}--help" for usage.`);
      return 2;
    }
    if (e instanceof InputError) {
      err(e.message);
      return 1;
    }
    // The data code runs from a data: URL in a checkout: its stack is noise unless asked for.
    const failure = /** @type {Error | undefined} */ (e);
    err(`${PROGRAM}: unexpected failure: ${process.env.DEBUG ? (failure?.stack ?? e) : (failure?.message ?? e)}`);
    return 1;
  }
}

/** True when this file is the program being run (directly, or through npm's bin link). */
function isMain() {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  // `convert ... | head`: the reader is gone, so there is nobody left to tell; stop quietly.
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

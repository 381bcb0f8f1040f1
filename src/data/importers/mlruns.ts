import { parse as parseYaml } from 'yaml';
import { importMlrunsParsed, type MlflowImportOptions, type MlflowRunResult, type MlrunsRunFiles } from './mlflow.js';

/** One run folder of an `mlruns` file store (`mlruns/<experiment id>/<run id>/`). */
export function importMlrunsRun(files: MlrunsRunFiles, options: MlflowImportOptions = {}): MlflowRunResult {
  let meta: unknown;
  try {
    // PyYAML writes YAML 1.1 and quotes every string that would read as something else.
    meta = parseYaml(files['meta.yaml'], { version: '1.1' });
  } catch (err) {
    return importMlrunsParsed(undefined, err as Error, files, options);
  }
  return importMlrunsParsed(meta, undefined, files, options);
}

export { importSacredRun, importSacredMongo, parseMongoExportText, fromExtendedJson } from './sacred.js';
export type { SacredRunFiles, SacredImportOptions, SacredRunResult, SacredMongoResult } from './sacred.js';
export { importMlflowRun, importMlflowSearchResponse, importMlflowExportRun } from './mlflow.js';
export { importMlrunsRun } from './mlruns.js';
export type { MlflowImportOptions, MlflowRunResult, MlflowSearchResult, MlrunsRunFiles } from './mlflow.js';

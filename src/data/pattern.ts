/**
 * User patterns (the `matches` filter) run on RE2 (the `re2js` port), whose matching time grows
 * linearly with the text whatever the pattern. JavaScript's own engine backtracks: on the
 * reference server `^(([a-z0-9]|-|[a-z0-9-])*)*X$` took ~45 ms per 12-character name, about
 * 75 minutes over 100,000 records, on one thread that nothing else could use meanwhile; typed into
 * a column filter it froze the page the same way.
 *
 * The engine is ~46 KB gzip, more than the table needs to show its rows, so it is fetched only
 * when a query has a `matches` filter: `loadPatternEngine()` (called by query.ts `prepareQuery`)
 * loads it once; compiling a pattern afterwards is synchronous.
 */

type Engine = typeof import('re2js');

let engine: Engine | undefined;
let loading: Promise<Engine> | undefined;

/** Loads the pattern engine once; later calls resolve at once. */
export function loadPatternEngine(): Promise<void> {
  if (engine) return Promise.resolve();
  loading ??= import('re2js').then(
    (m) => (engine = m),
    (err: unknown) => {
      loading = undefined; // asked again next time
      throw new Error(`Could not load the pattern engine of the "matches" filter (${err instanceof Error ? err.message : String(err)}). Reload the page once the server it came from can be reached again.`);
    },
  );
  return loading.then(() => undefined);
}

/** True once `loadPatternEngine()` has finished. */
export const patternEngineLoaded = (): boolean => engine !== undefined;

/** What a pattern uses that RE2 cannot do: backtracking features. */
interface Unsupported {
  feature: string;
  token: string;
}

/**
 * Finds a backreference or a lookaround in a pattern that is valid JavaScript syntax. RE2 refuses
 * both; `\k<name>` it would even take as the plain text `k<name>`, so this is checked first.
 */
function unsupportedFeature(pattern: string): Unsupported | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && next >= '1' && next <= '9') return { feature: 'a backreference', token: `\\${/^\d+/.exec(pattern.slice(i + 1))?.[0] ?? next}` };
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return { feature: 'a backreference', token: pattern.slice(i, pattern.indexOf('>', i) + 1 || undefined) };
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind.startsWith('=')) return { feature: 'a lookahead', token: '(?=' };
      if (kind.startsWith('!')) return { feature: 'a negative lookahead', token: '(?!' };
      if (kind === '<=') return { feature: 'a lookbehind', token: '(?<=' };
      if (kind === '<!') return { feature: 'a negative lookbehind', token: '(?<!' };
    }
  }
  return undefined;
}

/** Longest pattern accepted for `matches`: a long pattern costs memory to compile, even in RE2. */
export const MAX_PATTERN_LENGTH = 200;

const quoted = (pattern: string): string => JSON.stringify(pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern);

/** What is wrong with a pattern that no engine is needed to see. */
function syntaxProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters; shorten it`;
  try {
    new RegExp(pattern, 'i'); // compiled, never run: only its syntax is checked
  } catch (err) {
    return `${quoted(pattern)} is not a valid regular expression (${(err as Error).message})`;
  }
  const unsupported = unsupportedFeature(pattern);
  if (unsupported) {
    return `pattern ${quoted(pattern)} uses ${unsupported.feature} (${unsupported.token}), which is not supported: patterns are matched in linear time (RE2 syntax), without backreferences or lookaround; write the text out, or add a second filter`;
  }
  return undefined;
}

const compileEngine = ({ RE2JS }: Engine, pattern: string) => RE2JS.compile(RE2JS.translateRegExp(pattern), RE2JS.CASE_INSENSITIVE);

/**
 * Why a `matches` pattern cannot be used, as a clause for "filter 1 (name matches): <clause>"
 * (capitalise it to show it alone), or undefined when it can be used: too long, not a regular expression, or using a backtracking feature
 * (backreference, lookaround) that linear-time matching rules out. Needs no engine; once the
 * engine is loaded, what RE2 itself refuses (e.g. `a{1001}`) is reported too.
 */
export function patternProblem(pattern: string): string | undefined {
  const problem = syntaxProblem(pattern);
  if (problem || !engine) return problem;
  try {
    compileEngine(engine, pattern);
  } catch (err) {
    return `pattern ${quoted(pattern)} is not supported by the linear-time pattern engine (${(err as Error).message.replace(/^error parsing regexp: /, '')}); use RE2 syntax`;
  }
  return undefined;
}

/**
 * A case-insensitive test of `pattern` against a text, in linear time. A pattern that cannot be
 * used (see `patternProblem`: half-typed, too long, backtracking) matches as plain text instead,
 * so a filter being typed never throws at every keystroke.
 *
 * @throws Error when the pattern needs the engine and `loadPatternEngine()` has not finished:
 *   a programming error (the caller forgot `await prepareQuery(query)`), never a user's.
 */
export function compilePattern(pattern: string): (text: string) => boolean {
  const literal = (): ((text: string) => boolean) => {
    const lower = pattern.toLowerCase();
    return (text) => text.toLowerCase().includes(lower);
  };
  if (syntaxProblem(pattern) !== undefined) return literal();
  if (!engine) {
    throw new Error(`The "matches" filter ${quoted(pattern)} needs the pattern engine, which is not loaded yet: await prepareQuery(query) before compilePredicate(query) or applyQuery(...).`);
  }
  let re: ReturnType<typeof compileEngine>;
  try {
    re = compileEngine(engine, pattern);
  } catch {
    return literal();
  }
  return (text) => re.test(text);
}

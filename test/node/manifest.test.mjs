// custom-elements.json is generated (npm run analyze) and committed: it must match what the
// analyzer writes from the sources today, and describe every element's public attributes,
// properties and events, read here independently from the sources with the TypeScript parser.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPONENTS = join(ROOT, 'src/components');
const COMMITTED = join(ROOT, 'custom-elements.json');
const CEM = join(ROOT, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
const STALE = 'custom-elements.json is stale: run npm run analyze';

let tmp;
let committed;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ed-manifest-'));
  assert.ok(existsSync(COMMITTED), 'custom-elements.json is missing: run npm run analyze');
  committed = JSON.parse(readFileSync(COMMITTED, 'utf8'));
});

after(() => rmSync(tmp, { recursive: true, force: true }));

/** Class declarations of custom elements in the manifest, by tag name. */
function elementsByTag(manifest) {
  const byTag = new Map();
  for (const mod of manifest.modules ?? []) {
    for (const decl of mod.declarations ?? []) if (decl.customElement && decl.tagName) byTag.set(decl.tagName, decl);
  }
  return byTag;
}

const parse = (file) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const literal = (node) => (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined);

function walk(node, visit) {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** `customElements.define('tag', Class)` calls in src/components/<tag>/<tag>.ts. */
function definedElements() {
  const out = [];
  for (const dir of readdirSync(COMPONENTS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(join(COMPONENTS, dir.name))) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      walk(parse(join(COMPONENTS, dir.name, name)), (node) => {
        if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
        if (node.expression.name.text !== 'define' || !/customElements$/.test(node.expression.expression.getText())) return;
        const tag = literal(node.arguments[0]);
        const className = node.arguments[1]?.getText();
        if (tag && className) out.push({ tag, className, dir: join(COMPONENTS, dir.name) });
      });
    }
  }
  return out;
}

/**
 * What the element's class file says about its public API: `@property()` fields (and their
 * attribute names, per Lit's rules) and the events it dispatches or types in HTMLElementEventMap.
 */
function publicApi(dir, className) {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const source = parse(join(dir, name));
    const klass = source.statements.find((s) => ts.isClassDeclaration(s) && s.name?.text === className);
    if (!klass) continue;
    const properties = [];
    const attributes = [];
    for (const member of klass.members) {
      const decorator = ts.canHaveDecorators(member) ? ts.getDecorators(member)?.find((d) => ts.isCallExpression(d.expression) && d.expression.expression.getText() === 'property') : undefined;
      if (!decorator || !member.name) continue;
      const field = member.name.getText();
      properties.push(field);
      const options = decorator.expression.arguments[0];
      const option = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p) => p.name?.getText() === 'attribute') : undefined;
      const value = option && ts.isPropertyAssignment(option) ? option.initializer : undefined;
      if (value?.kind === ts.SyntaxKind.FalseKeyword) continue;
      attributes.push({ field, attribute: literal(value) ?? field.toLowerCase() });
    }

    const events = new Set();
    // Helpers such as `#emit(name, detail)` that dispatch an event named by their first parameter.
    const helpers = new Set();
    walk(klass, (node) => {
      if (ts.isNewExpression(node) && /^(Custom)?Event$/.test(node.expression.getText())) {
        const eventName = literal(node.arguments?.[0]);
        if (eventName) events.add(eventName);
        const fn = ts.findAncestor(node, (n) => ts.isMethodDeclaration(n) || ts.isFunctionLike(n));
        const first = fn?.parameters?.[0]?.name.getText();
        if (first && node.arguments?.[0]?.getText() === first && fn.name) helpers.add(fn.name.getText());
      }
    });
    walk(klass, (node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && helpers.has(node.expression.name.getText())) {
        const eventName = literal(node.arguments[0]);
        if (eventName) events.add(eventName);
      }
    });
    walk(source, (node) => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === 'HTMLElementEventMap') {
        for (const m of node.members) if (m.name) events.add(literal(m.name) ?? m.name.getText());
      }
    });
    return { file: relative(ROOT, join(dir, name)), properties, attributes, events: [...events] };
  }
  throw new Error(`class ${className} not found in ${relative(ROOT, dir)}`);
}

describe('custom-elements.json', () => {
  it('is what the analyzer writes from the current sources', () => {
    // The analyzer joins --outdir onto the working directory, so it gets a relative path.
    const result = spawnSync(process.execPath, [CEM, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', relative(ROOT, tmp), '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 50_000,
    });
    assert.equal(result.status, 0, `the analyzer failed: ${result.stderr}`);
    const fresh = JSON.parse(readFileSync(join(tmp, 'custom-elements.json'), 'utf8'));
    assert.deepEqual(committed, fresh, STALE);
  });

  it('is named by package.json and exported', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.equal(pkg.exports['./custom-elements.json'], './custom-elements.json');
    assert.ok(pkg.files.includes('custom-elements.json'), 'custom-elements.json is not in package.json "files"');
  });

  const elements = definedElements();
  it('finds the elements in src/components', () => {
    assert.ok(elements.length >= 7, `only ${elements.map((e) => e.tag).join(', ')} found`);
  });

  for (const { tag, className, dir } of elements) {
    it(`declares <${tag}> with its attributes, properties and events`, () => {
      const decl = elementsByTag(committed).get(tag);
      assert.ok(decl, `<${tag}> has no declaration: ${STALE}`);
      assert.equal(decl.name, className);
      const api = publicApi(dir, className);
      const members = new Set((decl.members ?? []).filter((m) => m.kind === 'field' && (m.privacy ?? 'public') === 'public').map((m) => m.name));
      for (const p of api.properties) assert.ok(members.has(p), `<${tag}>: property ${p} (${api.file}) is missing. ${STALE}`);
      const attributes = new Map((decl.attributes ?? []).map((a) => [a.name, a]));
      for (const { field, attribute } of api.attributes) {
        assert.ok(attributes.has(attribute), `<${tag}>: attribute ${attribute} (${api.file}) is missing. ${STALE}`);
        assert.equal(attributes.get(attribute).fieldName, field, `<${tag}>: attribute ${attribute} maps to the wrong property`);
      }
      const events = new Set((decl.events ?? []).map((e) => e.name));
      for (const e of api.events) assert.ok(events.has(e), `<${tag}>: event ${e} (${api.file}) is missing: document it with @event in the class JSDoc`);
      for (const e of decl.events ?? []) assert.ok(/^[a-z]+(-[a-z]+)*$/.test(e.name ?? ''), `<${tag}>: event name ${JSON.stringify(e.name)} is not an event this element fires`);
      assert.ok(decl.summary, `<${tag}>: no @summary in the class JSDoc`);
    });
  }

  it('carries the CSS parts and custom properties from the JSDoc', () => {
    const dashboard = elementsByTag(committed).get('experiment-dashboard');
    assert.ok(dashboard, 'no <experiment-dashboard> declaration');
    const parts = new Set(dashboard.cssParts.map((p) => p.name));
    for (const p of ['toolbar', 'table', 'summary', 'detail', 'empty', 'error']) assert.ok(parts.has(p), `part ${p} missing`);
    const font = dashboard.cssProperties.find((p) => p.name === '--experiment-dashboard-font');
    assert.equal(font?.default, 'system-ui');
    for (const decl of elementsByTag(committed).values()) {
      // The data provider renders nothing of its own (display: contents): it has no parts to style.
      if (decl.tagName !== 'experiment-data') assert.ok(decl.cssParts?.length > 0, `<${decl.tagName}> documents no @csspart`);
      for (const p of decl.cssProperties ?? []) assert.match(p.name, /^--experiment-dashboard-/, `<${decl.tagName}>: ${p.name}`);
    }
  });
});

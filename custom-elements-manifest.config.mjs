// `npm run analyze` writes custom-elements.json (the custom-elements manifest) from the class JSDoc
// of every element: @summary, @attr, @event, @slot, @csspart, @cssproperty, plus the Lit
// @property declarations. test/node/manifest.test.mjs fails when the committed file is stale.
import { readdirSync } from 'node:fs';

// Each element folder holds <tag>.component.ts (the class) and <tag>.ts (the
// customElements.define call); the analyzer needs the latter to give each class its tag name.
const defineFiles = readdirSync('src/components', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `src/components/${d.name}/${d.name}.ts`);

/** `src/x/y.ts` or `/src/x/y.js` -> `dist/x/y.js`: the manifest describes the published modules. */
function toDist(path) {
  return path.replace(/^\/?src\//, 'dist/').replace(/\.ts$/, '.js');
}

function resolveFrom(modulePath, specifier) {
  if (!specifier.startsWith('.')) return specifier.replace(/^\//, '');
  const parts = modulePath.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** Rewrites every `module` reference inside `value`, relative ones resolved against `modulePath`. */
function rewriteModuleRefs(value, modulePath) {
  if (Array.isArray(value)) {
    for (const item of value) rewriteModuleRefs(item, modulePath);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'module' && typeof child === 'string') value[key] = toDist(resolveFrom(modulePath, child));
    else rewriteModuleRefs(child, modulePath);
  }
}

/**
 * Module paths point at the shipped `dist/**.js` files (src/ is not in the package), and
 * references are normalised the same way (the analyzer mixes `./x.js`, `/src/x.js` and `src/x.ts`).
 * Modules are sorted by path.
 */
function distPaths() {
  return {
    name: 'experiment-dashboard:dist-paths',
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      for (const mod of modules) {
        const srcPath = mod.path;
        rewriteModuleRefs(mod.declarations, srcPath);
        rewriteModuleRefs(mod.exports, srcPath);
        mod.path = toDist(srcPath);
      }
      // The analyzer lists modules in the order its globbing finished: sort for a stable file.
      modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      // `import { X } from './x.component.js'; export { X };` (the define files) is recorded as
      // declared in the re-exporting module: point it at the module that declares X.
      for (const mod of modules) {
        for (const exp of mod.exports ?? []) {
          const { declaration } = exp;
          if (exp.kind !== 'js' || declaration?.module !== mod.path) continue;
          if ((mod.declarations ?? []).some((d) => d.name === declaration.name)) continue;
          const owners = modules.filter((m) => (m.declarations ?? []).some((d) => d.name === declaration.name));
          if (owners.length === 1) declaration.module = owners[0].path;
        }
      }
    },
  };
}

/**
 * Works around two analyzer behaviours (0.11) so the manifest says only what is true:
 * - `this.dispatchEvent(new CustomEvent(name, ...))` inside a helper yields an event literally
 *   called after the variable (`name`); the real events are the class JSDoc's @event lines, so
 *   events named by a variable are dropped.
 * - a one-line `/** text @attr x-y *\/` is not parsed as a tag, so the analyzer adds a second
 *   attribute named after the field (and an `attribute` key that the schema does not have);
 *   the @property decorator's attribute name is kept.
 */
function tidy() {
  /** Class name -> names of events dispatched with a non-literal name. */
  const variableEventNames = new Map();
  return {
    name: 'experiment-dashboard:tidy',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const names = new Set();
      const visit = (child) => {
        if (
          ts.isCallExpression(child) &&
          ts.isPropertyAccessExpression(child.expression) &&
          child.expression.name.text === 'dispatchEvent' &&
          child.expression.expression.kind === ts.SyntaxKind.ThisKeyword
        ) {
          for (const arg of child.arguments) {
            const first = ts.isNewExpression(arg) ? arg.arguments?.[0] : undefined;
            if (first && ts.isIdentifier(first)) names.add(first.text);
          }
        }
        ts.forEachChild(child, visit);
      };
      ts.forEachChild(node, visit);
      if (names.size > 0) variableEventNames.set(node.name.text, names);
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const decl of moduleDoc.declarations ?? []) {
        if (decl.kind !== 'class') continue;
        const dropped = variableEventNames.get(decl.name);
        if (dropped && decl.events) decl.events = decl.events.filter((e) => e.description || !dropped.has(e.name));
        if (!decl.attributes) continue;
        const attributeOfField = new Map((decl.members ?? []).filter((m) => m.kind === 'field' && m.attribute).map((m) => [m.name, m.attribute]));
        decl.attributes = decl.attributes.filter((a) => {
          const wanted = a.fieldName === undefined ? undefined : attributeOfField.get(a.fieldName);
          return wanted === undefined || a.name === wanted;
        });
        for (const a of decl.attributes) delete a.attribute;
      }
    },
  };
}

export default {
  globs: ['src/components/**/*.component.ts', 'src/components/data-properties.ts', ...defineFiles],
  exclude: ['**/*.test.ts', '**/*.stories.ts', 'test/**', 'stories/**'],
  litelement: true,
  // package.json's `customElements` is written by hand: the analyzer would rewrite the file
  // (and point it at a temporary --outdir when the manifest test runs).
  packagejson: false,
  plugins: [tidy(), distPaths()],
};

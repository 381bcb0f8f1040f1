// Turns `import text from 'x.css'` into a module exporting the CSS text, so Lit can adopt it
// into a shadow root as a constructable stylesheet (no <style> or <link> in the page: CSP-safe).
// Shared by rollup (build) and @web/dev-server (tests, demo).
export const cssModuleSource = (css) => `export default ${JSON.stringify(css)};`;

/** Rollup plugin. */
export function cssText() {
  return {
    name: 'css-text',
    transform(code, id) {
      if (!id.endsWith('.css')) return null;
      return { code: cssModuleSource(code), map: { mappings: '' } };
    },
  };
}

/** @web/dev-server plugin: serves .css requested from JS as a JS module. */
export function cssTextDevServer() {
  return {
    name: 'css-text',
    resolveMimeType(context) {
      if (context.path.endsWith('.css') && context.request.headers['sec-fetch-dest'] !== 'style') return 'js';
      return undefined;
    },
    transform(context) {
      if (context.path.endsWith('.css') && context.request.headers['sec-fetch-dest'] !== 'style') {
        return { body: cssModuleSource(context.body) };
      }
      return undefined;
    },
  };
}

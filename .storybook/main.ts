import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';
import type { Plugin } from 'vite';
import { cssModuleSource } from '../scripts/css-text.mjs';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const PREFIX = '\0css-text:';

/**
 * Our elements import CSS as text (`import css from 'tabulator-tables/dist/css/tabulator.min.css'`)
 * and adopt it into their shadow roots: the same transform as the rollup build and the test server
 * (scripts/css-text.mjs). Only imports made from src/ are turned into text; the module id gets a
 * `.js` end so Vite's own CSS handling never sees it.
 */
function cssText(): Plugin {
  return {
    name: 'css-text',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('.css') || !importer?.startsWith(SRC)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved ? `${PREFIX}${resolved.id}.js` : null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, -'.js'.length);
      return cssModuleSource(await readFile(file, 'utf8'), file);
    },
  };
}

/**
 * package.json `sideEffects` names the built define files (dist/); the stories import the sources,
 * so without this the bundler would drop `import '../src/define.js'` as side-effect free and no
 * element would be registered. Every module under src/ keeps its side effects.
 */
function srcSideEffects(): Plugin {
  return {
    name: 'src-side-effects',
    transform(code, id) {
      if (!id.startsWith(SRC)) return null;
      return { code, map: null, moduleSideEffects: true };
    },
  };
}

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-docs'],
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    viteConfig.plugins = [cssText(), srcSideEffects(), ...(viteConfig.plugins ?? [])];
    // The stories build the large sample data sets in the page; the chunk warning is expected.
    viteConfig.build = { ...viteConfig.build, chunkSizeWarningLimit: 2000 };
    // Storybook's web-components renderer imports `lit/directive-helpers.js`; Vite does not
    // pre-bundle it with the rest of Lit, so in `storybook dev` it loaded a second lit-html from
    // node_modules ("Multiple versions of Lit loaded"), and templates of one copy are not
    // recognised by the other. Pre-bundle every Lit entry together and resolve Lit to one copy.
    const lit = ['lit', 'lit-html', 'lit-element', '@lit/reactive-element'];
    viteConfig.optimizeDeps = { ...viteConfig.optimizeDeps, include: [...(viteConfig.optimizeDeps?.include ?? []), 'lit', 'lit/directive-helpers.js'] };
    viteConfig.resolve = { ...viteConfig.resolve, dedupe: [...(viteConfig.resolve?.dedupe ?? []), ...lit] };
    return viteConfig;
  },
};
export default config;

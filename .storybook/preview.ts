import { setCustomElementsManifest, type Decorator, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import '../src/define.js';

// The docs pages (attributes, properties, events, parts, custom properties) come from the
// custom-elements manifest when it has been generated (`npm run analyze`); a glob that matches
// nothing leaves the docs without it instead of failing the build.
const manifests = import.meta.glob<unknown>('../custom-elements.json', { eager: true, import: 'default' });
const manifest = Object.values(manifests)[0];
if (manifest) setCustomElementsManifest(manifest);

/**
 * The dashboard fills its container, so it gets a real height (`parameters.storyHeight`, 600px for
 * the dashboard). Alone in the canvas, a story is a page: a main landmark headed by the story's
 * name, as an element is met on a real page (docs pages hold many stories and have their own).
 */
const frame: Decorator = (story, { parameters, title, name, viewMode }) => {
  const height = (parameters.storyHeight as string | undefined) ?? 'auto';
  const body = html`<div class="story-frame" style=${styleMap({ height, display: 'block' })}>${story()}</div>`;
  if (viewMode === 'docs') return body;
  return html`<main aria-labelledby="story-title">
    <h1 id="story-title" style="font: 600 14px/1.4 system-ui, sans-serif; margin: 0 0 8px">${title.split('/').pop()}: ${name}</h1>
    ${body}
  </main>`;
};

const preview: Preview = {
  decorators: [frame],
  parameters: {
    layout: 'padded',
    // The a11y addon runs axe on every story; violations show as failures in its panel.
    a11y: { test: 'error' },
    controls: { expanded: true, sort: 'requiredFirst' },
  },
  tags: ['autodocs'],
};
export default preview;

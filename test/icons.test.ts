// The inline SVG icons: decorative, sized by the text and drawn in its colour, and used in place
// of text glyphs by the column chooser and the group-by picker (their buttons keep their names).
import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import * as icons from '../src/components/icons.js';
import '../src/components/experiment-column-chooser/experiment-column-chooser.js';
import '../src/components/experiment-group-picker/experiment-group-picker.js';
import type { ExperimentColumnChooser } from '../src/components/experiment-column-chooser/experiment-column-chooser.component.js';
import type { ExperimentGroupPicker } from '../src/components/experiment-group-picker/experiment-group-picker.component.js';
import { collectAttributes } from '../src/data/attributes.js';
import { generateCollection } from '../src/data/sample-data.js';

describe('icons', () => {
  it('every icon is a decorative 1em SVG in currentColor', async () => {
    const host = await fixture<HTMLDivElement>(html`<div style="font-size: 20px; color: rgb(200, 0, 0)"></div>`);
    const names = Object.keys(icons);
    expect(names).to.include.members(['iconTrash', 'iconChevron', 'iconColumns', 'iconFilter', 'iconClose', 'iconCopy', 'iconDownload', 'iconSearch', 'iconGroup', 'iconSort', 'iconCheck', 'iconWarning', 'iconInfo']);
    for (const [name, icon] of Object.entries(icons)) {
      render(icon, host);
      const svg = host.querySelector('svg')!;
      expect(svg, name).to.not.equal(null);
      expect(svg.getAttribute('aria-hidden'), name).to.equal('true');
      expect(svg.getAttribute('focusable'), name).to.equal('false');
      const box = svg.getBoundingClientRect();
      expect([box.width, box.height], `${name} is 1em square`).to.deep.equal([20, 20]);
      expect(getComputedStyle(svg).stroke, name).to.equal('rgb(200, 0, 0)');
      expect(svg.querySelector('path, circle, rect'), `${name} draws something`).to.not.equal(null);
    }
  });

  it('the column chooser and the group-by picker show icons, not glyphs, and keep their button names', async () => {
    const catalog = collectAttributes(generateCollection({ n: 5, seed: 1 }).experiments);
    const chooser = await fixture<ExperimentColumnChooser>(html`<experiment-column-chooser .availableAttributes=${catalog} .selected=${['status', 'name']}></experiment-column-chooser>`);
    const up = chooser.shadowRoot!.querySelector<HTMLButtonElement>('button[data-dir="up"]')!;
    expect(up.getAttribute('aria-label')).to.match(/^Move .+ up$/);
    expect(up.textContent!.trim()).to.equal('');
    expect(up.querySelector('svg[aria-hidden="true"]')).to.not.equal(null);
    const picker = await fixture<ExperimentGroupPicker>(html`<experiment-group-picker .availableAttributes=${catalog} .value=${['status', 'operator']}></experiment-group-picker>`);
    const remove = picker.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="remove"]')!;
    expect(remove.getAttribute('aria-label')).to.match(/^Remove grouping by /);
    expect(remove.textContent!.trim()).to.equal('');
    expect(remove.querySelector('svg[aria-hidden="true"]')).to.not.equal(null);
    const box = remove.getBoundingClientRect();
    expect(box.width).to.be.at.least(20);
    await expect(chooser).to.be.accessible();
    await expect(picker).to.be.accessible();
  });
});

// Cheap regression guards for speed at 100,000 rows: they count work, they time nothing.
import { expect, waitUntil } from '@open-wc/testing';
import type { Attribute } from '../src/data/attributes.js';
import { BUILTIN_ATTRIBUTES } from '../src/data/attributes.js';
import { TABLE_MODULES } from '../src/components/experiment-dashboard/tabulator.js';
import { TableController } from '../src/components/experiment-dashboard/table-controller.js';
import { generateExperiments } from '../src/data/sample-data.js';
import { parseCollection } from '../src/data/parse.js';
import type { Experiment } from '../src/data/types.js';

const N = 2000;

async function table(): Promise<{ controller: TableController; data: Experiment[] }> {
  // A plain element, not fixture(): fixture waits for an animation frame, which a background tab never gets.
  const host = document.body.appendChild(document.createElement('div'));
  host.style.cssText = 'position: relative; height: 400px; width: 900px';
  host.append(Object.assign(document.createElement('div'), { className: 'popups' }), Object.assign(document.createElement('div'), { className: 't' }));
  host.querySelector<HTMLElement>('.t')!.style.height = '100%';
  const controller = new TableController(host.querySelector('.t')!, host.querySelector('.popups')!);
  const data = parseCollection(generateExperiments({ n: N, historyPoints: 0 })).experiments;
  await controller.setColumns({ attributes: BUILTIN_ATTRIBUTES.slice(0, 8), nameOf: (e) => e.name ?? e.id });
  await controller.setData(data);
  return { controller, data };
}

function counting(base: Attribute): { attr: Attribute; calls: () => number } {
  let calls = 0;
  return {
    attr: {
      ...base,
      get: (e) => {
        calls++;
        return base.get(e);
      },
    },
    calls: () => calls,
  };
}

describe('speed guards (work counted, not timed)', () => {
  it('registers only the Tabulator modules the dashboard uses', () => {
    expect(Object.keys(TABLE_MODULES).sort()).to.deep.equal(['FilterModule', 'FormatModule', 'GroupRowsModule', 'InteractionModule', 'MoveColumnsModule', 'ResizeColumnsModule', 'ResizeTableModule', 'SortModule']);
  });

  it('a filter change is one pass over the records', async () => {
    const { controller } = await table();
    let calls = 0;
    await controller.setFilter((e) => {
      calls++;
      return e.status === 'completed';
    });
    expect(calls).to.equal(N);
    controller.destroy();
  });

  it('a sort reads each record once per sorted attribute, however many comparisons it makes', async () => {
    const { controller } = await table();
    const name = BUILTIN_ATTRIBUTES.find((a) => a.id === 'mainMetric')!;
    const spy = counting(name);
    await controller.setColumns({ attributes: [spy.attr], nameOf: (e) => e.name ?? e.id });
    await controller.setSort([{ attribute: 'mainMetric', dir: 'desc' }]);
    await waitUntil(() => spy.calls() > 0);
    expect(spy.calls()).to.be.at.most(N + 100); // + the rows rendered in view
    const before = spy.calls();
    await controller.setSort([{ attribute: 'mainMetric', dir: 'asc' }]);
    // The ranks are kept until the data changes: the second sort only renders.
    expect(spy.calls() - before).to.be.below(100);
    controller.destroy();
  });

  it('parsing keeps valid nested parts as they are (no copies per record)', () => {
    const raw = generateExperiments({ n: 50, historyPoints: 5 });
    const { experiments } = parseCollection(raw);
    for (let i = 0; i < raw.length; i++) {
      expect(experiments[i]!.params).to.equal(raw[i]!.params);
      expect(experiments[i]!.host).to.equal(raw[i]!.host);
      expect(experiments[i]!.metrics).to.equal(raw[i]!.metrics);
      expect(experiments[i]!.dependencies).to.equal(raw[i]!.dependencies);
    }
  });
});

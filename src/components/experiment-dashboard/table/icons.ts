import type { Status } from '../../../data/types.js';

/*
 * The table's icons, drawn in SVG (never emoji or symbol characters: those depend on the fonts a
 * machine has, and show as an empty box without an emoji font). The table's cells are built as
 * DOM nodes for Tabulator, so these are DOM-built too: each shape is built once and cloned per
 * cell. Decorative (aria-hidden; the control around carries the name), 1em square, currentColor.
 * The shapes are those of src/components/icons.ts where it has them, so both sets look alike.
 */

const SVG = 'http://www.w3.org/2000/svg';
const shapes = new Map<string, SVGSVGElement>();

function icon(name: string, draw: (svg: SVGSVGElement) => void): SVGSVGElement {
  let proto = shapes.get(name);
  if (!proto) {
    proto = document.createElementNS(SVG, 'svg');
    for (const [k, v] of Object.entries({ class: `svg-icon icon-${name}`, viewBox: '0 0 16 16', width: '1em', height: '1em', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.5', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false' })) proto.setAttribute(k, v);
    draw(proto);
    shapes.set(name, proto);
  }
  return proto.cloneNode(true) as SVGSVGElement;
}

function paths(...ds: string[]): (svg: SVGSVGElement) => void {
  return (svg) => {
    for (const d of ds) svg.appendChild(document.createElementNS(SVG, 'path')).setAttribute('d', d);
  };
}

/** Delete: a waste bin. */
export const trashIcon = (): SVGSVGElement => icon('trash', paths('M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.8 6.5v4.5M9.2 6.5v4.5'));
/** Details: a chevron pointing right; CSS turns it down when the row is open. */
export const chevronIcon = (): SVGSVGElement => icon('chevron', paths('M6 3.5 10.5 8 6 12.5'));
/** Filter: a funnel. */
export const funnelIcon = (): SVGSVGElement => icon('funnel', paths('M2 3h12L9.5 8.5V13l-3-1.5v-3z'));

/** One shape per status, so status never rests on colour alone (the word is beside it). */
const STATUS_SHAPES: Record<Status, string[]> = {
  completed: ['m3 8.5 3 3 7-7'],
  failed: ['M4 4l8 8M12 4l-8 8'],
  running: ['M5 3.5v9l7-4.5z'],
  dead: ['M8 2.5v11M4.5 6h7'],
  queued: ['M8 4.5V8l2.5 1.5', 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12z'],
  interrupted: ['M4.5 4.5h7v7h-7z'],
};

/** The status's icon. */
export const statusIcon = (status: Status): SVGSVGElement => {
  const known: Status = Object.hasOwn(STATUS_SHAPES, status) ? status : 'queued';
  return icon(`status-${known}`, paths(...STATUS_SHAPES[known]));
};

import { expect } from '@open-wc/testing';
import { parseCollection, parseJsonText, normalizeTime, deriveStatus, formatProblem } from '../src/data/parse.js';

describe('parseJsonText', () => {
  it('accepts the bare NaN and Infinity tokens Python writes, leaving strings alone', () => {
    const doc = parseJsonText('{"a": NaN, "b": -Infinity, "c": [Infinity, 1], "d": "NaN is fine", "e": "x\\"NaN"}') as Record<string, unknown>;
    expect(doc).to.deep.equal({ a: 'NaN', b: '-Infinity', c: ['Infinity', 1], d: 'NaN is fine', e: 'x"NaN' });
  });
});

describe('normalizeTime', () => {
  it('treats naive times as UTC and keeps offsets', () => {
    expect(normalizeTime('2019-11-07T15:14:53.180917')).to.equal('2019-11-07T15:14:53.180Z');
    expect(normalizeTime('2024-01-01T12:00:00+02:00')).to.equal('2024-01-01T10:00:00.000Z');
    expect(normalizeTime('2024-01-01 12:00:00')).to.equal('2024-01-01T12:00:00.000Z');
    expect(normalizeTime(0)).to.equal('1970-01-01T00:00:00.000Z');
    expect(normalizeTime('yesterday')).to.equal(undefined);
  });
});

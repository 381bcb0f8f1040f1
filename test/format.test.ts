import { expect } from '@open-wc/testing';
import { fileNameOf, flattenParams, formatBytes, formatDuration, formatNumber, formatParamValue, formatTime, safeHref } from '../src/data/format.js';

describe('formatDuration', () => {
  it('reads at a glance at every scale', () => {
    expect(formatDuration(850)).to.equal('850 ms');
    expect(formatDuration(1500)).to.equal('1.5 s');
    expect(formatDuration(42_000)).to.equal('42 s');
    expect(formatDuration(4 * 60_000 + 5_000)).to.equal('4 min 05 s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000 + 5_000)).to.equal('2 h 03 min');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).to.equal('3 d 4 h');
  });

  it('is empty for a missing or impossible duration', () => {
    expect(formatDuration(undefined)).to.equal('');
    expect(formatDuration(Number.NaN)).to.equal('');
    expect(formatDuration(-5)).to.equal('');
  });
});

describe('formatBytes', () => {
  it('uses binary units without trailing zeros', () => {
    expect(formatBytes(0)).to.equal('0 B');
    expect(formatBytes(512)).to.equal('512 B');
    expect(formatBytes(1536)).to.equal('1.5 KiB');
    expect(formatBytes(16 * 1024 ** 3)).to.equal('16 GiB');
    expect(formatBytes(98_000_000)).to.equal('93.5 MiB');
    expect(formatBytes(undefined)).to.equal('');
  });
});

describe('formatNumber', () => {
  it('keeps integers whole, rounds fractions to 6 significant digits', () => {
    expect(formatNumber(12345)).to.equal('12,345');
    expect(formatNumber(0.123456789)).to.equal('0.123457');
    expect(formatNumber(-2.5)).to.equal('-2.5');
    expect(formatNumber(0)).to.equal('0');
  });

  it('writes tiny and huge magnitudes with an exponent', () => {
    expect(formatNumber(0.0000123)).to.equal('1.23e-5');
    expect(formatNumber(1e20)).to.equal('1e20');
  });

  it('names the non-finite values', () => {
    expect(formatNumber(Number.NaN)).to.equal('NaN');
    expect(formatNumber(Number.POSITIVE_INFINITY)).to.equal('∞');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).to.equal('−∞');
    expect(formatNumber(undefined)).to.equal('');
  });
});

describe('formatTime', () => {
  it('prints a sortable date and time, in UTC when asked', () => {
    expect(formatTime('2024-05-01T10:00:07.250Z', { zone: 'utc' })).to.equal('2024-05-01 10:00:07 UTC');
    const local = new Date('2024-05-01T10:00:07Z');
    const p = (n: number): string => String(n).padStart(2, '0');
    expect(formatTime('2024-05-01T10:00:07Z')).to.equal(
      `${local.getFullYear()}-${p(local.getMonth() + 1)}-${p(local.getDate())} ${p(local.getHours())}:${p(local.getMinutes())}:${p(local.getSeconds())}`,
    );
  });

  it('is empty for a missing or unreadable time', () => {
    expect(formatTime(undefined)).to.equal('');
    expect(formatTime('yesterday')).to.equal('');
  });
});

describe('safeHref', () => {
  it('allows http, https and blob URLs', () => {
    expect(safeHref('https://example.org/a/model.pt')).to.equal('https://example.org/a/model.pt');
    expect(safeHref('http://example.org/')).to.equal('http://example.org/');
    const blobUrl = URL.createObjectURL(new Blob(['x']));
    expect(safeHref(blobUrl)).to.equal(blobUrl);
    URL.revokeObjectURL(blobUrl);
    expect(safeHref(new URL('https://example.org/x'))).to.equal('https://example.org/x');
  });

  it('refuses script and other schemes, however they are disguised', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      '\u0000javascript:alert(1)',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.org/x',
      'data/train.csv',
      '/relative/path',
      '',
      'not a url',
    ]) {
      expect(safeHref(bad), bad).to.equal(undefined);
      expect(safeHref(bad, { download: true }), `${bad} (download)`).to.equal(undefined);
    }
    expect(safeHref(undefined)).to.equal(undefined);
    expect(safeHref(null)).to.equal(undefined);
  });

  it('allows data: URLs only as downloads of a non-document media type', () => {
    expect(safeHref('data:text/csv;base64,YSxiCg==')).to.equal(undefined);
    expect(safeHref('data:text/csv;base64,YSxiCg==', { download: true })).to.equal('data:text/csv;base64,YSxiCg==');
    expect(safeHref('data:,hello', { download: true })).to.equal('data:,hello');
    for (const bad of ['data:text/html,<script>alert(1)</script>', 'data:TEXT/HTML;base64,PHNjcmlwdD4=', 'data:image/svg+xml,<svg onload=alert(1)>', 'data:application/xhtml+xml,<x/>', 'data:text/javascript,alert(1)']) {
      expect(safeHref(bad, { download: true }), bad).to.equal(undefined);
    }
  });
});

describe('flattenParams', () => {
  it('turns nested parameters into dotted rows in the record order', () => {
    const rows = flattenParams({
      optimizer: { name: 'adam', lr: 0.001, betas: [0.9, 0.999] },
      layers: [{ units: 64 }, { units: 32 }],
      seed: 7,
      data: { augment: { flip: true, crop: null }, extra: {} },
      tags: [],
    });
    expect(rows.map((r) => [r.key, r.text])).to.deep.equal([
      ['optimizer.name', 'adam'],
      ['optimizer.lr', '0.001'],
      ['optimizer.betas', '[0.9,0.999]'],
      ['layers.0.units', '64'],
      ['layers.1.units', '32'],
      ['seed', '7'],
      ['data.augment.flip', 'true'],
      ['data.augment.crop', 'null'],
      ['data.extra', '{}'],
      ['tags', '[]'],
    ]);
    expect(rows[1]?.value).to.equal(0.001);
  });

  it('keeps parameter values exact, strings unquoted', () => {
    expect(formatParamValue(1e-7)).to.equal('1e-7');
    expect(formatParamValue(0.30000000000000004)).to.equal('0.30000000000000004');
    expect(formatParamValue('<b>x</b>')).to.equal('<b>x</b>');
    expect(flattenParams(undefined)).to.deep.equal([]);
  });
});

describe('fileNameOf', () => {
  it('keeps the last path segment as a safe file name', () => {
    expect(fileNameOf('weights/best.pt')).to.equal('best.pt');
    expect(fileNameOf('C:\\runs\\out.csv')).to.equal('out.csv');
    expect(fileNameOf('a:b?.txt')).to.equal('a_b_.txt');
    expect(fileNameOf('..')).to.equal('download');
    expect(fileNameOf('')).to.equal('download');
  });
});

import { describe, expect, it } from 'vitest';
import { citedIndices, isSafeUrl, sourceHref, sourceLabel, splitCitations } from '../src/core/citations';
import type { SourceNode } from '../src/core/types';

const node = (source: string, extra: Record<string, unknown> = {}): SourceNode => ({
  id: source,
  text: '…',
  metadata: { source, title: source.split('/').pop(), ...extra },
});
const sources = [node('sensors/imu.md'), node('sensors/lidar.md'), node('control/pid.md')];

describe('citations', () => {
  it('turns [n] into citations of 1-based source indices', () => {
    expect(splitCitations('Drift [1]. Range [2].', sources)).toEqual([
      { type: 'text', text: 'Drift ' },
      { type: 'cite', indices: [1], raw: '[1]' },
      { type: 'text', text: '. Range ' },
      { type: 'cite', indices: [2], raw: '[2]' },
      { type: 'text', text: '.' },
    ]);
  });

  it('reads lists and runs of markers', () => {
    expect(citedIndices('a [1, 3] b [2][3]', sources)).toEqual([1, 2, 3]);
  });

  it('leaves out-of-range numbers, plain brackets and Markdown links alone', () => {
    const text = 'see [4] and [0] and [note] and [1](https://x.org)';
    expect(splitCitations(text, sources)).toEqual([{ type: 'text', text }]);
  });

  it('accepts a bracketed source path that names one of the sources', () => {
    expect(citedIndices('According to [sensors/lidar.md], x; [other.md] no', sources)).toEqual([2]);
  });

  it('labels a source by title and heading, and links its section', () => {
    const withHeading = node('sensors/imu.md', {
      title: 'Inertial measurement units',
      heading: 'Why orientation drifts',
      url: 'http://127.0.0.1:3000/docs/sensors/imu#why-orientation-drifts',
    });
    expect(sourceLabel(withHeading)).toBe('Inertial measurement units › Why orientation drifts');
    expect(sourceHref(withHeading)).toBe('http://127.0.0.1:3000/docs/sensors/imu#why-orientation-drifts');
    expect(sourceHref(node('a.md', { url: '/docs/a', anchor: 'b' }))).toBe('/docs/a#b');
    expect(sourceHref(node('a.md'))).toBeNull();
  });

  it('never links a javascript: or data: URL', () => {
    expect(isSafeUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeUrl(' JavaScript:alert(1)')).toBe(false);
    expect(isSafeUrl('data:text/html,<b>')).toBe(false);
    expect(isSafeUrl('java\tscript:alert(1)')).toBe(false);
    expect(isSafeUrl('https://example.org/a#b')).toBe(true);
    expect(isSafeUrl('/docs/a')).toBe(true);
    expect(sourceHref(node('a.md', { url: 'javascript:alert(1)' }))).toBeNull();
  });
});

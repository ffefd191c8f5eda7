// The committed standalone bundle (served by the Python service at GET /) must be the
// build of the current sources: the build is reproducible, so compare the bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { buildStandalone, libDifferences } from '../build.mjs';

describe('standalone bundle', () => {
  it('dist-standalone/bookchat-widget.js is current and reproducible', async () => {
    const first = Buffer.from((await buildStandalone()) as Uint8Array);
    const second = Buffer.from((await buildStandalone()) as Uint8Array);
    expect(first.equals(second)).toBe(true);
    const committed = readFileSync(path.join(__dirname, '..', 'dist-standalone', 'bookchat-widget.js'));
    expect(first.equals(committed), 'run `npm run build` in widget/ and commit dist-standalone/').toBe(true);
  }, 60_000);
});

// lib/ is committed so that a site installs the plugin from a path (`file:`) or a tarball
// with no build step (npm runs no `prepare` for a linked directory, and a site has no
// TypeScript): it must be the build of the current sources.
describe('plugin lib/', () => {
  it('lib/ is the build of the current sources', async () => {
    const differ = (await libDifferences()) as string[];
    expect(differ, 'run `npm run build` in widget/ and commit lib/').toEqual([]);
  }, 60_000);
});

// KaTeX is most of the widget's weight: the plugin imports it dynamically, so a site's
// bundler puts it in a chunk that only a page whose answer holds math fetches.
describe('KaTeX in the plugin', () => {
  it('is imported dynamically, never statically', () => {
    const math = readFileSync(path.join(__dirname, '..', 'lib', 'ui', 'Math.js'), 'utf8');
    expect(math).toMatch(/import\(['"]katex['"]\)/);
    expect(math).not.toMatch(/from ['"]katex['"]/);
  });
});

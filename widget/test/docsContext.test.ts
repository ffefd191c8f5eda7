// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { readDocsContext } from '../src/core/docsContext';

function metaTag(name: string, content: string): void {
  const meta = document.createElement('meta');
  meta.name = name;
  meta.content = content;
  document.head.appendChild(meta);
}

afterEach(() => document.head.replaceChildren());

describe('readDocsContext', () => {
  it('a docs page gives its version and locale from the meta tags Docusaurus writes', () => {
    metaTag('docusaurus_locale', 'fr');
    metaTag('docusaurus_version', '1.0');
    metaTag('docusaurus_tag', 'docs-default-1.0');

    expect(readDocsContext(document, 'en')).toEqual({ version: '1.0', locale: 'fr' });
  });

  it('a page that is not in the docs (blog, home) gives its locale only', () => {
    metaTag('docusaurus_locale', 'en');

    expect(readDocsContext(document)).toEqual({ locale: 'en' });
  });

  it('without the tags, the site’s current locale is used, and no version', () => {
    expect(readDocsContext(document, 'fr')).toEqual({ locale: 'fr' });
    expect(readDocsContext(document)).toEqual({});
  });

  it('blank tags count as absent', () => {
    metaTag('docusaurus_version', '  ');
    metaTag('docusaurus_locale', '');

    expect(readDocsContext(document, 'en')).toEqual({ locale: 'en' });
  });
});

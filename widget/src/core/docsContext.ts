/**
 * What the Docusaurus page knows about itself: the docs version and the locale the reader
 * is on. Every built page carries `<meta name="docusaurus_locale">`, and docs pages
 * `<meta name="docusaurus_version">` too (the theme keeps them current on client-side
 * navigation). Read when a question is sent, so it is always the page being read.
 */
export interface DocsContext {
  /** The docs version name (`2.0`, `1.0`, `current` for the unreleased docs); docs pages only. */
  version?: string;
  /** The site locale (`en`, `fr`). */
  locale?: string;
}

function meta(doc: Document, name: string): string | undefined {
  const value = doc.querySelector(`meta[name="${name}"]`)?.getAttribute('content')?.trim();
  return value ? value : undefined;
}

/** The page's version and locale; `fallbackLocale` (Docusaurus' `i18n.currentLocale`) when the page has no locale tag. */
export function readDocsContext(doc: Document | undefined, fallbackLocale?: string): DocsContext {
  const out: DocsContext = {};
  if (!doc) return fallbackLocale ? { locale: fallbackLocale } : out;
  const version = meta(doc, 'docusaurus_version');
  const locale = meta(doc, 'docusaurus_locale') ?? fallbackLocale;
  if (version) out.version = version;
  if (locale) out.locale = locale;
  return out;
}

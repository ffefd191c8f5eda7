function meta(doc, name) {
    const value = doc.querySelector(`meta[name="${name}"]`)?.getAttribute('content')?.trim();
    return value ? value : undefined;
}
/** The page's version and locale; `fallbackLocale` (Docusaurus' `i18n.currentLocale`) when the page has no locale tag. */
export function readDocsContext(doc, fallbackLocale) {
    const out = {};
    if (!doc)
        return fallbackLocale ? { locale: fallbackLocale } : out;
    const version = meta(doc, 'docusaurus_version');
    const locale = meta(doc, 'docusaurus_locale') ?? fallbackLocale;
    if (version)
        out.version = version;
    if (locale)
        out.locale = locale;
    return out;
}

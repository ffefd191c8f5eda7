const MARKER = /\[([^[\]\n]{1,200})\]/g;
/** The 1-based source indices one bracket's content cites, or null when it is no citation. */
export function citationIndices(inner, sources) {
    const trimmed = inner.trim();
    if (/^\d+(\s*,\s*\d+)*$/.test(trimmed)) {
        const numbers = trimmed.split(',').map((part) => Number.parseInt(part.trim(), 10));
        if (numbers.every((n) => n >= 1 && n <= sources.length))
            return numbers;
        return null;
    }
    const names = trimmed.split(/\s*[,;]\s*/);
    const indices = [];
    for (const name of names) {
        const at = sources.findIndex((node) => node.metadata?.source === name);
        if (at === -1)
            return null;
        indices.push(at + 1);
    }
    return indices.length ? indices : null;
}
/** Split text into plain runs and citation markers. A `[x](url)` link is left alone. */
export function splitCitations(text, sources) {
    const out = [];
    let last = 0;
    MARKER.lastIndex = 0;
    for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) {
        const end = match.index + match[0].length;
        if (text[end] === '(')
            continue;
        const indices = citationIndices(match[1] ?? '', sources);
        if (!indices)
            continue;
        if (match.index > last)
            out.push({ type: 'text', text: text.slice(last, match.index) });
        out.push({ type: 'cite', indices, raw: match[0] });
        last = end;
    }
    if (last < text.length)
        out.push({ type: 'text', text: text.slice(last) });
    return out;
}
/** Every source index an answer cites, ascending, without repeats. */
export function citedIndices(answer, sources) {
    const seen = new Set();
    for (const segment of splitCitations(answer, sources)) {
        if (segment.type === 'cite')
            segment.indices.forEach((n) => seen.add(n));
    }
    return [...seen].sort((a, b) => a - b);
}
/** A source's display label: "Title › Heading" (the heading only when it differs). */
export function sourceLabel(node) {
    const meta = node.metadata ?? {};
    const title = typeof meta.title === 'string' && meta.title ? meta.title : (meta.source ?? 'Source');
    const heading = typeof meta.heading === 'string' ? meta.heading : '';
    return heading && heading !== title ? `${title} › ${heading}` : String(title);
}
/** The URL of a source's section: `url` (which may carry `#anchor`), plus `anchor` if the URL has none. */
export function sourceHref(node) {
    const meta = node.metadata ?? {};
    if (typeof meta.url !== 'string' || !meta.url)
        return null;
    if (!isSafeUrl(meta.url))
        return null;
    if (!meta.url.includes('#') && typeof meta.anchor === 'string' && meta.anchor) {
        return `${meta.url}#${meta.anchor}`;
    }
    return meta.url;
}
/** http(s), mailto, or a relative URL; never javascript:, data: or other schemes. */
export function isSafeUrl(url) {
    const trimmed = url.trim();
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(trimmed))
        return false;
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
    if (!scheme)
        return true;
    return ['http', 'https', 'mailto'].includes((scheme[1] ?? '').toLowerCase());
}

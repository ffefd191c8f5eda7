import { jsx as _jsx } from "react/jsx-runtime";
/**
 * TeX math (`$…$`, `$$…$$`) as KaTeX renders it on a Docusaurus site with remark-math and
 * rehype-katex, in KaTeX's MathML output: browsers render MathML Core natively (Chromium
 * since 109, Firefox, Safari), so the widget needs no KaTeX stylesheet or fonts and loads
 * nothing from a CDN. Only the `<math>` element is kept, with none of KaTeX's classes, so
 * a site's KaTeX CSS (which hides the `.katex-mathml` twin of an HTML rendering) leaves it
 * alone.
 *
 * KaTeX's markup is not injected: it is parsed and rebuilt as React elements from an
 * allowlist of MathML elements and attributes, so no text of the model becomes HTML.
 * KaTeX itself runs with `trust: false`, `throwOnError: false` and bounded sizes and macro
 * expansion; a formula it cannot parse shows as its TeX source.
 *
 * KaTeX (about 270 KB) is loaded on the first formula, by a dynamic `import()`: a site's
 * bundler (the Docusaurus plugin's webpack) puts it in a chunk of its own, fetched only by a
 * page where an answer holds math; until it arrives the formula shows as its source. The
 * standalone script has no chunks: esbuild inlines it there.
 */
import { createElement, useEffect, useState } from 'react';
let katexLib = null;
let katexLoading = null;
/** KaTeX, loaded once, on first use. */
export function loadKatex() {
    katexLoading ?? (katexLoading = import('katex').then((module) => {
        katexLib = module.default;
        return katexLib;
    }));
    return katexLoading;
}
const ELEMENTS = new Set([
    'math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'msup', 'msub',
    'msubsup', 'mfrac', 'msqrt', 'mroot', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd',
    'mlabeledtr', 'mstyle', 'mpadded', 'mphantom', 'menclose', 'merror', 'mmultiscripts', 'mprescripts', 'none',
]);
const ATTRIBUTES = new Set([
    'display', 'mathvariant', 'encoding', 'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'accent',
    'accentunder', 'linethickness', 'columnalign', 'rowalign', 'columnspacing', 'rowspacing', 'columnlines',
    'rowlines', 'frame', 'framespacing', 'width', 'height', 'depth', 'voffset', 'scriptlevel', 'displaystyle',
    'minsize', 'maxsize', 'movablelimits', 'largeop', 'symmetric', 'notation', 'mathcolor', 'mathbackground',
]);
const OPTIONS = {
    output: 'mathml',
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxSize: 20,
    maxExpand: 300,
};
/** Longest formula rendered; a longer one shows as its source. */
export const MAX_TEX = 4000;
function rebuild(node, key) {
    if (node.nodeType === 3)
        return node.textContent ?? '';
    if (node.nodeType !== 1)
        return null;
    const element = node;
    const children = Array.from(element.childNodes, (child, index) => rebuild(child, `${key}.${index}`));
    const name = element.localName;
    if (!ELEMENTS.has(name))
        return children;
    const props = { key };
    for (const attribute of Array.from(element.attributes)) {
        const value = attribute.value;
        if (!ATTRIBUTES.has(attribute.name))
            continue;
        if ((attribute.name === 'mathcolor' || attribute.name === 'mathbackground') && !/^#?[\w ,.()%-]{1,40}$/.test(value))
            continue;
        props[attribute.name] = value;
    }
    return createElement(name, props, ...children);
}
// An answer re-renders at every streamed piece: its formulas are converted once.
const cache = new Map();
const CACHE_SIZE = 200;
/** The MathML of one formula as React elements, or null (no DOMParser, an error, too long). */
export function mathElements(tex, display) {
    if (tex.length > MAX_TEX || typeof DOMParser === 'undefined' || katexLib === null)
        return null;
    const key = `${display ? 'D' : 'I'}${tex}`;
    if (cache.has(key))
        return cache.get(key) ?? null;
    const elements = convert(tex, display);
    if (cache.size >= CACHE_SIZE)
        cache.delete(cache.keys().next().value ?? '');
    cache.set(key, elements);
    return elements;
}
function convert(tex, display) {
    let markup;
    try {
        markup = katexLib.renderToString(tex, { ...OPTIONS, displayMode: display });
    }
    catch {
        return null;
    }
    const doc = new DOMParser().parseFromString(`<body>${markup}</body>`, 'text/html');
    const math = doc.body.querySelector('math');
    if (!math || doc.body.querySelector('.katex-error'))
        return null;
    return rebuild(math, 'm');
}
export function MathView({ tex, display }) {
    const [ready, setReady] = useState(katexLib !== null);
    useEffect(() => {
        if (ready)
            return undefined;
        let live = true;
        loadKatex().then(() => live && setReady(true), () => undefined);
        return () => {
            live = false;
        };
    }, [ready]);
    const elements = ready ? mathElements(tex, display) : null;
    if (elements === null) {
        const source = display ? `$$${tex}$$` : `$${tex}$`;
        return display ? (_jsx("pre", { className: "bookchat-math-source", children: _jsx("code", { children: source }) })) : (_jsx("code", { className: "bookchat-math-source", children: source }));
    }
    return display ? (_jsx("div", { className: "bookchat-math bookchat-math-display", children: elements })) : (_jsx("span", { className: "bookchat-math", children: elements }));
}

import { jsx as _jsx } from "react/jsx-runtime";
/**
 * A small Markdown renderer for model answers: paragraphs, headings, ordered and
 * unordered (nested) lists, block quotes, fenced code, rules; inline code, bold,
 * italic, links and citation markers. It builds React elements only: no HTML string
 * from the model or the book is ever injected (raw HTML shows as text).
 */
import { Fragment } from 'react';
import { citationIndices, isSafeUrl } from '../core/citations';
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
function startsBlock(line) {
    return FENCE.test(line) || HEADING.test(line) || ITEM.test(line) || QUOTE.test(line) || RULE.test(line);
}
export function parseBlocks(source) {
    const lines = source.replace(/\r\n?/g, '\n').split('\n');
    const blocks = [];
    let i = 0;
    while (i < lines.length) {
        const line = lines[i] ?? '';
        if (!line.trim()) {
            i++;
            continue;
        }
        const fence = FENCE.exec(line);
        if (fence) {
            const marker = fence[1] ?? '```';
            const body = [];
            i++;
            while (i < lines.length && !(lines[i] ?? '').trim().startsWith(marker)) {
                body.push(lines[i] ?? '');
                i++;
            }
            i++; // the closing fence (an unclosed fence, mid-stream, runs to the end)
            blocks.push({ kind: 'code', lang: fence[2] ?? '', text: body.join('\n') });
            continue;
        }
        const heading = HEADING.exec(line);
        if (heading) {
            blocks.push({ kind: 'heading', level: (heading[1] ?? '#').length, text: heading[2] ?? '' });
            i++;
            continue;
        }
        if (RULE.test(line)) {
            blocks.push({ kind: 'rule' });
            i++;
            continue;
        }
        if (QUOTE.test(line)) {
            const body = [];
            while (i < lines.length && QUOTE.test(lines[i] ?? '')) {
                body.push(QUOTE.exec(lines[i] ?? '')?.[1] ?? '');
                i++;
            }
            blocks.push({ kind: 'quote', text: body.join('\n') });
            continue;
        }
        const item = ITEM.exec(line);
        if (item) {
            const indent = (item[1] ?? '').length;
            const ordered = /\d/.test(item[2] ?? '');
            const start = ordered ? Number.parseInt(item[2] ?? '1', 10) : 1;
            const items = [];
            let current = [];
            while (i < lines.length) {
                const next = lines[i] ?? '';
                const nextItem = ITEM.exec(next);
                if (nextItem && (nextItem[1] ?? '').length <= indent + 1 && /\d/.test(nextItem[2] ?? '') === ordered) {
                    if (current.length)
                        items.push(current.join('\n'));
                    current = [nextItem[3] ?? ''];
                    i++;
                    continue;
                }
                if (!next.trim()) {
                    // A blank line ends the list unless an indented continuation follows.
                    const after = lines[i + 1] ?? '';
                    if (/^\s{2,}\S/.test(after) || (ITEM.exec(after) && (ITEM.exec(after)?.[1] ?? '').length <= indent + 1)) {
                        current.push('');
                        i++;
                        continue;
                    }
                    break;
                }
                if (/^\s{2,}/.test(next)) {
                    current.push(next.replace(/^\s{2,4}/, ''));
                    i++;
                    continue;
                }
                if (startsBlock(next))
                    break;
                current.push(next.trim()); // a lazy continuation line
                i++;
            }
            if (current.length)
                items.push(current.join('\n'));
            blocks.push({ kind: 'list', ordered, start, items });
            continue;
        }
        const para = [];
        while (i < lines.length && (lines[i] ?? '').trim() && !(para.length && startsBlock(lines[i] ?? ''))) {
            para.push((lines[i] ?? '').trim());
            i++;
        }
        blocks.push({ kind: 'para', text: para.join('\n') });
    }
    return blocks;
}
const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\[([^[\]\n]+)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)|\[([^[\]\n]{1,200})\]|(\n)/g;
export function renderInline(text, ctx, keyPrefix) {
    const out = [];
    let last = 0;
    let n = 0;
    const re = new RegExp(INLINE.source, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
        const key = `${keyPrefix}.${n++}`;
        if (m.index > last)
            out.push(text.slice(last, m.index));
        last = m.index + m[0].length;
        if (m[1] !== undefined) {
            out.push(_jsx("code", { children: (m[2] ?? '').replace(/^ (.*) $/, '$1') }, key));
        }
        else if (m[3] !== undefined || m[4] !== undefined) {
            out.push(_jsx("strong", { children: renderInline(m[3] ?? m[4] ?? '', ctx, key) }, key));
        }
        else if (m[5] !== undefined || m[6] !== undefined) {
            out.push(_jsx("em", { children: renderInline(m[5] ?? m[6] ?? '', ctx, key) }, key));
        }
        else if (m[7] !== undefined) {
            const href = m[8] ?? '';
            const label = renderInline(m[7], ctx, key);
            out.push(isSafeUrl(href) ? ctx.renderLink(href, label, key) : _jsx(Fragment, { children: label }, key));
        }
        else if (m[9] !== undefined) {
            const indices = citationIndices(m[9], ctx.sources);
            out.push(indices ? ctx.renderCite(indices, m[0], key) : m[0]);
        }
        else if (m[10] !== undefined) {
            out.push(' ');
        }
    }
    if (last < text.length)
        out.push(text.slice(last));
    return out;
}
function renderBlock(block, ctx, key) {
    switch (block.kind) {
        case 'code':
            return (_jsx("pre", { className: "bookchat-code", children: _jsx("code", { "data-lang": block.lang || undefined, children: block.text }) }, key));
        case 'heading': {
            // Headings inside an answer stay small: they never outrank the panel's own title.
            const Tag = block.level <= 2 ? 'h4' : block.level === 3 ? 'h5' : 'h6';
            return _jsx(Tag, { children: renderInline(block.text, ctx, key) }, key);
        }
        case 'rule':
            return _jsx("hr", {}, key);
        case 'quote':
            return _jsx("blockquote", { children: renderBlocks(block.text, ctx, key) }, key);
        case 'list': {
            const items = block.items.map((item, index) => (_jsx("li", { children: renderItem(item, ctx, `${key}.${index}`) }, `${key}.${index}`)));
            return block.ordered ? (_jsx("ol", { start: block.start === 1 ? undefined : block.start, children: items }, key)) : (_jsx("ul", { children: items }, key));
        }
        case 'para':
            return _jsx("p", { children: renderInline(block.text, ctx, key) }, key);
    }
}
function renderItem(text, ctx, key) {
    const blocks = parseBlocks(text);
    const only = blocks[0];
    if (blocks.length === 1 && only && only.kind === 'para')
        return renderInline(only.text, ctx, key);
    return blocks.map((block, index) => renderBlock(block, ctx, `${key}.${index}`));
}
export function renderBlocks(text, ctx, keyPrefix = 'md') {
    return parseBlocks(text).map((block, index) => renderBlock(block, ctx, `${keyPrefix}.${index}`));
}
export function Markdown({ text, ctx }) {
    return _jsx("div", { className: "bookchat-md", children: renderBlocks(text, ctx) });
}

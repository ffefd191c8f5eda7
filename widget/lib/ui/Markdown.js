import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/**
 * A small Markdown renderer for model answers: paragraphs, headings, ordered and
 * unordered (nested) lists, block quotes, fenced code (with its language and a Copy
 * button), GFM tables, rules, display math (`$$…$$`); inline code, bold, italic, links,
 * inline math (`$…$`) and citation markers. It builds React elements only: no HTML string
 * from the model or the book is ever injected (raw HTML shows as text; math is rebuilt
 * from KaTeX's MathML through an allowlist, see ./Math.tsx).
 */
import { Fragment, useEffect, useRef, useState } from 'react';
import { citationIndices, isSafeUrl } from '../core/citations';
import { sentenceRanges } from '../core/sentences';
import { MathView } from './Math';
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const MATH_FENCE = /^ {0,3}\$\$(.*)$/;
const TABLE_DELIMITER = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
function startsBlock(line) {
    return (FENCE.test(line) || MATH_FENCE.test(line) || HEADING.test(line) || ITEM.test(line) || QUOTE.test(line) || RULE.test(line));
}
/** A table row's cells: outer pipes dropped, split on pipes that are neither escaped nor in code. */
export function tableCells(line) {
    const row = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
    const cells = [];
    let cell = '';
    let inCode = false;
    for (let i = 0; i < row.length; i++) {
        const ch = row[i] ?? '';
        if (ch === '\\' && row[i + 1] === '|') {
            cell += '|';
            i++;
        }
        else if (ch === '`') {
            inCode = !inCode;
            cell += ch;
        }
        else if (ch === '|' && !inCode) {
            cells.push(cell.trim());
            cell = '';
        }
        else {
            cell += ch;
        }
    }
    cells.push(cell.trim());
    return cells;
}
/** Whether a GFM table starts at line `i`: a row with a pipe, then a matching delimiter row. */
function tableAt(lines, i) {
    const head = lines[i] ?? '';
    const delimiter = lines[i + 1] ?? '';
    if (!head.includes('|') || !delimiter.includes('-') || !TABLE_DELIMITER.test(delimiter))
        return false;
    if (!delimiter.includes('|') && !head.trim().startsWith('|'))
        return false;
    return tableCells(head).length === tableCells(delimiter).length;
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
        const math = MATH_FENCE.exec(line);
        if (math) {
            const rest = math[1] ?? '';
            const close = rest.indexOf('$$');
            if (close !== -1) {
                // `$$ x $$` on one line (anything after the closing `$$` is dropped, as remark-math does)
                blocks.push({ kind: 'math', tex: rest.slice(0, close).trim() });
                i++;
                continue;
            }
            const body = rest.trim() ? [rest] : [];
            i++;
            while (i < lines.length && !(lines[i] ?? '').includes('$$')) {
                body.push(lines[i] ?? '');
                i++;
            }
            const last = lines[i] ?? '';
            const before = last.slice(0, last.indexOf('$$'));
            if (i < lines.length && before.trim())
                body.push(before);
            i++;
            blocks.push({ kind: 'math', tex: body.join('\n').trim() });
            continue;
        }
        if (tableAt(lines, i)) {
            const header = tableCells(line);
            const align = tableCells(lines[i + 1] ?? '').map((cell) => cell.startsWith(':') && cell.endsWith(':') ? 'center' : cell.endsWith(':') ? 'right' : cell.startsWith(':') ? 'left' : null);
            const rows = [];
            i += 2;
            while (i < lines.length && (lines[i] ?? '').trim() && (lines[i] ?? '').includes('|')) {
                const cells = tableCells(lines[i] ?? '');
                rows.push(header.map((_, index) => cells[index] ?? ''));
                i++;
            }
            blocks.push({ kind: 'table', header, align, rows });
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
        while (i < lines.length &&
            (lines[i] ?? '').trim() &&
            !(para.length && (startsBlock(lines[i] ?? '') || tableAt(lines, i)))) {
            para.push((lines[i] ?? '').trim());
            i++;
        }
        blocks.push({ kind: 'para', text: para.join('\n') });
    }
    return blocks;
}
const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\[([^[\]\n]+)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)|\[([^[\]\n]{1,200})\]|(\n)|\$\$([^$]+?)\$\$|(?<![\\\w$])\$(?=[^\s$])([^$\n]*?[^\s\\$])\$(?![\d$])/g;
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
        else if (m[11] !== undefined || m[12] !== undefined) {
            // `$…$` follows Pandoc's rule (no space inside the dollars, no digit after): "$5 and $10" stays text
            out.push(_jsx(MathView, { tex: (m[11] ?? m[12] ?? '').trim(), display: false }, key));
        }
    }
    if (last < text.length)
        out.push(text.slice(last));
    return out;
}
/** The spans of `text`'s inline constructs (what a marked sentence must not cut). */
function inlineTokens(text) {
    const tokens = [];
    const re = new RegExp(INLINE.source, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[10] === undefined)
            tokens.push([m.index, m.index + m[0].length]);
    }
    return tokens;
}
/** Inline text with the flagged sentences in it wrapped by `ctx.renderFlag`. */
export function renderText(text, ctx, keyPrefix) {
    const flagged = ctx.flagged ?? [];
    const renderFlag = ctx.renderFlag;
    if (!flagged.length || !renderFlag)
        return renderInline(text, ctx, keyPrefix);
    const ranges = sentenceRanges(text, flagged, inlineTokens(text));
    if (!ranges.length)
        return renderInline(text, ctx, keyPrefix);
    const out = [];
    let last = 0;
    ranges.forEach(([start, end], index) => {
        if (start > last)
            out.push(...renderInline(text.slice(last, start), ctx, `${keyPrefix}.t${index}`));
        const key = `${keyPrefix}.f${index}`;
        out.push(renderFlag(renderInline(text.slice(start, end), ctx, key), key));
        last = end;
    });
    if (last < text.length)
        out.push(...renderInline(text.slice(last), ctx, `${keyPrefix}.t${ranges.length}`));
    return out;
}
/** Copies a code block's text; says "Copied" for a moment (or that copying failed). */
export function CopyButton({ text, lang }) {
    const [state, setState] = useState('idle');
    const timer = useRef(undefined);
    useEffect(() => () => clearTimeout(timer.current), []);
    const copy = async () => {
        try {
            await navigator.clipboard.writeText(text);
            setState('copied');
        }
        catch {
            setState('failed');
        }
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setState('idle'), 2000);
    };
    const label = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy';
    return (_jsx("button", { type: "button", className: "bookchat-copy", "data-state": state, "aria-label": state === 'idle' ? `Copy ${lang ? `${lang} ` : ''}code` : label, onClick: () => void copy(), children: label }));
}
function renderBlock(block, ctx, key) {
    switch (block.kind) {
        case 'code':
            return (_jsxs("div", { className: "bookchat-codeblock", children: [_jsxs("div", { className: "bookchat-code-head", children: [_jsx("span", { className: "bookchat-code-lang", children: block.lang || 'text' }), _jsx(CopyButton, { text: block.text, lang: block.lang })] }), _jsx("pre", { className: "bookchat-code", children: _jsx("code", { className: block.lang ? `language-${block.lang}` : undefined, "data-lang": block.lang || undefined, children: block.text }) })] }, key));
        case 'math':
            return _jsx(MathView, { tex: block.tex, display: true }, key);
        case 'table':
            return (_jsx("div", { className: "bookchat-table", role: "region", "aria-label": "Table", tabIndex: 0, children: _jsxs("table", { children: [_jsx("thead", { children: _jsx("tr", { children: block.header.map((cell, index) => (_jsx("th", { scope: "col", style: block.align[index] ? { textAlign: block.align[index] ?? undefined } : undefined, children: renderText(cell, ctx, `${key}.h${index}`) }, index))) }) }), _jsx("tbody", { children: block.rows.map((row, r) => (_jsx("tr", { children: row.map((cell, index) => (_jsx("td", { style: block.align[index] ? { textAlign: block.align[index] ?? undefined } : undefined, children: renderText(cell, ctx, `${key}.${r}.${index}`) }, index))) }, r))) })] }) }, key));
        case 'heading': {
            // Headings inside an answer stay small: they never outrank the panel's own title.
            const Tag = block.level <= 2 ? 'h4' : block.level === 3 ? 'h5' : 'h6';
            return _jsx(Tag, { children: renderText(block.text, ctx, key) }, key);
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
            return _jsx("p", { children: renderText(block.text, ctx, key) }, key);
    }
}
function renderItem(text, ctx, key) {
    const blocks = parseBlocks(text);
    const only = blocks[0];
    if (blocks.length === 1 && only && only.kind === 'para')
        return renderText(only.text, ctx, key);
    return blocks.map((block, index) => renderBlock(block, ctx, `${key}.${index}`));
}
export function renderBlocks(text, ctx, keyPrefix = 'md') {
    return parseBlocks(text).map((block, index) => renderBlock(block, ctx, `${keyPrefix}.${index}`));
}
export function Markdown({ text, ctx }) {
    return _jsx("div", { className: "bookchat-md", children: renderBlocks(text, ctx) });
}

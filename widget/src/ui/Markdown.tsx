/**
 * A small Markdown renderer for model answers: paragraphs, headings, ordered and
 * unordered (nested) lists, block quotes, fenced code (with its language and a Copy
 * button), GFM tables, rules, display math (`$$…$$`); inline code, bold, italic, links,
 * inline math (`$…$`) and citation markers. It builds React elements only: no HTML string
 * from the model or the book is ever injected (raw HTML shows as text; math is rebuilt
 * from KaTeX's MathML through an allowlist, see ./Math.tsx).
 */
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { citationIndices, isSafeUrl } from '../core/citations';
import { sentenceRanges } from '../core/sentences';
import type { SourceNode } from '../core/types';
import { MathView } from './Math';

export interface MarkdownContext {
  sources: readonly SourceNode[];
  renderCite: (indices: number[], raw: string, key: string) => ReactNode;
  renderLink: (href: string, children: ReactNode, key: string) => ReactNode;
  /** Sentences to mark (the service found no support for them), as the service wrote them. */
  flagged?: readonly string[];
  /** Wraps one flagged sentence's rendering. */
  renderFlag?: (children: ReactNode, key: string) => ReactNode;
}

export type Align = 'left' | 'center' | 'right' | null;

type Block =
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'math'; tex: string }
  | { kind: 'table'; header: string[]; align: Align[]; rows: string[][] }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'rule' }
  | { kind: 'para'; text: string };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const MATH_FENCE = /^ {0,3}\$\$(.*)$/;
const TABLE_DELIMITER = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function startsBlock(line: string): boolean {
  return (
    FENCE.test(line) || MATH_FENCE.test(line) || HEADING.test(line) || ITEM.test(line) || QUOTE.test(line) || RULE.test(line)
  );
}

/** A table row's cells: outer pipes dropped, split on pipes that are neither escaped nor in code. */
export function tableCells(line: string): string[] {
  const row = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i] ?? '';
    if (ch === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '`') {
      inCode = !inCode;
      cell += ch;
    } else if (ch === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

/** Whether a GFM table starts at line `i`: a row with a pipe, then a matching delimiter row. */
function tableAt(lines: readonly string[], i: number): boolean {
  const head = lines[i] ?? '';
  const delimiter = lines[i + 1] ?? '';
  if (!head.includes('|') || !delimiter.includes('-') || !TABLE_DELIMITER.test(delimiter)) return false;
  if (!delimiter.includes('|') && !head.trim().startsWith('|')) return false;
  return tableCells(head).length === tableCells(delimiter).length;
}

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
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
      const body: string[] = [];
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
      const body: string[] = rest.trim() ? [rest] : [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').includes('$$')) {
        body.push(lines[i] ?? '');
        i++;
      }
      const last = lines[i] ?? '';
      const before = last.slice(0, last.indexOf('$$'));
      if (i < lines.length && before.trim()) body.push(before);
      i++;
      blocks.push({ kind: 'math', tex: body.join('\n').trim() });
      continue;
    }
    if (tableAt(lines, i)) {
      const header = tableCells(line);
      const align: Align[] = tableCells(lines[i + 1] ?? '').map((cell) =>
        cell.startsWith(':') && cell.endsWith(':') ? 'center' : cell.endsWith(':') ? 'right' : cell.startsWith(':') ? 'left' : null,
      );
      const rows: string[][] = [];
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
      const body: string[] = [];
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
      const items: string[] = [];
      let current: string[] = [];
      while (i < lines.length) {
        const next = lines[i] ?? '';
        const nextItem = ITEM.exec(next);
        if (nextItem && (nextItem[1] ?? '').length <= indent + 1 && /\d/.test(nextItem[2] ?? '') === ordered) {
          if (current.length) items.push(current.join('\n'));
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
        if (startsBlock(next)) break;
        current.push(next.trim()); // a lazy continuation line
        i++;
      }
      if (current.length) items.push(current.join('\n'));
      blocks.push({ kind: 'list', ordered, start, items });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() &&
      !(para.length && (startsBlock(lines[i] ?? '') || tableAt(lines, i)))
    ) {
      para.push((lines[i] ?? '').trim());
      i++;
    }
    blocks.push({ kind: 'para', text: para.join('\n') });
  }
  return blocks;
}

const INLINE =
  /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\[([^[\]\n]+)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)|\[([^[\]\n]{1,200})\]|(\n)|\$\$([^$]+?)\$\$|(?<![\\\w$])\$(?=[^\s$])([^$\n]*?[^\s\\$])\$(?![\d$])/g;

export function renderInline(text: string, ctx: MarkdownContext, keyPrefix: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  const re = new RegExp(INLINE.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const key = `${keyPrefix}.${n++}`;
    if (m.index > last) out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      out.push(<code key={key}>{(m[2] ?? '').replace(/^ (.*) $/, '$1')}</code>);
    } else if (m[3] !== undefined || m[4] !== undefined) {
      out.push(<strong key={key}>{renderInline(m[3] ?? m[4] ?? '', ctx, key)}</strong>);
    } else if (m[5] !== undefined || m[6] !== undefined) {
      out.push(<em key={key}>{renderInline(m[5] ?? m[6] ?? '', ctx, key)}</em>);
    } else if (m[7] !== undefined) {
      const href = m[8] ?? '';
      const label = renderInline(m[7], ctx, key);
      out.push(isSafeUrl(href) ? ctx.renderLink(href, label, key) : <Fragment key={key}>{label}</Fragment>);
    } else if (m[9] !== undefined) {
      const indices = citationIndices(m[9], ctx.sources);
      out.push(indices ? ctx.renderCite(indices, m[0], key) : m[0]);
    } else if (m[10] !== undefined) {
      out.push(' ');
    } else if (m[11] !== undefined || m[12] !== undefined) {
      // `$…$` follows Pandoc's rule (no space inside the dollars, no digit after): "$5 and $10" stays text
      out.push(<MathView key={key} tex={(m[11] ?? m[12] ?? '').trim()} display={false} />);
    }
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The spans of `text`'s inline constructs (what a marked sentence must not cut). */
function inlineTokens(text: string): [number, number][] {
  const tokens: [number, number][] = [];
  const re = new RegExp(INLINE.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[10] === undefined) tokens.push([m.index, m.index + m[0].length]);
  }
  return tokens;
}

/** Inline text with the flagged sentences in it wrapped by `ctx.renderFlag`. */
export function renderText(text: string, ctx: MarkdownContext, keyPrefix: string): ReactNode[] {
  const flagged = ctx.flagged ?? [];
  const renderFlag = ctx.renderFlag;
  if (!flagged.length || !renderFlag) return renderInline(text, ctx, keyPrefix);
  const ranges = sentenceRanges(text, flagged, inlineTokens(text));
  if (!ranges.length) return renderInline(text, ctx, keyPrefix);
  const out: ReactNode[] = [];
  let last = 0;
  ranges.forEach(([start, end], index) => {
    if (start > last) out.push(...renderInline(text.slice(last, start), ctx, `${keyPrefix}.t${index}`));
    const key = `${keyPrefix}.f${index}`;
    out.push(renderFlag(renderInline(text.slice(start, end), ctx, key), key));
    last = end;
  });
  if (last < text.length) out.push(...renderInline(text.slice(last), ctx, `${keyPrefix}.t${ranges.length}`));
  return out;
}

/** Copies a code block's text; says "Copied" for a moment (or that copying failed). */
export function CopyButton({ text, lang }: { text: string; lang: string }): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };
  const label = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy';
  return (
    <button
      type="button"
      className="bookchat-copy"
      data-state={state}
      aria-label={state === 'idle' ? `Copy ${lang ? `${lang} ` : ''}code` : label}
      onClick={() => void copy()}
    >
      {label}
    </button>
  );
}

function renderBlock(block: Block, ctx: MarkdownContext, key: string): ReactNode {
  switch (block.kind) {
    case 'code':
      return (
        <div key={key} className="bookchat-codeblock">
          <div className="bookchat-code-head">
            <span className="bookchat-code-lang">{block.lang || 'text'}</span>
            <CopyButton text={block.text} lang={block.lang} />
          </div>
          <pre className="bookchat-code">
            <code className={block.lang ? `language-${block.lang}` : undefined} data-lang={block.lang || undefined}>
              {block.text}
            </code>
          </pre>
        </div>
      );
    case 'math':
      return <MathView key={key} tex={block.tex} display />;
    case 'table':
      return (
        <div key={key} className="bookchat-table" role="region" aria-label="Table" tabIndex={0}>
          <table>
            <thead>
              <tr>
                {block.header.map((cell, index) => (
                  <th key={index} scope="col" style={block.align[index] ? { textAlign: block.align[index] ?? undefined } : undefined}>
                    {renderText(cell, ctx, `${key}.h${index}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, index) => (
                    <td key={index} style={block.align[index] ? { textAlign: block.align[index] ?? undefined } : undefined}>
                      {renderText(cell, ctx, `${key}.${r}.${index}`)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'heading': {
      // Headings inside an answer stay small: they never outrank the panel's own title.
      const Tag = block.level <= 2 ? 'h4' : block.level === 3 ? 'h5' : 'h6';
      return <Tag key={key}>{renderText(block.text, ctx, key)}</Tag>;
    }
    case 'rule':
      return <hr key={key} />;
    case 'quote':
      return <blockquote key={key}>{renderBlocks(block.text, ctx, key)}</blockquote>;
    case 'list': {
      const items = block.items.map((item, index) => (
        <li key={`${key}.${index}`}>{renderItem(item, ctx, `${key}.${index}`)}</li>
      ));
      return block.ordered ? (
        <ol key={key} start={block.start === 1 ? undefined : block.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'para':
      return <p key={key}>{renderText(block.text, ctx, key)}</p>;
  }
}

function renderItem(text: string, ctx: MarkdownContext, key: string): ReactNode {
  const blocks = parseBlocks(text);
  const only = blocks[0];
  if (blocks.length === 1 && only && only.kind === 'para') return renderText(only.text, ctx, key);
  return blocks.map((block, index) => renderBlock(block, ctx, `${key}.${index}`));
}

export function renderBlocks(text: string, ctx: MarkdownContext, keyPrefix = 'md'): ReactNode[] {
  return parseBlocks(text).map((block, index) => renderBlock(block, ctx, `${keyPrefix}.${index}`));
}

export function Markdown({ text, ctx }: { text: string; ctx: MarkdownContext }): ReactNode {
  return <div className="bookchat-md">{renderBlocks(text, ctx)}</div>;
}

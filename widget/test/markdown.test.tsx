import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SourceNode } from '../src/core/types';
import { Markdown, parseBlocks, type MarkdownContext } from '../src/ui/Markdown';

const sources: SourceNode[] = [
  { id: '1', text: '', metadata: { source: 'sensors/imu.md', title: 'IMU', url: '/docs/sensors/imu#drift' } },
];
const ctx: MarkdownContext = {
  sources,
  renderCite: (indices, _raw, key) => (
    <a key={key} className="cite" href={sources[(indices[0] ?? 1) - 1]?.metadata.url}>
      [{indices.join(',')}]
    </a>
  ),
  renderLink: (href, children, key) => (
    <a key={key} href={href}>
      {children}
    </a>
  ),
};
const html = (text: string): string => renderToStaticMarkup(<Markdown text={text} ctx={ctx} />);

describe('Markdown', () => {
  it('renders paragraphs, emphasis, code and citations', () => {
    expect(html('An **IMU** drifts *slowly* [1]; see `imu_filter`.')).toBe(
      '<div class="bookchat-md"><p>An <strong>IMU</strong> drifts <em>slowly</em> ' +
        '<a class="cite" href="/docs/sensors/imu#drift">[1]</a>; see <code>imu_filter</code>.</p></div>',
    );
  });

  it('renders fenced code verbatim, without interpreting Markdown inside', () => {
    expect(html('```python\nx = a * b * c  # [1]\n```')).toBe(
      '<div class="bookchat-md"><div class="bookchat-codeblock"><div class="bookchat-code-head">' +
        '<span class="bookchat-code-lang">python</span>' +
        '<button type="button" class="bookchat-copy" data-state="idle" aria-label="Copy python code">Copy</button></div>' +
        '<pre class="bookchat-code"><code class="language-python" data-lang="python">x = a * b * c  # [1]</code></pre></div></div>',
    );
  });

  it('an unclosed fence (mid-stream) renders as code up to the end', () => {
    expect(parseBlocks('Text\n```\nline 1')).toEqual([
      { kind: 'para', text: 'Text' },
      { kind: 'code', lang: '', text: 'line 1' },
    ]);
  });

  it('renders ordered, unordered and nested lists', () => {
    expect(html('Steps:\n\n1. First\n2. Second\n   - sub a\n   - sub b\n3. Third')).toBe(
      '<div class="bookchat-md"><p>Steps:</p><ol><li>First</li><li><p>Second</p><ul><li>sub a</li><li>sub b</li></ul></li><li>Third</li></ol></div>',
    );
    expect(html('- a\n- b')).toBe('<div class="bookchat-md"><ul><li>a</li><li>b</li></ul></div>');
  });

  it('never injects HTML from the text: tags come out escaped', () => {
    const out = html('<img src=x onerror="alert(1)"> <script>alert(2)</script> **<b>x</b>**');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it('drops unsafe link targets but keeps their text', () => {
    expect(html('[click](javascript:alert(1)) and [x](javascript:void) ok')).not.toContain('href="javascript');
    expect(html('[ok](https://example.org)')).toContain('<a href="https://example.org">ok</a>');
  });

  it('keeps headings small and quotes as quotes', () => {
    expect(html('## Title\n> quoted')).toBe(
      '<div class="bookchat-md"><h4>Title</h4><blockquote><p>quoted</p></blockquote></div>',
    );
  });
});

// @vitest-environment jsdom
/** Reading an answer: unsupported sentences marked, math, code blocks with Copy, tables. */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkedSentences, sentenceRanges } from '../src/core/sentences';
import type { SourceNode } from '../src/core/types';
import { Markdown, type MarkdownContext } from '../src/ui/Markdown';
import { loadKatex } from '../src/ui/Math';
import { Widget } from '../src/ui/Widget';
import { FakeService } from './fakeService';

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const sources: SourceNode[] = [{ id: '1', text: '', metadata: { source: 'a.md', url: '/docs/a' } }];
const ctx = (flagged: string[] = []): MarkdownContext => ({
  sources,
  renderCite: (indices, _raw, key) => (
    <a key={key} className="cite" href="/docs/a">
      [{indices.join(',')}]
    </a>
  ),
  renderLink: (href, children, key) => (
    <a key={key} href={href}>
      {children}
    </a>
  ),
  flagged,
  renderFlag: (children, key) => (
    <mark key={key} className="flag">
      {children}
    </mark>
  ),
});
const show = (text: string, flagged: string[] = []): HTMLElement =>
  render(<Markdown text={text} ctx={ctx(flagged)} />).container;

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.sessionStorage.clear();
});

describe('locating checked sentences', () => {
  it('finds a sentence whose markers were removed and whose spacing differs, taking in its markers', () => {
    const text = 'Reset it first. The reset  takes\n9999 seconds [1]. Done.';
    const [range] = sentenceRanges(text, ['The reset takes 9999 seconds .']);
    expect(range && text.slice(...range)).toBe('The reset  takes\n9999 seconds [1].');
  });

  it('widens a range so that it never cuts emphasis or code', () => {
    const text = 'Before **it lasts 9999 seconds. More bold** after.';
    const tokens: [number, number][] = [[7, 44]];
    expect(sentenceRanges(text, ['it lasts 9999 seconds.'], tokens)).toEqual([[7, 44]]);
  });

  it('matches whole words only', () => {
    expect(sentenceRanges('Close your eyes. Yes.', ['Yes.'])).toEqual([[17, 21]]);
  });

  it('finds nothing for a sentence that is not in the text', () => {
    expect(sentenceRanges('An IMU drifts.', ['Something else entirely.'])).toEqual([]);
  });

  it('keeps only well-formed entries of the done event', () => {
    expect(checkedSentences([{ text: 'A.', cites: [1], supported: false }, { text: 3 }, null, 'x'])).toEqual([
      { text: 'A.', cites: [1], supported: false },
    ]);
    expect(checkedSentences(undefined)).toEqual([]);
  });
});

describe('unsupported sentences in the rendering', () => {
  it('wraps the flagged sentence and leaves the rest as it was', () => {
    const root = show('An IMU drifts [1]. It always takes **9999** seconds [1]. Calibrate it.', [
      'It always takes **9999** seconds.',
    ]);
    const flags = root.querySelectorAll('mark.flag');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.textContent).toBe('It always takes 9999 seconds [1].');
    expect(root.querySelector('p')?.textContent).toBe('An IMU drifts [1]. It always takes 9999 seconds [1]. Calibrate it.');
  });

  it('a sentence that cannot be located changes nothing', () => {
    const text = 'An IMU drifts [1]. Calibrate it.';
    const plain = show(text).innerHTML;
    cleanup();
    expect(show(text, ['Nowhere in this answer.']).innerHTML).toBe(plain);
  });

  it('the widget marks a sentence the service found unsupported, described on focus by its tooltip', async () => {
    const service = new FakeService();
    vi.stubGlobal('fetch', service.config.fetch);
    render(<Widget backend="http://svc" colorMode="light" pathname="/docs/intro/" />);
    fireEvent.click(screen.getByRole('button', { name: /Ask the book/ }));
    fireEvent.change(screen.getByLabelText('Your question'), { target: { value: 'How long is a reset?' } });
    fireEvent.keyDown(screen.getByLabelText('Your question'), { key: 'Enter' });
    await waitFor(() => expect(service.calls).toHaveLength(1));
    const answer = 'A reset clears the state [1]. The reset always takes exactly 9999 seconds [1].';
    await act(async () => {
      service.stream.send('sources', { source_nodes: [{ id: 'n1', text: 'Reset.', metadata: { source: 'a.md' } }] });
      service.stream.send('delta', { delta: answer });
      service.stream.send('done', {
        answer,
        outcome: 'answered',
        cited: [1],
        sentences: [
          { text: 'A reset clears the state.', cites: [1], supported: true },
          { text: 'The reset always takes exactly 9999 seconds.', cites: [1], supported: false },
        ],
      });
    });

    const mark = screen.getByRole('button', { name: 'Unsupported sentence' });
    const tip = document.getElementById(mark.getAttribute('aria-describedby') ?? '');
    expect(tip?.textContent).toBe('Not found in the cited passages');
    expect(tip?.getAttribute('role')).toBe('tooltip');
    expect(mark.closest('.bookchat-unsupported')?.textContent).toContain('The reset always takes exactly 9999 seconds');
    expect(document.querySelectorAll('.bookchat-unsupported')).toHaveLength(1);
  });
});

describe('math', () => {
  beforeAll(async () => {
    await loadKatex(); // on a page, the first formula loads it (its source shows meanwhile)
  });

  it('renders $…$ inline as MathML, the TeX kept as its annotation', () => {
    const root = show('Energy is $E = mc^2$ here.');
    const math = root.querySelector('span.bookchat-math > math');
    expect(math?.namespaceURI).toBe(MATHML);
    expect(math?.querySelector('msup')).toBeTruthy();
    expect(math?.querySelector('annotation')?.textContent).toBe('E = mc^2');
  });

  it('renders $$…$$ on its own lines as display math', () => {
    const root = show('Sum:\n\n$$\n\\sum_{i=1}^n i = \\frac{n(n+1)}{2}\n$$');
    const math = root.querySelector('div.bookchat-math-display > math');
    expect(math?.getAttribute('display')).toBe('block');
    expect(math?.querySelector('mfrac')).toBeTruthy();
  });

  it('leaves prices alone', () => {
    const root = show('It costs $5 and $10 in total.');
    expect(root.querySelector('math')).toBeNull();
    expect(root.textContent).toBe('It costs $5 and $10 in total.');
  });

  it('shows a formula KaTeX cannot parse as its source', () => {
    const root = show('Broken $\\frac{1$ here.');
    expect(root.querySelector('math')).toBeNull();
    expect(root.querySelector('code.bookchat-math-source')?.textContent).toBe('$\\frac{1$');
  });

  it('injects no markup and follows no links from the model', () => {
    const root = show('$x<img src=x onerror=alert(1)>$ and $\\href{javascript:alert(1)}{y}$');
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('[href]')).toBeNull();
    expect(root.querySelector('[onerror]')).toBeNull();
  });
});

describe('code blocks', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('carry their language as a label and a language- class, and Copy copies the code', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const root = show('```bash\nsudo systemctl restart robot\n```');
    expect(root.querySelector('.bookchat-code-lang')?.textContent).toBe('bash');
    expect(root.querySelector('code.language-bash')?.textContent).toBe('sudo systemctl restart robot');

    fireEvent.click(screen.getByRole('button', { name: 'Copy bash code' }));

    await waitFor(() => expect(screen.getByRole('button', { name: 'Copied' })).toBeTruthy());
    expect(writeText).toHaveBeenCalledWith('sudo systemctl restart robot');
    act(() => vi.advanceTimersByTime(2500));
    expect(screen.getByRole('button', { name: 'Copy bash code' })).toBeTruthy();
  });

  it('say so when the clipboard refuses', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: () => Promise.reject(new Error('denied')) } });
    show('```\nx\n```');
    fireEvent.click(screen.getByRole('button', { name: 'Copy code' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Copy failed' })).toBeTruthy());
  });
});

describe('tables', () => {
  it('render GFM pipes as a table with column headers in a focusable scroll region', () => {
    const root = show('Limits:\n| Joint | Range | Notes |\n|:--|--:|---|\n| hip | 0-90 | `a|b` [1] |\n| knee | 0-120 |\n\nAfter.');
    const region = screen.getByRole('region', { name: 'Table' });
    expect(region.getAttribute('tabindex')).toBe('0');
    const headers = screen.getAllByRole('columnheader').map((th) => [th.textContent, th.getAttribute('scope')]);
    expect(headers).toEqual([
      ['Joint', 'col'],
      ['Range', 'col'],
      ['Notes', 'col'],
    ]);
    const rows = Array.from(root.querySelectorAll('tbody tr'), (tr) => Array.from(tr.children, (td) => td.textContent));
    expect(rows).toEqual([
      ['hip', '0-90', 'a|b [1]'],
      ['knee', '0-120', ''],
    ]);
    expect(root.querySelector('tbody td:nth-child(2)')?.getAttribute('style')).toContain('right');
    expect(root.querySelector('tbody a.cite')).toBeTruthy();
    expect(root.querySelector('p')?.textContent).toBe('Limits:');
  });
});

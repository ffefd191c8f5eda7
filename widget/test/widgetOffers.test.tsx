// @vitest-environment jsdom
/** The panel's ways on: starter questions, the help link, the spent budget (the Widget in jsdom). */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportPageQuestions } from '../src/ui/pageQuestions';
import { Widget, type WidgetOptions } from '../src/ui/Widget';
import { errorReply, FakeService } from './fakeService';

const FORUM = { url: 'https://forum.example/c/book', label: 'Ask on the forum' };
let service: FakeService;

beforeEach(() => {
  service = new FakeService();
  vi.stubGlobal('fetch', service.config.fetch);
});

afterEach(() => {
  cleanup();
  act(() => reportPageQuestions(null));
  vi.unstubAllGlobals();
  window.sessionStorage.clear();
});

function open(options: Partial<WidgetOptions> = {}): void {
  render(<Widget backend="http://svc" colorMode="light" pathname="/docs/intro/" {...options} />);
  fireEvent.click(screen.getByRole('button', { name: /Ask the book/ }));
}

async function answer(done: Record<string, unknown>): Promise<void> {
  await waitFor(() => expect(service.calls).toHaveLength(1));
  await act(async () => {
    service.stream.send('sources', { source_nodes: [] });
    service.stream.send('delta', { delta: String(done.answer) });
    service.stream.send('done', done);
  });
}

function ask(text: string): void {
  fireEvent.change(screen.getByLabelText('Your question'), { target: { value: text } });
  fireEvent.keyDown(screen.getByLabelText('Your question'), { key: 'Enter' });
}

describe('starter questions', () => {
  it('are offered on the empty panel, and one click asks it', async () => {
    open({ starterQuestions: ['How do I install Orbit?', 'What does Orbit track?'] });

    fireEvent.click(screen.getByRole('button', { name: 'What does Orbit track?' }));

    await waitFor(() => expect(service.calls).toHaveLength(1));
    expect(service.calls[0]?.body.message).toBe('What does Orbit track?');
    expect(screen.queryByRole('button', { name: 'How do I install Orbit?' })).toBeNull(); // the panel is no longer empty
  });

  it("from the page's front matter replace the site's", () => {
    open({ starterQuestions: ['Site-wide?'] });

    act(() => reportPageQuestions(['From this page?']));

    expect(screen.getByRole('button', { name: 'From this page?' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Site-wide?' })).toBeNull();
  });

  it('are not shown when there are none', () => {
    open();
    expect(screen.queryByRole('group', { name: 'For example:' })).toBeNull();
  });
});

describe('the help link', () => {
  it("follows a not-in-the-book answer with the service's link, opening in a new tab", async () => {
    open({ helpUrl: 'https://site.example/help', helpLabel: 'Site help' });
    ask('What is the capital of Peru?');

    await answer({ answer: 'Not in the book.', request_id: 'r1', outcome: 'not_in_book', cited: [], help: FORUM });

    const link = await screen.findByRole('link', { name: /Ask on the forum/ });
    expect(link.getAttribute('href')).toBe(FORUM.url);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(link.textContent).toContain('(opens in a new tab)');
  });

  it("falls back to the site's helpUrl when the service sends none", async () => {
    open({ helpUrl: 'https://site.example/help', helpLabel: 'Site help' });
    ask('What is the capital of Peru?');

    await answer({ answer: 'Not in the book.', request_id: 'r1', outcome: 'not_in_book', cited: [], help: null });

    expect((await screen.findByRole('link', { name: /Site help/ })).getAttribute('href')).toBe('https://site.example/help');
  });

  it('is offered after a thumbs-down on an answer, not before', async () => {
    open({ helpUrl: 'https://site.example/help' });
    ask('How do I install Orbit?');
    await answer({ answer: 'Use the package manager.', request_id: 'r1', outcome: 'answered', cited: [] });
    await screen.findByRole('button', { name: 'Not helpful' });
    expect(screen.queryByRole('link', { name: /Ask the authors/ })).toBeNull();
    service.replies.push(new Response(null, { status: 201 }));

    fireEvent.click(screen.getByRole('button', { name: 'Not helpful' }));

    expect((await screen.findByRole('link', { name: /Ask the authors/ })).getAttribute('href')).toBe('https://site.example/help');
  });

  it('is not offered without a link from the service or the site', async () => {
    open();
    ask('What is the capital of Peru?');

    await answer({ answer: 'Not in the book.', request_id: 'r1', outcome: 'not_in_book', cited: [] });

    await screen.findByText(/The book does not cover this question/);
    expect(screen.queryByRole('link')).toBeNull();
  });
});

describe('refusals that Retry cannot help', () => {
  it("a spent budget says today's limit and the wait, with no Retry button", async () => {
    const reply = errorReply(429, 'budget_exhausted', 'The daily token budget is spent.');
    reply.headers.set('Retry-After', String(5 * 3600 + 30));
    service.replies.push(reply);
    open();
    ask('How do I install Orbit?');

    const alert = await screen.findByRole('alert');

    expect(alert.textContent).toBe("The chat has reached today's limit; try again in 6 hours.");
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('a refused origin names the setting, with no Retry button', async () => {
    service.replies.push(errorReply(403, 'origin_not_allowed', 'Origin not allowed.'));
    open();
    ask('How do I install Orbit?');

    const alert = await screen.findByRole('alert');

    expect(alert.textContent).toContain('BOOKCHAT_CORS_ORIGINS');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('a plain rate limit keeps its Retry button', async () => {
    service.replies.push(errorReply(429, 'rate_limited', 'Too many requests.'));
    open();
    ask('How do I install Orbit?');

    await screen.findByRole('alert');

    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });
});

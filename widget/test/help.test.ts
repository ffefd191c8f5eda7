import { describe, expect, it } from 'vitest';
import { ApiError, describeError, isRetryable } from '../src/core/api';
import { helpFrom, MAX_STARTERS, questionsFrom, waitInWords } from '../src/core/help';
import { initialState, latestHelp, reducer, type ChatState } from '../src/core/state';
import { normalizeOptions } from '../src/options';

const FORUM = { url: 'https://forum.example/c/book', label: 'Ask on the forum' };

function answered(help?: unknown): ChatState {
  const user = { id: 'u1', role: 'user' as const, content: 'Q?' };
  const asked = reducer(initialState, { type: 'ask', user, assistantId: 'a1' });
  return reducer(asked, { type: 'done', id: 'a1', done: { answer: 'No.', outcome: 'not_in_book', help: help as never } });
}

describe('the help link', () => {
  it('is read from the done event and kept on the answer', () => {
    const state = answered(FORUM);
    expect(state.messages[1]).toMatchObject({ outcome: 'not_in_book', help: FORUM });
    expect(latestHelp(state)).toEqual(FORUM);
  });

  it('is absent when the service sends none (null)', () => {
    const state = answered(null);
    expect(state.messages[1]).not.toHaveProperty('help');
    expect(latestHelp(state)).toBeUndefined();
  });

  it('keeps only http(s), mailto and site-path links, with a default label', () => {
    expect(helpFrom({ url: 'javascript:alert(1)', label: 'x' })).toBeUndefined();
    expect(helpFrom({ url: '//evil.example/x' })).toBeUndefined();
    expect(helpFrom({ url: 42 })).toBeUndefined();
    expect(helpFrom({ url: '/community' })).toEqual({ url: '/community', label: 'Ask the authors' });
    expect(helpFrom({ url: 'mailto:authors@example.org', label: ' Write to us ' })).toEqual({
      url: 'mailto:authors@example.org',
      label: 'Write to us',
    });
  });
});

describe('starter questions', () => {
  it('keeps the non-empty strings, once each, at most MAX_STARTERS', () => {
    expect(questionsFrom([' How do I install it? ', '', 3, 'How do I install it?', 'Why?'])).toEqual([
      'How do I install it?',
      'Why?',
    ]);
    expect(questionsFrom('not a list')).toEqual([]);
    expect(questionsFrom(Array.from({ length: 10 }, (_, i) => `Q${i}?`))).toHaveLength(MAX_STARTERS);
  });
});

describe('the plugin options helpUrl, helpLabel, starterQuestions', () => {
  it('are kept when valid', () => {
    expect(
      normalizeOptions({ helpUrl: 'https://forum.example', helpLabel: 'Forum', starterQuestions: ['What is Orbit?'] }),
    ).toEqual({ backend: '', helpUrl: 'https://forum.example', helpLabel: 'Forum', starterQuestions: ['What is Orbit?'] });
  });

  it('are refused when wrong, naming the option', () => {
    expect(() => normalizeOptions({ helpUrl: 'javascript:alert(1)' })).toThrow(/helpUrl/);
    expect(() => normalizeOptions({ helpLabel: '' })).toThrow(/helpLabel/);
    expect(() => normalizeOptions({ starterQuestions: 'What?' })).toThrow(/starterQuestions/);
    expect(() => normalizeOptions({ starterQuestions: ['What?', ''] })).toThrow(/starterQuestions/);
  });
});

describe('the spent budget', () => {
  const budget = (wait?: number) => new ApiError('http', 'The daily budget is spent.', 429, 'budget_exhausted', wait);

  it("says the chat reached today's limit, with the wait in hours or minutes", () => {
    expect(describeError(budget(3 * 3600 - 600))).toBe("The chat has reached today's limit; try again in 3 hours.");
    expect(describeError(budget(3600))).toBe("The chat has reached today's limit; try again in 1 hour.");
    expect(describeError(budget(25 * 60))).toBe("The chat has reached today's limit; try again in 25 minutes.");
    expect(describeError(budget())).toBe("The chat has reached today's limit; try again tomorrow.");
  });

  it('is not retryable, nor is a refused origin; a plain 429 is', () => {
    expect(isRetryable(budget(60))).toBe(false);
    expect(isRetryable(new ApiError('http', 'no', 403, 'origin_not_allowed'))).toBe(false);
    expect(isRetryable(new ApiError('http', 'slow down', 429, 'rate_limited', 7))).toBe(true);
  });

  it('words a wait', () => {
    expect(waitInWords(59)).toBe('59 seconds');
    expect(waitInWords(61)).toBe('2 minutes');
    expect(waitInWords(3601)).toBe('2 hours');
  });
});

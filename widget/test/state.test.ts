import { describe, expect, it } from 'vitest';
import { MAX_HISTORY, MAX_TURN } from '../src/core/limits';
import {
  historyBefore,
  initialState,
  isBusy,
  loadState,
  reducer,
  saveState,
  type ChatState,
  type KeyValueStore,
  type UserMessage,
} from '../src/core/state';

const user = (id: string, content: string): UserMessage => ({ id, role: 'user', content });

function asked(state: ChatState, n: number, answer: string): ChatState {
  let next = reducer(state, { type: 'ask', user: user(`u${n}`, `question ${n}`), assistantId: `a${n}` });
  next = reducer(next, { type: 'sources', id: `a${n}`, sources: [] });
  next = reducer(next, { type: 'delta', id: `a${n}`, delta: answer.slice(0, 3) });
  next = reducer(next, { type: 'delta', id: `a${n}`, delta: answer.slice(3) });
  return reducer(next, { type: 'done', id: `a${n}`, done: { answer, request_id: `r${n}` } });
}

describe('conversation state', () => {
  it('an answer goes waiting → streaming → done, with the final answer, request id and outcome', () => {
    let state = reducer(initialState, { type: 'ask', user: user('u1', 'q'), assistantId: 'a1' });
    expect(isBusy(state)).toBe(true);
    expect(state.messages[1]).toMatchObject({ status: 'waiting', content: '' });
    state = reducer(state, { type: 'delta', id: 'a1', delta: 'Hel' });
    expect(state.messages[1]).toMatchObject({ status: 'streaming', content: 'Hel' });
    state = reducer(state, { type: 'done', id: 'a1', done: { answer: 'Hello [1]', request_id: 'r1' } });
    expect(state.messages[1]).toMatchObject({ status: 'done', content: 'Hello [1]', requestId: 'r1', outcome: 'answered' });
    expect(isBusy(state)).toBe(false);
  });

  it('a done event without outcome or cited (older backends) still completes; cited comes from the text', () => {
    let state = reducer(initialState, { type: 'ask', user: user('u1', 'q'), assistantId: 'a1' });
    const sources = [{ id: 'x', text: '', metadata: { source: 'a.md' } }, { id: 'y', text: '', metadata: { source: 'b.md' } }];
    state = reducer(state, { type: 'sources', id: 'a1', sources });
    state = reducer(state, { type: 'done', id: 'a1', done: { answer: 'See [2].' } });
    expect(state.messages[1]).toMatchObject({ status: 'done', outcome: 'answered', cited: [2] });
  });

  it('keeps not_in_book and the server’s cited list when given', () => {
    let state = reducer(initialState, { type: 'ask', user: user('u1', 'q'), assistantId: 'a1' });
    state = reducer(state, { type: 'done', id: 'a1', done: { answer: 'No.', outcome: 'not_in_book', cited: [] } });
    expect(state.messages[1]).toMatchObject({ outcome: 'not_in_book', cited: [] });
  });

  it('stop keeps what arrived; a failure keeps the error; retry starts the answer afresh', () => {
    let state = reducer(initialState, { type: 'ask', user: user('u1', 'q'), assistantId: 'a1' });
    state = reducer(state, { type: 'delta', id: 'a1', delta: 'partial' });
    state = reducer(state, { type: 'stopped', id: 'a1' });
    expect(state.messages[1]).toMatchObject({ status: 'stopped', content: 'partial' });
    state = reducer(state, { type: 'failed', id: 'a1', error: { text: 'boom', status: 429, retryAfter: 7 } });
    expect(state.messages[1]).toMatchObject({ status: 'error', error: { status: 429, retryAfter: 7 } });
    state = reducer(state, { type: 'retry', id: 'a1' });
    expect(state.messages[1]).toMatchObject({ status: 'waiting', content: '', sources: [] });
    expect(state.messages[1]).not.toHaveProperty('error');
  });

  it('history holds the earlier turns, oldest first, without failed answers', () => {
    let state = asked(initialState, 1, 'first answer');
    state = reducer(state, { type: 'ask', user: user('u2', 'question 2'), assistantId: 'a2' });
    state = reducer(state, { type: 'failed', id: 'a2', error: { text: 'x' } });
    state = asked(state, 3, 'third answer');
    expect(historyBefore(state, 'u3')).toEqual([
      { role: 'user', content: 'question 1' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'question 2' },
    ]);
    // a new question (not yet in the state): every turn so far
    expect(historyBefore(state, 'new')).toHaveLength(5);
  });

  it('history is bounded as the contract says: 50 turns, 8000 characters each', () => {
    let state = initialState;
    for (let n = 0; n < 40; n++) state = asked(state, n, n === 39 ? 'x'.repeat(9000) : `answer ${n}`);
    const history = historyBefore(state, 'next');
    expect(history).toHaveLength(MAX_HISTORY);
    expect(history.at(-1)?.content).toHaveLength(MAX_TURN);
    expect(history.at(-2)).toEqual({ role: 'user', content: 'question 39' });
    expect(history.every((t) => t.content.length >= 1 && t.content.length <= MAX_TURN)).toBe(true);
  });

  it('feedback state is recorded per answer', () => {
    let state = asked(initialState, 1, 'answer');
    state = reducer(state, { type: 'rate', id: 'a1', rating: 'down', feedback: 'sending' });
    state = reducer(state, { type: 'feedback', id: 'a1', feedback: 'sent' });
    expect(state.messages[1]).toMatchObject({ rating: 'down', feedback: 'sent' });
  });

  it('persists to a store; a stream cut by a reload comes back stopped; clear empties the store', () => {
    const data = new Map<string, string>();
    const store: KeyValueStore = {
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => void data.set(k, v),
      removeItem: (k) => void data.delete(k),
    };
    let state = asked(initialState, 1, 'answer');
    state = reducer(state, { type: 'ask', user: user('u2', 'q2'), assistantId: 'a2' });
    state = reducer(state, { type: 'delta', id: 'a2', delta: 'half' });
    saveState(store, 'k', state);
    const loaded = loadState(store, 'k');
    expect(loaded.messages).toHaveLength(4);
    expect(loaded.messages[3]).toMatchObject({ status: 'stopped', content: 'half' });
    saveState(store, 'k', reducer(loaded, { type: 'clear' }));
    expect(data.has('k')).toBe(false);
    data.set('k', '{not json');
    expect(loadState(store, 'k')).toEqual(initialState);
  });
});

/** The conversation: a reducer (no React import), the bounded history, persistence. */
import { citedIndices } from './citations';
import { helpFrom, type HelpLink } from './help';
import { MAX_HISTORY, MAX_TURN } from './limits';
import { checkedSentences, type CheckedSentence } from './sentences';
import type { DoneEvent, Rating, SourceNode, Turn } from './types';

export interface ErrorInfo {
  text: string;
  status?: number;
  code?: string;
  retryAfter?: number;
  /** The partial text was withdrawn by the service: the answer shows the notice alone. */
  withdrawn?: boolean;
  /** Retrying cannot help (the day's budget is spent, the site's origin is refused): no Retry button. */
  final?: boolean;
}

export type AnswerStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'error';
export type FeedbackState = 'sending' | 'sent' | 'unavailable' | 'failed';

export interface UserMessage {
  id: string;
  role: 'user';
  content: string;
  selectedText?: string;
  page?: string;
  /** The docs version and locale of the page the question was asked on. */
  version?: string;
  locale?: string;
}

export interface AssistantMessage {
  id: string;
  role: 'assistant';
  /** The user message this answers. */
  replyTo: string;
  content: string;
  status: AnswerStatus;
  sources: SourceNode[];
  outcome?: string;
  cited?: number[];
  requestId?: string;
  error?: ErrorInfo;
  rating?: Rating;
  feedback?: FeedbackState;
  /** Where to ask instead (the service's `help`, with a "not in the book" answer). */
  help?: HelpLink;
  /** The service's check of each sentence (`done.sentences`); the unsupported ones are marked. */
  sentences?: CheckedSentence[];
}

export type Message = UserMessage | AssistantMessage;

export interface ChatState {
  messages: Message[];
}

export type Action =
  | { type: 'ask'; user: UserMessage; assistantId: string }
  | { type: 'retry'; id: string }
  | { type: 'sources'; id: string; sources: SourceNode[] }
  | { type: 'delta'; id: string; delta: string }
  | { type: 'done'; id: string; done: DoneEvent }
  | { type: 'stopped'; id: string }
  | { type: 'failed'; id: string; error: ErrorInfo }
  | { type: 'rate'; id: string; rating: Rating; feedback: FeedbackState }
  | { type: 'feedback'; id: string; feedback: FeedbackState }
  | { type: 'clear' };

export const initialState: ChatState = { messages: [] };

function update(state: ChatState, id: string, change: (m: AssistantMessage) => AssistantMessage): ChatState {
  return {
    messages: state.messages.map((m) => (m.id === id && m.role === 'assistant' ? change(m) : m)),
  };
}

export function reducer(state: ChatState, action: Action): ChatState {
  switch (action.type) {
    case 'ask':
      return {
        messages: [
          ...state.messages,
          action.user,
          { id: action.assistantId, role: 'assistant', replyTo: action.user.id, content: '', status: 'waiting', sources: [] },
        ],
      };
    case 'retry':
      return update(state, action.id, (m) => ({
        id: m.id,
        role: 'assistant',
        replyTo: m.replyTo,
        content: '',
        status: 'waiting',
        sources: [],
      }));
    case 'sources':
      return update(state, action.id, (m) => ({ ...m, sources: action.sources, status: 'streaming' }));
    case 'delta':
      return update(state, action.id, (m) => ({ ...m, content: m.content + action.delta, status: 'streaming' }));
    case 'done':
      return update(state, action.id, (m) => {
        const content = typeof action.done.answer === 'string' ? action.done.answer : m.content;
        const cited = Array.isArray(action.done.cited) ? action.done.cited : citedIndices(content, m.sources);
        const help = helpFrom(action.done.help);
        const sentences = checkedSentences(action.done.sentences);
        return {
          ...m,
          ...(help ? { help } : {}),
          ...(sentences.length ? { sentences } : {}),
          content,
          status: 'done',
          outcome: typeof action.done.outcome === 'string' ? action.done.outcome : 'answered',
          cited,
          requestId: typeof action.done.request_id === 'string' ? action.done.request_id : m.requestId,
        };
      });
    case 'stopped':
      return update(state, action.id, (m) => (m.status === 'waiting' || m.status === 'streaming' ? { ...m, status: 'stopped' } : m));
    case 'failed':
      return update(state, action.id, (m) => ({
        ...m,
        content: action.error.withdrawn ? '' : m.content,
        status: 'error',
        error: action.error,
      }));
    case 'rate':
      return update(state, action.id, (m) => ({ ...m, rating: action.rating, feedback: action.feedback }));
    case 'feedback':
      return update(state, action.id, (m) => ({ ...m, feedback: action.feedback }));
    case 'clear':
      return initialState;
  }
}

/**
 * The turns before message `beforeId` (oldest first), as docs/api.md bounds them
 * (./limits.ts): at most MAX_HISTORY turns of 1..MAX_TURN characters. Unanswered or
 * failed answers are left out; an answer stopped midway counts with what arrived.
 */
export function historyBefore(state: ChatState, beforeId: string): Turn[] {
  const turns: Turn[] = [];
  for (const m of state.messages) {
    if (m.id === beforeId) break;
    if (m.role === 'user') {
      turns.push({ role: 'user', content: m.content });
    } else if ((m.status === 'done' || m.status === 'stopped') && m.content.trim()) {
      turns.push({ role: 'assistant', content: m.content });
    }
  }
  return turns
    .filter((t) => t.content.trim())
    .slice(-MAX_HISTORY)
    .map((t) => ({ role: t.role, content: t.content.length > MAX_TURN ? t.content.slice(0, MAX_TURN) : t.content }));
}

/** The service's help link of the latest answer that carried one (the fallback after a thumbs-down). */
export function latestHelp(state: ChatState): HelpLink | undefined {
  for (let i = state.messages.length - 1; i >= 0; i -= 1) {
    const m = state.messages[i];
    if (m && m.role === 'assistant' && m.help) return m.help;
  }
  return undefined;
}

export function isBusy(state: ChatState): boolean {
  return state.messages.some((m) => m.role === 'assistant' && (m.status === 'waiting' || m.status === 'streaming'));
}

/** After a reload, an answer that was streaming can no longer finish: it counts as stopped. */
export function revive(value: unknown): ChatState {
  if (!value || typeof value !== 'object' || !Array.isArray((value as ChatState).messages)) return initialState;
  const messages = (value as ChatState).messages.filter(
    (m): m is Message => !!m && typeof m === 'object' && typeof m.id === 'string' && (m.role === 'user' || m.role === 'assistant'),
  );
  return {
    messages: messages.map((m) =>
      m.role === 'assistant' && (m.status === 'waiting' || m.status === 'streaming')
        ? { ...m, status: 'stopped' as const, sources: Array.isArray(m.sources) ? m.sources : [] }
        : m.role === 'assistant'
          ? { ...m, sources: Array.isArray(m.sources) ? m.sources : [] }
          : m,
    ),
  };
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function loadState(store: KeyValueStore | undefined, key: string): ChatState {
  if (!store) return initialState;
  try {
    const raw = store.getItem(key);
    return raw ? revive(JSON.parse(raw)) : initialState;
  } catch {
    return initialState;
  }
}

export function saveState(store: KeyValueStore | undefined, key: string, state: ChatState): void {
  if (!store) return;
  try {
    if (state.messages.length) store.setItem(key, JSON.stringify(state));
    else store.removeItem(key);
  } catch {
    // storage full or disabled: the conversation lives in memory only
  }
}

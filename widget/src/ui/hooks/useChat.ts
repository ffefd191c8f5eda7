/**
 * The conversation: the messages (kept in sessionStorage: they survive navigation and
 * reloads in the tab), the running answer's stream and its abort, retry, clear, feedback,
 * and the line a screen reader announces. Rendering is left to the views.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ApiError, describeError, isRetryable, sendFeedback, streamChat, type ClientConfig } from '../../core/api';
import { MAX_MESSAGE, MAX_SELECTED } from '../../core/limits';
import {
  historyBefore,
  isBusy,
  loadState,
  reducer,
  saveState,
  type AssistantMessage,
  type ChatState,
  type ErrorInfo,
  type Message,
  type UserMessage,
} from '../../core/state';
import type { DocsContext } from '../../core/docsContext';
import type { ChatRequest, Rating, SourceNode } from '../../core/types';
import { sessionStore } from '../storage';

/** The question sent when the reader asks about a selection without typing one. */
export const DEFAULT_SELECTION_QUESTION = 'Explain this passage.';

export interface ChatOptions {
  config: ClientConfig;
  /** The sessionStorage key of this conversation. */
  storageKey: string;
  /** Send the reader's page as `page`. */
  sendPage: boolean;
  /** The current page's site path, sent with each question. */
  pathname: string;
  /** The page's docs version and locale, read when a question is asked (sent as `version`, `locale`). */
  docsContext?: () => DocsContext;
}

/** The optional request fields an older service may refuse (422 naming the field). */
const OPTIONAL_FIELDS = ['page', 'version', 'locale'] as const;
type OptionalField = (typeof OPTIONAL_FIELDS)[number];

export interface Chat {
  messages: Message[];
  /** An answer is being awaited or streamed. */
  busy: boolean;
  /** The latest outcome in words, for the polite live region. */
  announcement: string;
  /** Ask `text` (or the default question when only a selection is given). */
  ask: (text: string, selectedText: string | null) => void;
  retry: (answer: AssistantMessage) => void;
  stop: () => void;
  clear: () => void;
  rate: (answer: AssistantMessage, rating: Rating) => Promise<void>;
}

let counter = 0;
function newId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** Plain text of an answer for the screen-reader announcement. */
function plain(text: string): string {
  return text
    .replace(/```[\s\S]*?(```|$)/g, ' (code) ')
    .replace(/[*_`#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function errorInfo(error: unknown, backend: string): ErrorInfo {
  if (error instanceof ApiError) {
    const info: ErrorInfo = { text: describeError(error, backend), status: error.status, code: error.code, retryAfter: error.retryAfter };
    if (error.withdrawn) info.withdrawn = true;
    if (!isRetryable(error)) info.final = true;
    return info;
  }
  return { text: 'Something went wrong while asking. Try again.' };
}

export function useChat({ config, storageKey, sendPage, pathname, docsContext }: ChatOptions): Chat {
  const [state, dispatch] = useReducer(reducer, undefined, () => loadState(sessionStore(), storageKey));
  const [announcement, setAnnouncement] = useState('');
  const stateRef = useRef<ChatState>(state);
  stateRef.current = state;
  const controllerRef = useRef<AbortController | null>(null);
  const refusedRef = useRef(new Set<OptionalField>());

  useEffect(() => saveState(sessionStore(), storageKey, state), [state, storageKey]);

  // Stop a running stream when the widget goes away.
  useEffect(() => () => controllerRef.current?.abort(), []);

  const run = useCallback(
    async (user: UserMessage, assistantId: string): Promise<void> => {
      controllerRef.current?.abort();
      const controller = new AbortController();
      controllerRef.current = controller;
      const request: ChatRequest = { message: user.content };
      const history = historyBefore(stateRef.current, user.id);
      if (history.length) request.history = history;
      if (user.selectedText) request.selected_text = user.selectedText;
      const refused = refusedRef.current;
      if (sendPage && user.page && !refused.has('page')) request.page = user.page;
      if (user.version && !refused.has('version')) request.version = user.version;
      if (user.locale && !refused.has('locale')) request.locale = user.locale;
      const handlers = {
        onSources: (sources: SourceNode[]) => dispatch({ type: 'sources', id: assistantId, sources }),
        onDelta: (delta: string) => dispatch({ type: 'delta', id: assistantId, delta }),
      };
      try {
        let done;
        try {
          done = await streamChat(config, request, handlers, controller.signal);
        } catch (error) {
          // A backend that predates `page`, `version` or `locale` refuses them as unknown
          // fields: ask again without the ones it names.
          const named =
            error instanceof ApiError && error.status === 422
              ? OPTIONAL_FIELDS.filter((field) => request[field] !== undefined && new RegExp(`\\b${field}\\b`).test(error.message))
              : [];
          if (named.length) {
            for (const field of named) {
              refused.add(field);
              delete request[field];
            }
            done = await streamChat(config, request, handlers, controller.signal);
          } else {
            throw error;
          }
        }
        dispatch({ type: 'done', id: assistantId, done });
        const answer = typeof done.answer === 'string' ? done.answer : '';
        setAnnouncement(
          done.outcome === 'not_in_book' ? `Not in the book. ${plain(answer)}` : `Answer: ${plain(answer)}`,
        );
      } catch (error) {
        if (controller.signal.aborted) {
          dispatch({ type: 'stopped', id: assistantId });
          setAnnouncement('Answer stopped.');
        } else {
          const info = errorInfo(error, config.backend);
          dispatch({ type: 'failed', id: assistantId, error: info });
          setAnnouncement(info.text);
        }
      } finally {
        if (controllerRef.current === controller) controllerRef.current = null;
      }
    },
    [config, sendPage],
  );

  const ask = useCallback(
    (text: string, selectedText: string | null): void => {
      const content = (text.trim() || (selectedText ? DEFAULT_SELECTION_QUESTION : '')).slice(0, MAX_MESSAGE);
      if (!content || isBusy(stateRef.current)) return;
      const user: UserMessage = { id: newId('u'), role: 'user', content, page: pathname };
      const context = docsContext?.() ?? {};
      if (context.version) user.version = context.version;
      if (context.locale) user.locale = context.locale;
      if (selectedText) user.selectedText = selectedText.slice(0, MAX_SELECTED);
      const assistantId = newId('a');
      dispatch({ type: 'ask', user, assistantId });
      // The reducer has not run yet: the new message is not in stateRef, so the history
      // computed in run() is exactly the turns before it.
      void run(user, assistantId);
    },
    [pathname, docsContext, run],
  );

  const retry = useCallback(
    (answer: AssistantMessage): void => {
      const user = stateRef.current.messages.find((m): m is UserMessage => m.id === answer.replyTo && m.role === 'user');
      if (!user || isBusy(stateRef.current)) return;
      dispatch({ type: 'retry', id: answer.id });
      void run(user, answer.id);
    },
    [run],
  );

  const stop = useCallback((): void => controllerRef.current?.abort(), []);

  const clear = useCallback((): void => {
    controllerRef.current?.abort();
    dispatch({ type: 'clear' });
    setAnnouncement('Conversation cleared.');
  }, []);

  const rate = useCallback(
    async (answer: AssistantMessage, rating: Rating): Promise<void> => {
      if (!answer.requestId) {
        dispatch({ type: 'rate', id: answer.id, rating, feedback: 'unavailable' });
        return;
      }
      dispatch({ type: 'rate', id: answer.id, rating, feedback: 'sending' });
      try {
        await sendFeedback(config, { request_id: answer.requestId, rating });
        dispatch({ type: 'feedback', id: answer.id, feedback: 'sent' });
      } catch (error) {
        const missing = error instanceof ApiError && (error.status === 404 || error.status === 405);
        dispatch({ type: 'feedback', id: answer.id, feedback: missing ? 'unavailable' : 'failed' });
      }
    },
    [config],
  );

  return { messages: state.messages, busy: isBusy(state), announcement, ask, retry, stop, clear, rate };
}

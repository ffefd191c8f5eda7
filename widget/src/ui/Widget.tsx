/**
 * The chat button and panel. Independent of Docusaurus: the host passes the current
 * page path, the color mode and (optionally) a component for same-origin links.
 * Rendered in the browser only (Docusaurus wraps it in <BrowserOnly>).
 */
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ComponentType,
  type FormEvent,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
} from 'react';
import { ApiError, describeError, sendFeedback, streamChat, type ClientConfig } from '../core/api';
import { sourceHref, sourceLabel } from '../core/citations';
import {
  historyBefore,
  isBusy,
  loadState,
  MAX_MESSAGE,
  MAX_SELECTED,
  reducer,
  saveState,
  type AssistantMessage,
  type ChatState,
  type ErrorInfo,
  type Message,
  type UserMessage,
} from '../core/state';
import type { ChatRequest, Rating, SourceNode } from '../core/types';
import type { ColorMode } from './colorMode';
import { Markdown, type MarkdownContext } from './Markdown';

export interface InternalLinkProps {
  to: string;
  className?: string;
  title?: string;
  onClick?: () => void;
  children?: ReactNode;
}

export interface WidgetOptions {
  /** The bookchat service's base URL; "" = the page's own origin. */
  backend: string;
  /** Sent as `Authorization: Bearer KEY` when set (a public, rate-limited key). */
  apiKey?: string;
  /** The panel's title. */
  title?: string;
  /** Send the current page path as `page` (default true). */
  sendPage?: boolean;
}

export interface WidgetProps extends WidgetOptions {
  colorMode: ColorMode;
  /** The current page's site path, e.g. `/docs/sensors/imu`. */
  pathname: string;
  /** Client-side navigation for same-origin links (Docusaurus `Link`); default `<a>`. */
  InternalLink?: ComponentType<InternalLinkProps>;
}

export const SHORTCUT_LABEL = 'Ctrl+Shift+K';
const DEFAULT_SELECTION_QUESTION = 'Explain this passage.';
const PHONE_QUERY = '(max-width: 600px)';

let counter = 0;
function newId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

function storageFor(kind: 'session'): Storage | undefined {
  try {
    return kind === 'session' ? window.sessionStorage : undefined;
  } catch {
    return undefined;
  }
}

/** Plain text of an answer for the screen-reader announcement. */
function plain(text: string): string {
  return text
    .replace(/```[\s\S]*?(```|$)/g, ' (code) ')
    .replace(/[*_`#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

interface SelectionHint {
  text: string;
  top: number;
  left: number;
}

function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof ApiError) {
    return { text: describeError(error), status: error.status, code: error.code, retryAfter: error.retryAfter };
  }
  return { text: 'Something went wrong while asking. Try again.' };
}

function SourceLinkView({
  node,
  className,
  title,
  children,
  InternalLink,
  onNavigate,
}: {
  node: SourceNode;
  className?: string;
  title?: string;
  children: ReactNode;
  InternalLink?: ComponentType<InternalLinkProps>;
  onNavigate: () => void;
}): ReactNode {
  const href = sourceHref(node);
  if (!href) {
    return (
      <span className={className} title={title}>
        {children}
      </span>
    );
  }
  return (
    <SmartLink href={href} className={className} title={title} InternalLink={InternalLink} onNavigate={onNavigate}>
      {children}
    </SmartLink>
  );
}

function SmartLink({
  href,
  className,
  title,
  children,
  InternalLink,
  onNavigate,
}: {
  href: string;
  className?: string;
  title?: string;
  children: ReactNode;
  InternalLink?: ComponentType<InternalLinkProps>;
  onNavigate: () => void;
}): ReactNode {
  let url: URL | null = null;
  try {
    url = new URL(href, window.location.href);
  } catch {
    url = null;
  }
  if (url && url.origin === window.location.origin) {
    const to = `${url.pathname}${url.search}${url.hash}`;
    if (InternalLink) {
      return (
        <InternalLink to={to} className={className} title={title} onClick={onNavigate}>
          {children}
        </InternalLink>
      );
    }
    return (
      <a href={to} className={className} title={title} onClick={onNavigate}>
        {children}
      </a>
    );
  }
  return (
    <a href={url ? url.href : href} className={className} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

export function Widget(props: WidgetProps): ReactNode {
  const { backend, apiKey, title = 'Ask the book', sendPage = true, colorMode, pathname, InternalLink } = props;
  const config: ClientConfig = useMemo(() => ({ backend, apiKey }), [backend, apiKey]);
  const storageKey = `bookchat:v1:${backend || 'same-origin'}`;
  const [state, dispatch] = useReducer(reducer, undefined, () => loadState(storageFor('session'), storageKey));
  const [open, setOpen] = useState<boolean>(() => storageFor('session')?.getItem(`${storageKey}:open`) === '1');
  const [input, setInput] = useState('');
  const [attached, setAttached] = useState<string | null>(null);
  const [hint, setHint] = useState<SelectionHint | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const stateRef = useRef<ChatState>(state);
  stateRef.current = state;
  const controllerRef = useRef<AbortController | null>(null);
  const pageUnsupportedRef = useRef(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(open);
  const panelId = useId();
  const titleId = useId();

  // Persist the conversation (sessionStorage: it survives navigation and reloads in the tab).
  useEffect(() => saveState(storageFor('session'), storageKey, state), [state, storageKey]);
  useEffect(() => {
    try {
      storageFor('session')?.setItem(`${storageKey}:open`, open ? '1' : '0');
    } catch {
      // storage disabled
    }
  }, [open, storageKey]);

  // Focus: into the input on open, back to the button on close.
  useEffect(() => {
    if (open && !wasOpen.current) inputRef.current?.focus();
    if (!open && wasOpen.current) launcherRef.current?.focus();
    wasOpen.current = open;
  }, [open]);
  useEffect(() => {
    if (open) inputRef.current?.focus({ preventScroll: true });
    // focus once on mount when the panel was left open
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Keep the newest message in view.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [state, open]);

  // Stop a running stream when the widget goes away.
  useEffect(() => () => controllerRef.current?.abort(), []);

  // Keyboard: Ctrl+Shift+K (Cmd+Shift+K) toggles, Esc closes.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setOpen((value) => !value);
        return;
      }
      if (event.key === 'Escape' && open && !event.defaultPrevented) {
        const active = document.activeElement;
        const inside = !!active && !!rootRef.current?.contains(active);
        if (inside || active === document.body || active === null) {
          event.preventDefault();
          setOpen(false);
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  // "Ask about this": a button next to a text selection made on the page (touch too).
  useEffect(() => {
    let timer: number | undefined;
    const check = (): void => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const selection = window.getSelection();
        const text = selection?.toString().trim() ?? '';
        if (!selection || selection.rangeCount === 0 || text.length < 2) {
          setHint(null);
          return;
        }
        const node = selection.anchorNode;
        if (node && rootRef.current?.contains(node)) {
          setHint(null);
          return;
        }
        const rect = selection.getRangeAt(0).getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) {
          setHint(null);
          return;
        }
        const below = rect.bottom + 8;
        const top = below + 40 > window.innerHeight ? Math.max(8, rect.top - 44) : below;
        const left = Math.min(Math.max(8, rect.left + rect.width / 2 - 70), window.innerWidth - 150);
        setHint({ text: text.slice(0, MAX_SELECTED), top, left });
      }, 150);
    };
    document.addEventListener('selectionchange', check);
    document.addEventListener('pointerup', check);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('selectionchange', check);
      document.removeEventListener('pointerup', check);
    };
  }, []);

  const run = useCallback(
    async (user: UserMessage, assistantId: string): Promise<void> => {
      controllerRef.current?.abort();
      const controller = new AbortController();
      controllerRef.current = controller;
      const request: ChatRequest = { message: user.content };
      const history = historyBefore(stateRef.current, user.id);
      if (history.length) request.history = history;
      if (user.selectedText) request.selected_text = user.selectedText;
      if (sendPage && user.page && !pageUnsupportedRef.current) request.page = user.page;
      const handlers = {
        onSources: (sources: SourceNode[]) => dispatch({ type: 'sources', id: assistantId, sources }),
        onDelta: (delta: string) => dispatch({ type: 'delta', id: assistantId, delta }),
      };
      try {
        let done;
        try {
          done = await streamChat(config, request, handlers, controller.signal);
        } catch (error) {
          // A backend that predates `page` refuses it as an unknown field: ask again without it.
          if (error instanceof ApiError && error.status === 422 && request.page && /\bpage\b/.test(error.message)) {
            pageUnsupportedRef.current = true;
            delete request.page;
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
          const info = errorInfo(error);
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
      if (selectedText) user.selectedText = selectedText.slice(0, MAX_SELECTED);
      const assistantId = newId('a');
      dispatch({ type: 'ask', user, assistantId });
      // The reducer has not run yet: the new message is not in stateRef, so the history
      // computed in run() is exactly the turns before it.
      void run(user, assistantId);
    },
    [pathname, run],
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
    inputRef.current?.focus();
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

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (isBusy(state)) return;
    ask(input, attached);
    setInput('');
    setAttached(null);
  };

  const onInputKey = (event: ReactKeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onSubmit(event);
    }
  };

  const askAboutSelection = (): void => {
    if (!hint) return;
    setAttached(hint.text);
    setHint(null);
    setOpen(true);
    window.setTimeout(() => inputRef.current?.focus(), 0);
  };

  const onNavigate = (): void => {
    // On a phone the panel covers the page: close it so the reader sees the section.
    if (window.matchMedia?.(PHONE_QUERY).matches) setOpen(false);
  };

  const busy = isBusy(state);
  const messages = state.messages;

  return (
    <div ref={rootRef} className="bookchat-root" data-theme={colorMode} data-bookchat="">
      {hint && !busy ? (
        <button
          type="button"
          className="bookchat-askselection"
          style={{ top: hint.top, left: hint.left }}
          onPointerDown={(event) => event.preventDefault()}
          onMouseDown={(event) => event.preventDefault()}
          onClick={askAboutSelection}
        >
          Ask about this
        </button>
      ) : null}
      {!open ? (
        <button
          ref={launcherRef}
          type="button"
          className="bookchat-launcher"
          aria-expanded={false}
          aria-controls={panelId}
          aria-keyshortcuts="Control+Shift+K Meta+Shift+K"
          title={`${title} (${SHORTCUT_LABEL})`}
          onClick={() => setOpen(true)}
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
            <path
              fill="currentColor"
              d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z"
            />
          </svg>
          <span className="bookchat-launcher-label">{title}</span>
        </button>
      ) : null}
      <section
        id={panelId}
        className="bookchat-panel"
        role="dialog"
        aria-modal="false"
        aria-labelledby={titleId}
        hidden={!open}
      >
        <header className="bookchat-header">
          <h2 id={titleId} className="bookchat-title">
            {title}
          </h2>
          <button
            type="button"
            className="bookchat-iconbutton"
            onClick={clear}
            disabled={!messages.length}
            title="Clear the conversation"
          >
            Clear
          </button>
          <button
            type="button"
            className="bookchat-iconbutton bookchat-close"
            onClick={() => setOpen(false)}
            aria-label="Close the chat (Esc)"
            title="Close (Esc)"
          >
            ×
          </button>
        </header>
        <div ref={logRef} className="bookchat-log" role="region" aria-label="Conversation">
          {messages.length === 0 ? (
            <div className="bookchat-empty">
              <p>Ask a question about this book: the answer cites the sections it comes from.</p>
              <p>Select text on a page and choose “Ask about this” to ask about a passage.</p>
              <p>
                Open or close this panel with <kbd>{SHORTCUT_LABEL}</kbd>; <kbd>Esc</kbd> closes it.
              </p>
            </div>
          ) : (
            messages.map((message) => (
              <MessageView
                key={message.id}
                message={message}
                InternalLink={InternalLink}
                onNavigate={onNavigate}
                onRetry={retry}
                onRate={rate}
                busy={busy}
              />
            ))
          )}
        </div>
        <form className="bookchat-composer" onSubmit={onSubmit}>
          {attached ? (
            <div className="bookchat-attached">
              <span className="bookchat-attached-label">Asking about:</span>
              <q className="bookchat-attached-text">{attached.length > 160 ? `${attached.slice(0, 160)}…` : attached}</q>
              <button
                type="button"
                className="bookchat-iconbutton"
                aria-label="Remove the selected passage"
                onClick={() => setAttached(null)}
              >
                ×
              </button>
            </div>
          ) : null}
          <div className="bookchat-inputrow">
            <textarea
              ref={inputRef}
              className="bookchat-input"
              value={input}
              maxLength={MAX_MESSAGE}
              rows={2}
              placeholder={attached ? DEFAULT_SELECTION_QUESTION : 'Ask a question about the book…'}
              aria-label="Your question"
              onChange={(event) => setInput(event.target.value)}
              onKeyDown={onInputKey}
            />
            {busy ? (
              <button type="button" className="bookchat-send bookchat-stop" onClick={stop}>
                Stop
              </button>
            ) : (
              <button type="submit" className="bookchat-send" disabled={!input.trim() && !attached}>
                Send
              </button>
            )}
          </div>
        </form>
      </section>
      <div className="bookchat-sr-only" aria-live="polite" aria-atomic="true" role="status">
        {announcement}
      </div>
    </div>
  );
}

/** A thumb drawn inline: emoji fonts are not everywhere (headless Linux has none). */
function ThumbIcon({ down = false }: { down?: boolean }): ReactNode {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16" style={down ? { transform: 'rotate(180deg)' } : undefined}>
      <path
        fill="currentColor"
        d="M2 10h4v11H2zM8 21h9.4a2 2 0 0 0 1.96-1.6l1.5-7A2 2 0 0 0 18.9 10H14l.8-4.1A1.8 1.8 0 0 0 13 3.8L8 10z"
      />
    </svg>
  );
}

/** What the message and answer views let the reader do, and with which link. */
interface AnswerActions {
  InternalLink?: ComponentType<InternalLinkProps>;
  onNavigate: () => void;
  onRetry: (answer: AssistantMessage) => void;
  onRate: (answer: AssistantMessage, rating: Rating) => Promise<void>;
  busy: boolean;
}

function MessageView({
  message,
  InternalLink,
  onNavigate,
  onRetry,
  onRate,
  busy,
}: { message: Message } & AnswerActions): ReactNode {
  if (message.role === 'user') {
    return (
      <div className="bookchat-msg bookchat-user">
        {message.selectedText ? (
          <blockquote className="bookchat-quote">
            {message.selectedText.length > 200 ? `${message.selectedText.slice(0, 200)}…` : message.selectedText}
          </blockquote>
        ) : null}
        <p>{message.content}</p>
      </div>
    );
  }
  return (
    <AnswerView
      answer={message}
      InternalLink={InternalLink}
      onNavigate={onNavigate}
      onRetry={onRetry}
      onRate={onRate}
      busy={busy}
    />
  );
}

function AnswerView({
  answer,
  InternalLink,
  onNavigate,
  onRetry,
  onRate,
  busy,
}: { answer: AssistantMessage } & AnswerActions): ReactNode {
  const sources = answer.sources;
  const notInBook = answer.outcome === 'not_in_book';
  const cited = new Set(answer.cited ?? []);
  const ctx: MarkdownContext = {
    sources,
    renderCite: (indices, _raw, key) => (
      <span key={key} className="bookchat-cites">
        {indices.map((n) => {
          const node = sources[n - 1];
          if (!node) return null;
          return (
            <SourceLinkView
              key={`${key}.${n}`}
              node={node}
              className="bookchat-cite"
              title={sourceLabel(node)}
              InternalLink={InternalLink}
              onNavigate={onNavigate}
            >
              [{n}]
            </SourceLinkView>
          );
        })}
      </span>
    ),
    renderLink: (href, children, key) => (
      <SmartLink key={key} href={href} InternalLink={InternalLink} onNavigate={onNavigate}>
        {children}
      </SmartLink>
    ),
  };
  return (
    <div
      className={`bookchat-msg bookchat-answer${notInBook ? ' bookchat-notinbook' : ''}`}
      data-status={answer.status}
      data-outcome={answer.outcome}
      aria-busy={answer.status === 'waiting' || answer.status === 'streaming'}
    >
      {notInBook ? (
        <p className="bookchat-notice">
          <strong>Not in the book.</strong> The book does not cover this question.
        </p>
      ) : null}
      {answer.status === 'waiting' ? <p className="bookchat-thinking">Searching the book…</p> : null}
      {answer.content ? <Markdown text={answer.content} ctx={ctx} /> : null}
      {answer.status === 'streaming' && !answer.content ? <p className="bookchat-thinking">Writing…</p> : null}
      {answer.status === 'stopped' ? <p className="bookchat-stopped">Stopped.</p> : null}
      {answer.status === 'error' && answer.error ? (
        <div className="bookchat-error" role="alert">
          <span className="bookchat-error-text">{answer.error.text}</span>
          <button type="button" className="bookchat-retry" onClick={() => onRetry(answer)} disabled={busy}>
            Retry
          </button>
        </div>
      ) : null}
      {sources.length && answer.status !== 'error' ? (
        <div className="bookchat-sources">
          <p className="bookchat-sources-title">{notInBook ? 'Closest passages' : 'Sources'}</p>
          <ol>
            {sources.map((node, index) => (
              <li
                key={`${node.id}.${index}`}
                className={cited.has(index + 1) || node.cited ? 'bookchat-source bookchat-source-cited' : 'bookchat-source'}
              >
                <span className="bookchat-source-n">[{index + 1}]</span>{' '}
                <SourceLinkView node={node} className="bookchat-source-link" InternalLink={InternalLink} onNavigate={onNavigate}>
                  {sourceLabel(node)}
                </SourceLinkView>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {answer.status === 'done' ? (
        <div className="bookchat-feedback">
          <span className="bookchat-feedback-label">Helpful?</span>
          <button
            type="button"
            className="bookchat-thumb"
            aria-label="Helpful"
            aria-pressed={answer.rating === 'up'}
            disabled={answer.feedback === 'sending' || answer.feedback === 'sent'}
            onClick={() => void onRate(answer, 'up')}
          >
            <ThumbIcon />
          </button>
          <button
            type="button"
            className="bookchat-thumb"
            aria-label="Not helpful"
            aria-pressed={answer.rating === 'down'}
            disabled={answer.feedback === 'sending' || answer.feedback === 'sent'}
            onClick={() => void onRate(answer, 'down')}
          >
            <ThumbIcon down />
          </button>
          <span className="bookchat-feedback-state" role="status">
            {answer.feedback === 'sent'
              ? 'Thanks for the feedback.'
              : answer.feedback === 'unavailable'
                ? 'Feedback is not available on this server.'
                : answer.feedback === 'failed'
                  ? 'Could not send the feedback.'
                  : ''}
          </span>
        </div>
      ) : null}
    </div>
  );
}

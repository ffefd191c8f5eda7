/** One message of the conversation: the reader's question, or an answer with its sources. */
import type { ReactNode } from 'react';
import { sourceLabel } from '../../core/citations';
import type { HelpLink } from '../../core/help';
import type { AssistantMessage, Message } from '../../core/state';
import type { Rating } from '../../core/types';
import { Markdown, type MarkdownContext } from '../Markdown';
import { Feedback } from './Feedback';
import { HelpOffer } from './Help';
import { SmartLink, SourceLink, type LinkContext } from './Links';

/** What the message and answer views let the reader do, and with which link. */
export interface AnswerActions extends LinkContext {
  onRetry: (answer: AssistantMessage) => void;
  onRate: (answer: AssistantMessage, rating: Rating) => Promise<void>;
  busy: boolean;
  /** Where to ask instead when the answer carries no `help` of its own (site option, an earlier answer's). */
  help?: HelpLink;
}

/** What a marked sentence's tooltip says (its accessible description). */
export const UNSUPPORTED = 'Not found in the cited passages';

export function MessageView({ message, ...actions }: { message: Message } & AnswerActions): ReactNode {
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
  return <AnswerView answer={message} {...actions} />;
}

function AnswerView({
  answer,
  InternalLink,
  onNavigate,
  onRetry,
  onRate,
  busy,
  help,
}: { answer: AssistantMessage } & AnswerActions): ReactNode {
  const sources = answer.sources;
  const notInBook = answer.outcome === 'not_in_book';
  const cited = new Set(answer.cited ?? []);
  const offered = answer.help ?? help;
  const ctx: MarkdownContext = {
    sources,
    renderCite: (indices, _raw, key) => (
      <span key={key} className="bookchat-cites">
        {indices.map((n) => {
          const node = sources[n - 1];
          if (!node) return null;
          return (
            <SourceLink
              key={`${key}.${n}`}
              node={node}
              className="bookchat-cite"
              title={sourceLabel(node)}
              InternalLink={InternalLink}
              onNavigate={onNavigate}
            >
              [{n}]
            </SourceLink>
          );
        })}
      </span>
    ),
    flagged: answer.status === 'done' ? (answer.sentences ?? []).filter((s) => !s.supported).map((s) => s.text) : [],
    renderFlag: (children, key) => {
      const tip = `bookchat-tip-${answer.id}-${key}`.replace(/[^\w-]/g, '-');
      return (
        <span key={key} className="bookchat-unsupported">
          <span className="bookchat-unsupported-text">{children}</span>
          <button type="button" className="bookchat-unsupported-mark" aria-label="Unsupported sentence" aria-describedby={tip}>
            ?
          </button>
          <span role="tooltip" id={tip} className="bookchat-tooltip">
            {UNSUPPORTED}
          </span>
        </span>
      );
    },
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
          {answer.error.final ? null : (
            <button type="button" className="bookchat-retry" onClick={() => onRetry(answer)} disabled={busy}>
              Retry
            </button>
          )}
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
                <SourceLink node={node} className="bookchat-source-link" InternalLink={InternalLink} onNavigate={onNavigate}>
                  {sourceLabel(node)}
                </SourceLink>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {answer.status === 'done' ? <Feedback answer={answer} onRate={onRate} /> : null}
      {answer.status === 'done' && (notInBook || answer.rating === 'down') && offered ? (
        <HelpOffer help={offered} notInBook={notInBook} InternalLink={InternalLink} onNavigate={onNavigate} />
      ) : null}
    </div>
  );
}

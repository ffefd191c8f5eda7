/** The chat panel: a non-modal dialog with its header, the conversation and the composer. */
import { useId, type ReactNode } from 'react';
import type { HelpLink } from '../../core/help';
import type { Chat } from '../hooks/useChat';
import { Composer, type ComposerProps } from './Composer';
import type { LinkContext } from './Links';
import { MessageList } from './MessageList';

export interface PanelProps extends LinkContext {
  id: string;
  title: string;
  open: boolean;
  onClose: () => void;
  /** Clear the conversation (and put the focus back in the question). */
  onClear: () => void;
  chat: Chat;
  composer: Omit<ComposerProps, 'busy' | 'onAsk' | 'onStop'>;
  /** Questions offered on the empty panel. */
  starters?: string[];
  /** Where the reader can ask instead, offered after "not in the book" and a thumbs-down. */
  help?: HelpLink;
}

export function Panel({ id, title, open, onClose, onClear, chat, composer, InternalLink, onNavigate, starters, help }: PanelProps): ReactNode {
  const titleId = useId();
  return (
    <section id={id} className="bookchat-panel" role="dialog" aria-modal="false" aria-labelledby={titleId} hidden={!open}>
      <header className="bookchat-header">
        <h2 id={titleId} className="bookchat-title">
          {title}
        </h2>
        <button
          type="button"
          className="bookchat-iconbutton"
          onClick={onClear}
          disabled={!chat.messages.length}
          title="Clear the conversation"
        >
          Clear
        </button>
        <button
          type="button"
          className="bookchat-iconbutton bookchat-close"
          onClick={onClose}
          aria-label="Close the chat (Esc)"
          title="Close (Esc)"
        >
          ×
        </button>
      </header>
      <MessageList
        messages={chat.messages}
        open={open}
        InternalLink={InternalLink}
        onNavigate={onNavigate}
        onRetry={chat.retry}
        onRate={chat.rate}
        busy={chat.busy}
        help={help}
        starters={starters ?? []}
        onAsk={(question) => chat.ask(question, null)}
      />
      <Composer {...composer} busy={chat.busy} onAsk={chat.ask} onStop={chat.stop} />
    </section>
  );
}

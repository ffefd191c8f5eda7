/** The conversation log (newest message kept in view), or what to do when it is empty. */
import { useEffect, useRef, type ReactNode } from 'react';
import type { Message } from '../../core/state';
import { SHORTCUT_LABEL } from '../hooks/useShortcut';
import { MessageView, type AnswerActions } from './Message';
import { StarterQuestions } from './Starters';

export function MessageList({
  messages,
  open,
  starters,
  onAsk,
  ...actions
}: { messages: Message[]; open: boolean; starters: string[]; onAsk: (question: string) => void } & AnswerActions): ReactNode {
  const logRef = useRef<HTMLDivElement>(null);

  // Keep the newest message in view (the log is hidden while the panel is closed).
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messages, open]);

  return (
    <div ref={logRef} className="bookchat-log" role="region" aria-label="Conversation">
      {messages.length === 0 ? (
        <div className="bookchat-empty">
          <p>Ask a question about this book: the answer cites the sections it comes from.</p>
          <StarterQuestions questions={starters} onAsk={onAsk} disabled={actions.busy} />
          <p>Select text on a page and choose “Ask about this” to ask about a passage.</p>
          <p>
            Open or close this panel with <kbd>{SHORTCUT_LABEL}</kbd>; <kbd>Esc</kbd> closes it.
          </p>
        </div>
      ) : (
        messages.map((message) => <MessageView key={message.id} message={message} {...actions} />)
      )}
    </div>
  );
}

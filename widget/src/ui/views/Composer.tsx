/** The question box: the attached selection, the text, Send (or Stop while an answer runs). */
import { useState, type FormEvent, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { MAX_MESSAGE } from '../../core/limits';
import { DEFAULT_SELECTION_QUESTION } from '../hooks/useChat';

export interface ComposerProps {
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** The passage selected on the page that the next question is about, if any. */
  attached: string | null;
  onDetach: () => void;
  busy: boolean;
  onAsk: (text: string, selectedText: string | null) => void;
  onStop: () => void;
}

export function Composer({ inputRef, attached, onDetach, busy, onAsk, onStop }: ComposerProps): ReactNode {
  const [input, setInput] = useState('');

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (busy) return;
    onAsk(input, attached);
    setInput('');
    onDetach();
  };

  const onInputKey = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onSubmit(event);
    }
  };

  return (
    <form className="bookchat-composer" onSubmit={onSubmit}>
      {attached ? (
        <div className="bookchat-attached">
          <span className="bookchat-attached-label">Asking about:</span>
          <q className="bookchat-attached-text">{attached.length > 160 ? `${attached.slice(0, 160)}…` : attached}</q>
          <button type="button" className="bookchat-iconbutton" aria-label="Remove the selected passage" onClick={onDetach}>
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
          <button type="button" className="bookchat-send bookchat-stop" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="bookchat-send" disabled={!input.trim() && !attached}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}

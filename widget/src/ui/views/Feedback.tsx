/** Thumbs under a finished answer, and what became of the rating. */
import type { ReactNode } from 'react';
import type { AssistantMessage } from '../../core/state';
import type { Rating } from '../../core/types';

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

const FEEDBACK_STATE: Record<NonNullable<AssistantMessage['feedback']>, string> = {
  sending: '',
  sent: 'Thanks for the feedback.',
  unavailable: 'Feedback is not available on this server.',
  failed: 'Could not send the feedback.',
};

export function Feedback({
  answer,
  onRate,
}: {
  answer: AssistantMessage;
  onRate: (answer: AssistantMessage, rating: Rating) => Promise<void>;
}): ReactNode {
  const disabled = answer.feedback === 'sending' || answer.feedback === 'sent';
  return (
    <div className="bookchat-feedback">
      <span className="bookchat-feedback-label">Helpful?</span>
      <button
        type="button"
        className="bookchat-thumb"
        aria-label="Helpful"
        aria-pressed={answer.rating === 'up'}
        disabled={disabled}
        onClick={() => void onRate(answer, 'up')}
      >
        <ThumbIcon />
      </button>
      <button
        type="button"
        className="bookchat-thumb"
        aria-label="Not helpful"
        aria-pressed={answer.rating === 'down'}
        disabled={disabled}
        onClick={() => void onRate(answer, 'down')}
      >
        <ThumbIcon down />
      </button>
      <span className="bookchat-feedback-state" role="status">
        {answer.feedback ? FEEDBACK_STATE[answer.feedback] : ''}
      </span>
    </div>
  );
}

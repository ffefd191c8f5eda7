/** Suggested questions on the empty panel: one button each, which asks it. */
import { useId, type ReactNode } from 'react';

export function StarterQuestions({
  questions,
  onAsk,
  disabled,
}: {
  questions: string[];
  onAsk: (question: string) => void;
  disabled: boolean;
}): ReactNode {
  const labelId = useId();
  if (!questions.length) return null;
  return (
    <div className="bookchat-starters" role="group" aria-labelledby={labelId}>
      <p id={labelId} className="bookchat-starters-title">
        For example:
      </p>
      <ul>
        {questions.map((question) => (
          <li key={question}>
            <button type="button" className="bookchat-starter" disabled={disabled} onClick={() => onAsk(question)}>
              {question}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

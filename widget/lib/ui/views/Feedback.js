import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/** A thumb drawn inline: emoji fonts are not everywhere (headless Linux has none). */
function ThumbIcon({ down = false }) {
    return (_jsx("svg", { "aria-hidden": "true", viewBox: "0 0 24 24", width: "16", height: "16", style: down ? { transform: 'rotate(180deg)' } : undefined, children: _jsx("path", { fill: "currentColor", d: "M2 10h4v11H2zM8 21h9.4a2 2 0 0 0 1.96-1.6l1.5-7A2 2 0 0 0 18.9 10H14l.8-4.1A1.8 1.8 0 0 0 13 3.8L8 10z" }) }));
}
const FEEDBACK_STATE = {
    sending: '',
    sent: 'Thanks for the feedback.',
    unavailable: 'Feedback is not available on this server.',
    failed: 'Could not send the feedback.',
};
export function Feedback({ answer, onRate, }) {
    const disabled = answer.feedback === 'sending' || answer.feedback === 'sent';
    return (_jsxs("div", { className: "bookchat-feedback", children: [_jsx("span", { className: "bookchat-feedback-label", children: "Helpful?" }), _jsx("button", { type: "button", className: "bookchat-thumb", "aria-label": "Helpful", "aria-pressed": answer.rating === 'up', disabled: disabled, onClick: () => void onRate(answer, 'up'), children: _jsx(ThumbIcon, {}) }), _jsx("button", { type: "button", className: "bookchat-thumb", "aria-label": "Not helpful", "aria-pressed": answer.rating === 'down', disabled: disabled, onClick: () => void onRate(answer, 'down'), children: _jsx(ThumbIcon, { down: true }) }), _jsx("span", { className: "bookchat-feedback-state", role: "status", children: answer.feedback ? FEEDBACK_STATE[answer.feedback] : '' })] }));
}

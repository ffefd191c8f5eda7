import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/** Suggested questions on the empty panel: one button each, which asks it. */
import { useId } from 'react';
export function StarterQuestions({ questions, onAsk, disabled, }) {
    const labelId = useId();
    if (!questions.length)
        return null;
    return (_jsxs("div", { className: "bookchat-starters", role: "group", "aria-labelledby": labelId, children: [_jsx("p", { id: labelId, className: "bookchat-starters-title", children: "For example:" }), _jsx("ul", { children: questions.map((question) => (_jsx("li", { children: _jsx("button", { type: "button", className: "bookchat-starter", disabled: disabled, onClick: () => onAsk(question), children: question }) }, question))) })] }));
}

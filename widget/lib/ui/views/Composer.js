import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/** The question box: the attached selection, the text, Send (or Stop while an answer runs). */
import { useState } from 'react';
import { MAX_MESSAGE } from '../../core/limits';
import { DEFAULT_SELECTION_QUESTION } from '../hooks/useChat';
export function Composer({ inputRef, attached, onDetach, busy, onAsk, onStop }) {
    const [input, setInput] = useState('');
    const onSubmit = (event) => {
        event.preventDefault();
        if (busy)
            return;
        onAsk(input, attached);
        setInput('');
        onDetach();
    };
    const onInputKey = (event) => {
        if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            onSubmit(event);
        }
    };
    return (_jsxs("form", { className: "bookchat-composer", onSubmit: onSubmit, children: [attached ? (_jsxs("div", { className: "bookchat-attached", children: [_jsx("span", { className: "bookchat-attached-label", children: "Asking about:" }), _jsx("q", { className: "bookchat-attached-text", children: attached.length > 160 ? `${attached.slice(0, 160)}…` : attached }), _jsx("button", { type: "button", className: "bookchat-iconbutton", "aria-label": "Remove the selected passage", onClick: onDetach, children: "\u00D7" })] })) : null, _jsxs("div", { className: "bookchat-inputrow", children: [_jsx("textarea", { ref: inputRef, className: "bookchat-input", value: input, maxLength: MAX_MESSAGE, rows: 2, placeholder: attached ? DEFAULT_SELECTION_QUESTION : 'Ask a question about the book…', "aria-label": "Your question", onChange: (event) => setInput(event.target.value), onKeyDown: onInputKey }), busy ? (_jsx("button", { type: "button", className: "bookchat-send bookchat-stop", onClick: onStop, children: "Stop" })) : (_jsx("button", { type: "submit", className: "bookchat-send", disabled: !input.trim() && !attached, children: "Send" }))] })] }));
}

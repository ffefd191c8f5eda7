import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/** The conversation log (newest message kept in view), or what to do when it is empty. */
import { useEffect, useRef } from 'react';
import { SHORTCUT_LABEL } from '../hooks/useShortcut';
import { MessageView } from './Message';
import { StarterQuestions } from './Starters';
export function MessageList({ messages, open, starters, onAsk, ...actions }) {
    const logRef = useRef(null);
    // Keep the newest message in view (the log is hidden while the panel is closed).
    useEffect(() => {
        const log = logRef.current;
        if (log)
            log.scrollTop = log.scrollHeight;
    }, [messages, open]);
    return (_jsx("div", { ref: logRef, className: "bookchat-log", role: "region", "aria-label": "Conversation", children: messages.length === 0 ? (_jsxs("div", { className: "bookchat-empty", children: [_jsx("p", { children: "Ask a question about this book: the answer cites the sections it comes from." }), _jsx(StarterQuestions, { questions: starters, onAsk: onAsk, disabled: actions.busy }), _jsx("p", { children: "Select text on a page and choose \u201CAsk about this\u201D to ask about a passage." }), _jsxs("p", { children: ["Open or close this panel with ", _jsx("kbd", { children: SHORTCUT_LABEL }), "; ", _jsx("kbd", { children: "Esc" }), " closes it."] })] })) : (messages.map((message) => _jsx(MessageView, { message: message, ...actions }, message.id))) }));
}

import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/** The chat panel: a non-modal dialog with its header, the conversation and the composer. */
import { useId } from 'react';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
export function Panel({ id, title, open, onClose, onClear, chat, composer, InternalLink, onNavigate, starters, help }) {
    const titleId = useId();
    return (_jsxs("section", { id: id, className: "bookchat-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": titleId, hidden: !open, children: [_jsxs("header", { className: "bookchat-header", children: [_jsx("h2", { id: titleId, className: "bookchat-title", children: title }), _jsx("button", { type: "button", className: "bookchat-iconbutton", onClick: onClear, disabled: !chat.messages.length, title: "Clear the conversation", children: "Clear" }), _jsx("button", { type: "button", className: "bookchat-iconbutton bookchat-close", onClick: onClose, "aria-label": "Close the chat (Esc)", title: "Close (Esc)", children: "\u00D7" })] }), _jsx(MessageList, { messages: chat.messages, open: open, InternalLink: InternalLink, onNavigate: onNavigate, onRetry: chat.retry, onRate: chat.rate, busy: chat.busy, help: help, starters: starters ?? [], onAsk: (question) => chat.ask(question, null) }), _jsx(Composer, { ...composer, busy: chat.busy, onAsk: chat.ask, onStop: chat.stop })] }));
}

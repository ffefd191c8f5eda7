import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { sourceLabel } from '../../core/citations';
import { Markdown } from '../Markdown';
import { Feedback } from './Feedback';
import { HelpOffer } from './Help';
import { SmartLink, SourceLink } from './Links';
/** What a marked sentence's tooltip says (its accessible description). */
export const UNSUPPORTED = 'Not found in the cited passages';
export function MessageView({ message, ...actions }) {
    if (message.role === 'user') {
        return (_jsxs("div", { className: "bookchat-msg bookchat-user", children: [message.selectedText ? (_jsx("blockquote", { className: "bookchat-quote", children: message.selectedText.length > 200 ? `${message.selectedText.slice(0, 200)}…` : message.selectedText })) : null, _jsx("p", { children: message.content })] }));
    }
    return _jsx(AnswerView, { answer: message, ...actions });
}
function AnswerView({ answer, InternalLink, onNavigate, onRetry, onRate, busy, help, }) {
    const sources = answer.sources;
    const notInBook = answer.outcome === 'not_in_book';
    const cited = new Set(answer.cited ?? []);
    const offered = answer.help ?? help;
    const ctx = {
        sources,
        renderCite: (indices, _raw, key) => (_jsx("span", { className: "bookchat-cites", children: indices.map((n) => {
                const node = sources[n - 1];
                if (!node)
                    return null;
                return (_jsxs(SourceLink, { node: node, className: "bookchat-cite", title: sourceLabel(node), InternalLink: InternalLink, onNavigate: onNavigate, children: ["[", n, "]"] }, `${key}.${n}`));
            }) }, key)),
        flagged: answer.status === 'done' ? (answer.sentences ?? []).filter((s) => !s.supported).map((s) => s.text) : [],
        renderFlag: (children, key) => {
            const tip = `bookchat-tip-${answer.id}-${key}`.replace(/[^\w-]/g, '-');
            return (_jsxs("span", { className: "bookchat-unsupported", children: [_jsx("span", { className: "bookchat-unsupported-text", children: children }), _jsx("button", { type: "button", className: "bookchat-unsupported-mark", "aria-label": "Unsupported sentence", "aria-describedby": tip, children: "?" }), _jsx("span", { role: "tooltip", id: tip, className: "bookchat-tooltip", children: UNSUPPORTED })] }, key));
        },
        renderLink: (href, children, key) => (_jsx(SmartLink, { href: href, InternalLink: InternalLink, onNavigate: onNavigate, children: children }, key)),
    };
    return (_jsxs("div", { className: `bookchat-msg bookchat-answer${notInBook ? ' bookchat-notinbook' : ''}`, "data-status": answer.status, "data-outcome": answer.outcome, "aria-busy": answer.status === 'waiting' || answer.status === 'streaming', children: [notInBook ? (_jsxs("p", { className: "bookchat-notice", children: [_jsx("strong", { children: "Not in the book." }), " The book does not cover this question."] })) : null, answer.status === 'waiting' ? _jsx("p", { className: "bookchat-thinking", children: "Searching the book\u2026" }) : null, answer.content ? _jsx(Markdown, { text: answer.content, ctx: ctx }) : null, answer.status === 'streaming' && !answer.content ? _jsx("p", { className: "bookchat-thinking", children: "Writing\u2026" }) : null, answer.status === 'stopped' ? _jsx("p", { className: "bookchat-stopped", children: "Stopped." }) : null, answer.status === 'error' && answer.error ? (_jsxs("div", { className: "bookchat-error", role: "alert", children: [_jsx("span", { className: "bookchat-error-text", children: answer.error.text }), answer.error.final ? null : (_jsx("button", { type: "button", className: "bookchat-retry", onClick: () => onRetry(answer), disabled: busy, children: "Retry" }))] })) : null, sources.length && answer.status !== 'error' ? (_jsxs("div", { className: "bookchat-sources", children: [_jsx("p", { className: "bookchat-sources-title", children: notInBook ? 'Closest passages' : 'Sources' }), _jsx("ol", { children: sources.map((node, index) => (_jsxs("li", { className: cited.has(index + 1) || node.cited ? 'bookchat-source bookchat-source-cited' : 'bookchat-source', children: [_jsxs("span", { className: "bookchat-source-n", children: ["[", index + 1, "]"] }), ' ', _jsx(SourceLink, { node: node, className: "bookchat-source-link", InternalLink: InternalLink, onNavigate: onNavigate, children: sourceLabel(node) })] }, `${node.id}.${index}`))) })] })) : null, answer.status === 'done' ? _jsx(Feedback, { answer: answer, onRate: onRate }) : null, answer.status === 'done' && (notInBook || answer.rating === 'down') && offered ? (_jsx(HelpOffer, { help: offered, notInBook: notInBook, InternalLink: InternalLink, onNavigate: onNavigate })) : null] }));
}

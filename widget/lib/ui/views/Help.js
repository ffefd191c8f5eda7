import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { SmartLink } from './Links';
function isExternal(url) {
    try {
        return new URL(url, window.location.href).origin !== window.location.origin;
    }
    catch {
        return true;
    }
}
export function HelpOffer({ help, notInBook, InternalLink, onNavigate, }) {
    const external = isExternal(help.url);
    return (_jsxs("p", { className: "bookchat-help", children: [notInBook ? 'The book has no answer to this: ' : 'Not what you needed? ', _jsxs(SmartLink, { href: help.url, className: "bookchat-help-link", InternalLink: InternalLink, onNavigate: onNavigate, children: [help.label, external ? _jsx("span", { className: "bookchat-sr-only", children: " (opens in a new tab)" }) : null] }), external ? (_jsxs("span", { "aria-hidden": "true", className: "bookchat-help-external", children: [' ', "\u2197"] })) : null] }));
}

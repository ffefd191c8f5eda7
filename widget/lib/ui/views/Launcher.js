import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { SHORTCUT_KEYS, SHORTCUT_LABEL } from '../hooks/useShortcut';
export function Launcher({ buttonRef, title, panelId, onOpen, }) {
    return (_jsxs("button", { ref: buttonRef, type: "button", className: "bookchat-launcher", "aria-expanded": false, "aria-controls": panelId, "aria-keyshortcuts": SHORTCUT_KEYS, title: `${title} (${SHORTCUT_LABEL})`, onClick: onOpen, children: [_jsx("svg", { "aria-hidden": "true", viewBox: "0 0 24 24", width: "22", height: "22", children: _jsx("path", { fill: "currentColor", d: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z" }) }), _jsx("span", { className: "bookchat-launcher-label", children: title })] }));
}
/** Placed by the selection; pressing it must not clear the selection (no focus change). */
export function AskAboutSelection({ hint, onAsk }) {
    return (_jsx("button", { type: "button", className: "bookchat-askselection", style: { top: hint.top, left: hint.left }, onPointerDown: (event) => event.preventDefault(), onMouseDown: (event) => event.preventDefault(), onClick: onAsk, children: "Ask about this" }));
}

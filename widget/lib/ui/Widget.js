import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/**
 * The chat button and panel. Independent of Docusaurus: the host passes the current
 * page path, the color mode and (optionally) a component for same-origin links.
 * Rendered in the browser only (Docusaurus wraps it in <BrowserOnly>).
 *
 * The state lives in hooks (./hooks: the conversation, the panel, the shortcut, the
 * selection), the markup in views (./views).
 */
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { readDocsContext } from '../core/docsContext';
import { helpFrom, questionsFrom } from '../core/help';
import { latestHelp } from '../core/state';
import { useChat } from './hooks/useChat';
import { useLauncherLift, usePageModal } from './hooks/usePageChrome';
import { usePanel } from './hooks/usePanel';
import { useSelectionHint } from './hooks/useSelectionHint';
import { useShortcut } from './hooks/useShortcut';
import { AskAboutSelection, Launcher } from './views/Launcher';
import { usePageQuestions } from './pageQuestions';
import { Panel } from './views/Panel';
export { SHORTCUT_LABEL } from './hooks/useShortcut';
const PHONE_QUERY = '(max-width: 600px)';
export function Widget(props) {
    const { backend, apiKey, title = 'Ask the book', sendPage = true, colorMode, pathname, locale, InternalLink } = props;
    const { helpUrl, helpLabel, starterQuestions } = props;
    const config = useMemo(() => ({ backend, apiKey }), [backend, apiKey]);
    const storageKey = `bookchat:v1:${backend || 'same-origin'}`;
    const rootRef = useRef(null);
    const launcherRef = useRef(null);
    const inputRef = useRef(null);
    const panelId = useId();
    const docsContext = useCallback(() => readDocsContext(typeof document === 'undefined' ? undefined : document, locale), [locale]);
    const chat = useChat({ config, storageKey, sendPage, pathname, docsContext });
    const [open, setOpen] = usePanel(storageKey, inputRef, launcherRef);
    useShortcut(open, setOpen, rootRef);
    const behind = usePageModal(rootRef);
    const lift = useLauncherLift(launcherRef, !open, pathname);
    const [hint, dismissHint] = useSelectionHint(rootRef);
    const [attached, setAttached] = useState(null);
    const pageQuestions = usePageQuestions();
    const starters = useMemo(() => (pageQuestions.length ? [...pageQuestions] : questionsFrom(starterQuestions)), [pageQuestions, starterQuestions]);
    // The service's link (the latest answer that carried one) wins over the site's option.
    const help = latestHelp({ messages: chat.messages }) ?? helpFrom(helpUrl ? { url: helpUrl, label: helpLabel } : undefined);
    const askAboutSelection = () => {
        if (!hint)
            return;
        setAttached(hint.text);
        dismissHint();
        setOpen(true);
        window.setTimeout(() => inputRef.current?.focus(), 0);
    };
    const clear = () => {
        chat.clear();
        inputRef.current?.focus();
    };
    const onNavigate = () => {
        // On a phone the panel covers the page: close it so the reader sees the section.
        if (window.matchMedia?.(PHONE_QUERY).matches)
            setOpen(false);
    };
    return (_jsxs("div", { ref: rootRef, className: "bookchat-root", "data-theme": colorMode, "data-bookchat": "", "data-behind": behind ? '' : undefined, style: { '--bookchat-lift': `${lift}px` }, children: [hint && !chat.busy ? _jsx(AskAboutSelection, { hint: hint, onAsk: askAboutSelection }) : null, !open ? _jsx(Launcher, { buttonRef: launcherRef, title: title, panelId: panelId, onOpen: () => setOpen(true) }) : null, _jsx(Panel, { id: panelId, title: title, open: open, onClose: () => setOpen(false), onClear: clear, chat: chat, composer: { inputRef, attached, onDetach: () => setAttached(null) }, InternalLink: InternalLink, onNavigate: onNavigate, starters: starters, help: help }), _jsx("div", { className: "bookchat-sr-only", "aria-live": "polite", "aria-atomic": "true", role: "status", children: chat.announcement })] }));
}

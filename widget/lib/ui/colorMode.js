/**
 * The color mode the widget follows. In Docusaurus the plugin's Layout provider wrapper
 * reports `useColorMode()` here (the <Root> sits above Docusaurus' ColorModeProvider);
 * everywhere else, the page's `<html data-theme>` attribute and then the system's
 * `prefers-color-scheme` decide.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
let reported = null;
const listeners = new Set();
export function reportColorMode(mode) {
    if (mode === reported)
        return;
    reported = mode;
    listeners.forEach((listener) => listener());
}
function subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
}
/** The mode a host (Docusaurus) reported, or null. */
export function useReportedColorMode() {
    return useSyncExternalStore(subscribe, () => reported, () => null);
}
function documentMode() {
    const attr = document.documentElement.getAttribute('data-theme');
    if (attr === 'dark' || attr === 'light')
        return attr;
    return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
/** `<html data-theme>` when it says light or dark, else prefers-color-scheme; live. */
export function useDocumentColorMode() {
    const [mode, setMode] = useState('light');
    useEffect(() => {
        const refresh = () => setMode(documentMode());
        refresh();
        const observer = new MutationObserver(refresh);
        observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
        const query = window.matchMedia?.('(prefers-color-scheme: dark)');
        query?.addEventListener?.('change', refresh);
        return () => {
            observer.disconnect();
            query?.removeEventListener?.('change', refresh);
        };
    }, []);
    return mode;
}

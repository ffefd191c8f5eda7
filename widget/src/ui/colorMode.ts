/**
 * The color mode the widget follows. In Docusaurus the plugin's Layout provider wrapper
 * reports `useColorMode()` here (the <Root> sits above Docusaurus' ColorModeProvider);
 * everywhere else, the page's `<html data-theme>` attribute and then the system's
 * `prefers-color-scheme` decide.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';

export type ColorMode = 'light' | 'dark';

let reported: ColorMode | null = null;
const listeners = new Set<() => void>();

export function reportColorMode(mode: ColorMode | null): void {
  if (mode === reported) return;
  reported = mode;
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The mode a host (Docusaurus) reported, or null. */
export function useReportedColorMode(): ColorMode | null {
  return useSyncExternalStore(
    subscribe,
    () => reported,
    () => null,
  );
}

function documentMode(): ColorMode {
  const attr = document.documentElement.getAttribute('data-theme');
  if (attr === 'dark' || attr === 'light') return attr;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** `<html data-theme>` when it says light or dark, else prefers-color-scheme; live. */
export function useDocumentColorMode(): ColorMode {
  const [mode, setMode] = useState<ColorMode>('light');
  useEffect(() => {
    const refresh = (): void => setMode(documentMode());
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

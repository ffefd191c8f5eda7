/**
 * The standalone build: one script that mounts the widget on any page.
 *   <script src="bookchat-widget.js" data-backend="https://chat.example.org" defer></script>
 * Attributes: data-backend ("" or absent = this page's origin), data-api-key, data-title,
 * data-send-page="false", data-help-url, data-help-label, data-starter-questions (a JSON list
 * of strings). The stylesheet is inlined. Color mode: `<html data-theme>`
 * when it says light/dark, else prefers-color-scheme.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { questionsFrom } from '../core/help';
import css from '../ui/styles.css';
import { useDocumentColorMode } from '../ui/colorMode';
import { Widget, type WidgetOptions } from '../ui/Widget';

function StandaloneWidget(options: WidgetOptions): ReactNode {
  const colorMode = useDocumentColorMode();
  const [pathname, setPathname] = useState(window.location.pathname);
  useEffect(() => {
    const update = (): void => setPathname(window.location.pathname);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return <Widget {...options} colorMode={colorMode} pathname={pathname} />;
}

function optionsFrom(script: HTMLScriptElement | null): WidgetOptions {
  const data = script?.dataset ?? {};
  const options: WidgetOptions = { backend: (data.backend ?? '').trim().replace(/\/+$/, '') };
  if (data.apiKey) options.apiKey = data.apiKey;
  if (data.title) options.title = data.title;
  if (data.sendPage === 'false') options.sendPage = false;
  if (data.helpUrl) options.helpUrl = data.helpUrl;
  if (data.helpLabel) options.helpLabel = data.helpLabel;
  if (data.starterQuestions) {
    try {
      options.starterQuestions = questionsFrom(JSON.parse(data.starterQuestions));
    } catch {
      // not JSON: no starter questions
    }
  }
  return options;
}

const script = document.currentScript as HTMLScriptElement | null;

function mount(): void {
  if (document.querySelector('[data-bookchat-host]')) return; // loaded twice
  const style = document.createElement('style');
  style.setAttribute('data-bookchat-style', '');
  style.textContent = css;
  document.head.appendChild(style);
  const host = document.createElement('div');
  host.setAttribute('data-bookchat-host', '');
  document.body.appendChild(host);
  createRoot(host).render(<StandaloneWidget {...optionsFrom(script)} />);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();

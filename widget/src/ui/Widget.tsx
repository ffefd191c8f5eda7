/**
 * The chat button and panel. Independent of Docusaurus: the host passes the current
 * page path, the color mode and (optionally) a component for same-origin links.
 * Rendered in the browser only (Docusaurus wraps it in <BrowserOnly>).
 *
 * The state lives in hooks (./hooks: the conversation, the panel, the shortcut, the
 * selection), the markup in views (./views).
 */
import { useCallback, useId, useMemo, useRef, useState, type ComponentType, type CSSProperties, type ReactNode } from 'react';
import type { ClientConfig } from '../core/api';
import { readDocsContext } from '../core/docsContext';
import { helpFrom, questionsFrom } from '../core/help';
import { latestHelp } from '../core/state';
import type { ColorMode } from './colorMode';
import { useChat } from './hooks/useChat';
import { useLauncherLift, usePageModal } from './hooks/usePageChrome';
import { usePanel } from './hooks/usePanel';
import { useSelectionHint } from './hooks/useSelectionHint';
import { useShortcut } from './hooks/useShortcut';
import { AskAboutSelection, Launcher } from './views/Launcher';
import type { InternalLinkProps } from './views/Links';
import { usePageQuestions } from './pageQuestions';
import { Panel } from './views/Panel';

export type { InternalLinkProps } from './views/Links';
export { SHORTCUT_LABEL } from './hooks/useShortcut';

export interface WidgetOptions {
  /** The bookchat service's base URL; "" = the page's own origin. */
  backend: string;
  /** Sent as `Authorization: Bearer KEY` when set (a public, rate-limited key). */
  apiKey?: string;
  /** The panel's title. */
  title?: string;
  /** Send the current page path as `page` (default true). */
  sendPage?: boolean;
  /** Where the reader can ask instead (after "not in the book" or a thumbs-down) when the service sends no `help`. */
  helpUrl?: string;
  /** The help link's text (default "Ask the authors"). */
  helpLabel?: string;
  /** Questions offered as buttons on the empty panel. */
  starterQuestions?: string[];
}

export interface WidgetProps extends WidgetOptions {
  colorMode: ColorMode;
  /** The current page's site path, e.g. `/docs/sensors/imu`. */
  pathname: string;
  /**
   * The site's current locale (Docusaurus' `i18n.currentLocale`), used when the page has no
   * `docusaurus_locale` meta tag. The docs version comes from the page's `docusaurus_version`.
   */
  locale?: string;
  /** Client-side navigation for same-origin links (Docusaurus `Link`); default `<a>`. */
  InternalLink?: ComponentType<InternalLinkProps>;
}

const PHONE_QUERY = '(max-width: 600px)';

export function Widget(props: WidgetProps): ReactNode {
  const { backend, apiKey, title = 'Ask the book', sendPage = true, colorMode, pathname, locale, InternalLink } = props;
  const { helpUrl, helpLabel, starterQuestions } = props;
  const config: ClientConfig = useMemo(() => ({ backend, apiKey }), [backend, apiKey]);
  const storageKey = `bookchat:v1:${backend || 'same-origin'}`;
  const rootRef = useRef<HTMLDivElement>(null);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const panelId = useId();

  const docsContext = useCallback(() => readDocsContext(typeof document === 'undefined' ? undefined : document, locale), [locale]);
  const chat = useChat({ config, storageKey, sendPage, pathname, docsContext });
  const [open, setOpen] = usePanel(storageKey, inputRef, launcherRef);
  useShortcut(open, setOpen, rootRef);
  const behind = usePageModal(rootRef);
  const lift = useLauncherLift(launcherRef, !open, pathname);
  const [hint, dismissHint] = useSelectionHint(rootRef);
  const [attached, setAttached] = useState<string | null>(null);
  const pageQuestions = usePageQuestions();
  const starters = useMemo(
    () => (pageQuestions.length ? [...pageQuestions] : questionsFrom(starterQuestions)),
    [pageQuestions, starterQuestions],
  );
  // The service's link (the latest answer that carried one) wins over the site's option.
  const help = latestHelp({ messages: chat.messages }) ?? helpFrom(helpUrl ? { url: helpUrl, label: helpLabel } : undefined);

  const askAboutSelection = (): void => {
    if (!hint) return;
    setAttached(hint.text);
    dismissHint();
    setOpen(true);
    window.setTimeout(() => inputRef.current?.focus(), 0);
  };

  const clear = (): void => {
    chat.clear();
    inputRef.current?.focus();
  };

  const onNavigate = (): void => {
    // On a phone the panel covers the page: close it so the reader sees the section.
    if (window.matchMedia?.(PHONE_QUERY).matches) setOpen(false);
  };

  return (
    <div
      ref={rootRef}
      className="bookchat-root"
      data-theme={colorMode}
      data-bookchat=""
      data-behind={behind ? '' : undefined}
      style={{ '--bookchat-lift': `${lift}px` } as CSSProperties}
    >
      {hint && !chat.busy ? <AskAboutSelection hint={hint} onAsk={askAboutSelection} /> : null}
      {!open ? <Launcher buttonRef={launcherRef} title={title} panelId={panelId} onOpen={() => setOpen(true)} /> : null}
      <Panel
        id={panelId}
        title={title}
        open={open}
        onClose={() => setOpen(false)}
        onClear={clear}
        chat={chat}
        composer={{ inputRef, attached, onDetach: () => setAttached(null) }}
        InternalLink={InternalLink}
        onNavigate={onNavigate}
        starters={starters}
        help={help}
      />
      <div className="bookchat-sr-only" aria-live="polite" aria-atomic="true" role="status">
        {chat.announcement}
      </div>
    </div>
  );
}

/**
 * @theme/Root, provided by the plugin: the site's whole app, plus the chat widget. Root
 * never unmounts on client-side navigation, so the conversation and a running stream
 * survive moving between pages.
 */
import type { ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Link from '@docusaurus/Link';
import { useLocation } from '@docusaurus/router';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { usePluginData } from '@docusaurus/useGlobalData';
import { PLUGIN_NAME, type PluginOptions } from '../../options';
import { useDocumentColorMode, useReportedColorMode } from '../../ui/colorMode';
import { Widget, type InternalLinkProps } from '../../ui/Widget';

function DocusaurusLink({ to, className, title, onClick, children }: InternalLinkProps): ReactNode {
  return (
    <Link to={to} className={className} title={title} onClick={onClick}>
      {children}
    </Link>
  );
}

/**
 * A page may override the built-in options at run time (one build deployed to several
 * environments, or a test pointing the site at its own service):
 *   <script>window.bookchatConfig = { backend: 'https://chat.staging.example' }</script>
 */
function runtimeOverride(): Partial<PluginOptions> {
  const value = (window as { bookchatConfig?: unknown }).bookchatConfig;
  if (!value || typeof value !== 'object') return {};
  const { backend, apiKey } = value as Record<string, unknown>;
  const out: Partial<PluginOptions> = {};
  if (typeof backend === 'string') out.backend = backend.replace(/\/+$/, '');
  if (typeof apiKey === 'string') out.apiKey = apiKey;
  return out;
}

function SiteWidget(): ReactNode {
  const built = usePluginData(PLUGIN_NAME) as PluginOptions | undefined;
  const options = built ? { ...built, ...runtimeOverride() } : undefined;
  const { pathname } = useLocation();
  const { i18n } = useDocusaurusContext();
  const reported = useReportedColorMode();
  const fromDocument = useDocumentColorMode();
  if (!options) return null;
  return (
    <Widget
      backend={options.backend}
      apiKey={options.apiKey}
      title={options.title}
      sendPage={options.sendPage}
      helpUrl={options.helpUrl}
      helpLabel={options.helpLabel}
      starterQuestions={options.starterQuestions}
      pathname={pathname}
      locale={i18n.currentLocale}
      colorMode={reported ?? fromDocument}
      InternalLink={DocusaurusLink}
    />
  );
}

export default function Root({ children }: { children: ReactNode }): ReactNode {
  return (
    <>
      {children}
      <BrowserOnly>{() => <SiteWidget />}</BrowserOnly>
    </>
  );
}

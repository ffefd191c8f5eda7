import { jsx as _jsx, Fragment as _Fragment, jsxs as _jsxs } from "react/jsx-runtime";
import BrowserOnly from '@docusaurus/BrowserOnly';
import Link from '@docusaurus/Link';
import { useLocation } from '@docusaurus/router';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { usePluginData } from '@docusaurus/useGlobalData';
import { PLUGIN_NAME } from '../../options';
import { useDocumentColorMode, useReportedColorMode } from '../../ui/colorMode';
import { Widget } from '../../ui/Widget';
function DocusaurusLink({ to, className, title, onClick, children }) {
    return (_jsx(Link, { to: to, className: className, title: title, onClick: onClick, children: children }));
}
/**
 * A page may override the built-in options at run time (one build deployed to several
 * environments, or a test pointing the site at its own service):
 *   <script>window.bookchatConfig = { backend: 'https://chat.staging.example' }</script>
 */
function runtimeOverride() {
    const value = window.bookchatConfig;
    if (!value || typeof value !== 'object')
        return {};
    const { backend, apiKey } = value;
    const out = {};
    if (typeof backend === 'string')
        out.backend = backend.replace(/\/+$/, '');
    if (typeof apiKey === 'string')
        out.apiKey = apiKey;
    return out;
}
function SiteWidget() {
    const built = usePluginData(PLUGIN_NAME);
    const options = built ? { ...built, ...runtimeOverride() } : undefined;
    const { pathname } = useLocation();
    const { i18n } = useDocusaurusContext();
    const reported = useReportedColorMode();
    const fromDocument = useDocumentColorMode();
    if (!options)
        return null;
    return (_jsx(Widget, { backend: options.backend, apiKey: options.apiKey, title: options.title, sendPage: options.sendPage, helpUrl: options.helpUrl, helpLabel: options.helpLabel, starterQuestions: options.starterQuestions, pathname: pathname, locale: i18n.currentLocale, colorMode: reported ?? fromDocument, InternalLink: DocusaurusLink }));
}
export default function Root({ children }) {
    return (_jsxs(_Fragment, { children: [children, _jsx(BrowserOnly, { children: () => _jsx(SiteWidget, {}) })] }));
}

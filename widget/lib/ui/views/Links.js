import { jsx as _jsx } from "react/jsx-runtime";
import { sourceHref } from '../../core/citations';
export function SmartLink({ href, className, title, children, InternalLink, onNavigate, }) {
    let url = null;
    try {
        url = new URL(href, window.location.href);
    }
    catch {
        url = null;
    }
    if (url && url.origin === window.location.origin) {
        const to = `${url.pathname}${url.search}${url.hash}`;
        if (InternalLink) {
            return (_jsx(InternalLink, { to: to, className: className, title: title, onClick: onNavigate, children: children }));
        }
        return (_jsx("a", { href: to, className: className, title: title, onClick: onNavigate, children: children }));
    }
    return (_jsx("a", { href: url ? url.href : href, className: className, title: title, target: "_blank", rel: "noopener noreferrer", children: children }));
}
/** A link to a source's page, or plain text when the source has no address. */
export function SourceLink({ node, className, title, children, InternalLink, onNavigate, }) {
    const href = sourceHref(node);
    if (!href) {
        return (_jsx("span", { className: className, title: title, children: children }));
    }
    return (_jsx(SmartLink, { href: href, className: className, title: title, InternalLink: InternalLink, onNavigate: onNavigate, children: children }));
}

/** Links out of an answer: same-origin ones navigate in the site, others open a new tab. */
import type { ComponentType, ReactNode } from 'react';
import { sourceHref } from '../../core/citations';
import type { SourceNode } from '../../core/types';

export interface InternalLinkProps {
  to: string;
  className?: string;
  title?: string;
  onClick?: () => void;
  children?: ReactNode;
}

/** How the views link: the host's client-side link (Docusaurus `Link`) and what a click does. */
export interface LinkContext {
  /** Client-side navigation for same-origin links; default `<a>`. */
  InternalLink?: ComponentType<InternalLinkProps>;
  /** Called when the reader follows a same-origin link. */
  onNavigate: () => void;
}

export function SmartLink({
  href,
  className,
  title,
  children,
  InternalLink,
  onNavigate,
}: {
  href: string;
  className?: string;
  title?: string;
  children: ReactNode;
} & LinkContext): ReactNode {
  let url: URL | null = null;
  try {
    url = new URL(href, window.location.href);
  } catch {
    url = null;
  }
  if (url && url.origin === window.location.origin) {
    const to = `${url.pathname}${url.search}${url.hash}`;
    if (InternalLink) {
      return (
        <InternalLink to={to} className={className} title={title} onClick={onNavigate}>
          {children}
        </InternalLink>
      );
    }
    return (
      <a href={to} className={className} title={title} onClick={onNavigate}>
        {children}
      </a>
    );
  }
  return (
    <a href={url ? url.href : href} className={className} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

/** A link to a source's page, or plain text when the source has no address. */
export function SourceLink({
  node,
  className,
  title,
  children,
  InternalLink,
  onNavigate,
}: {
  node: SourceNode;
  className?: string;
  title?: string;
  children: ReactNode;
} & LinkContext): ReactNode {
  const href = sourceHref(node);
  if (!href) {
    return (
      <span className={className} title={title}>
        {children}
      </span>
    );
  }
  return (
    <SmartLink href={href} className={className} title={title} InternalLink={InternalLink} onNavigate={onNavigate}>
      {children}
    </SmartLink>
  );
}

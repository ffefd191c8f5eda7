/**
 * The way on for the reader: after "not in the book" or a thumbs-down, a real link to where
 * they can ask instead (the service's BOOKCHAT_HELP_URL, or the site's `helpUrl`). Another
 * site's page opens in a new tab, and says so to screen readers.
 */
import type { ReactNode } from 'react';
import type { HelpLink } from '../../core/help';
import { SmartLink, type LinkContext } from './Links';

function isExternal(url: string): boolean {
  try {
    return new URL(url, window.location.href).origin !== window.location.origin;
  } catch {
    return true;
  }
}

export function HelpOffer({
  help,
  notInBook,
  InternalLink,
  onNavigate,
}: { help: HelpLink; notInBook: boolean } & LinkContext): ReactNode {
  const external = isExternal(help.url);
  return (
    <p className="bookchat-help">
      {notInBook ? 'The book has no answer to this: ' : 'Not what you needed? '}
      <SmartLink href={help.url} className="bookchat-help-link" InternalLink={InternalLink} onNavigate={onNavigate}>
        {help.label}
        {external ? <span className="bookchat-sr-only"> (opens in a new tab)</span> : null}
      </SmartLink>
      {external ? (
        <span aria-hidden="true" className="bookchat-help-external">
          {' '}
          ↗
        </span>
      ) : null}
    </p>
  );
}

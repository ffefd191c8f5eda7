/** The wire types of the bookchat HTTP API (see docs/api.md). */

export interface SourceMetadata {
  source?: string;
  title?: string;
  url?: string;
  heading?: string;
  anchor?: string;
  [key: string]: unknown;
}

export interface SourceNode {
  id: string;
  text: string;
  score?: number;
  cited?: boolean;
  metadata: SourceMetadata;
}

export type Role = 'user' | 'assistant';

export interface Turn {
  role: Role;
  content: string;
}

export interface ChatRequest {
  message: string;
  history?: Turn[];
  selected_text?: string;
  page?: string;
  /** The docs version the reader is on (Docusaurus' `docusaurus_version`). */
  version?: string;
  /** The site locale the reader is on (Docusaurus' `docusaurus_locale`). */
  locale?: string;
}

export type Outcome = 'answered' | 'not_in_book';

export interface DoneEvent {
  answer?: string;
  request_id?: string;
  outcome?: Outcome | string;
  cited?: number[];
  /** With a `not_in_book` answer when the service has BOOKCHAT_HELP_URL: where to ask instead. */
  help?: { url?: string; label?: string } | null;
  /** The answer's sentences as the service checked them against the passages they cite. */
  sentences?: unknown;
}

export interface StreamErrorEvent {
  code?: string;
  message?: string;
  /** Seconds to wait, on a rate-limited upstream (the stream's `Retry-After`). */
  retry_after?: number;
  /** The text the deltas brought is withdrawn: no answer (cut, or stopped early). */
  withdrawn?: boolean;
}

export type Rating = 'up' | 'down';

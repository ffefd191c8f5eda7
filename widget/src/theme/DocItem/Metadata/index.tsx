/**
 * Wraps the theme's DocItem/Metadata (the theme-enhancer way, `@theme-init`, like
 * Layout/Provider) to read the docs page's front matter with `useDoc()`, which only works
 * inside a doc page, and report its `chat_questions` to the widget living in <Root>. A site
 * that swizzles DocItem/Metadata loses this wrapper: the plugin's `starterQuestions` are
 * then shown on every page.
 */
import { useEffect, type ReactNode } from 'react';
import DocItemMetadata from '@theme-init/DocItem/Metadata';
import { useDoc } from '@docusaurus/plugin-content-docs/client';
import { questionsFrom } from '../../../core/help';
import { reportPageQuestions } from '../../../ui/pageQuestions';

function QuestionsReporter(): null {
  const { frontMatter } = useDoc();
  const key = JSON.stringify(questionsFrom((frontMatter as Record<string, unknown>).chat_questions));
  useEffect(() => {
    reportPageQuestions(JSON.parse(key) as string[]);
    return () => reportPageQuestions(null);
  }, [key]);
  return null;
}

export default function DocItemMetadataWithQuestions(props: Record<string, unknown>): ReactNode {
  return (
    <>
      <DocItemMetadata {...props} />
      <QuestionsReporter />
    </>
  );
}

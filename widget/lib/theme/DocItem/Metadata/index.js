import { jsx as _jsx, Fragment as _Fragment, jsxs as _jsxs } from "react/jsx-runtime";
/**
 * Wraps the theme's DocItem/Metadata (the theme-enhancer way, `@theme-init`, like
 * Layout/Provider) to read the docs page's front matter with `useDoc()`, which only works
 * inside a doc page, and report its `chat_questions` to the widget living in <Root>. A site
 * that swizzles DocItem/Metadata loses this wrapper: the plugin's `starterQuestions` are
 * then shown on every page.
 */
import { useEffect } from 'react';
import DocItemMetadata from '@theme-init/DocItem/Metadata';
import { useDoc } from '@docusaurus/plugin-content-docs/client';
import { questionsFrom } from '../../../core/help';
import { reportPageQuestions } from '../../../ui/pageQuestions';
function QuestionsReporter() {
    const { frontMatter } = useDoc();
    const key = JSON.stringify(questionsFrom(frontMatter.chat_questions));
    useEffect(() => {
        reportPageQuestions(JSON.parse(key));
        return () => reportPageQuestions(null);
    }, [key]);
    return null;
}
export default function DocItemMetadataWithQuestions(props) {
    return (_jsxs(_Fragment, { children: [_jsx(DocItemMetadata, { ...props }), _jsx(QuestionsReporter, {})] }));
}

import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Rich text (village presentations, offers, workspaces) is Markdown written by staff,
 * committees and partners. It is rendered to HTML and then sanitised with an allow-list,
 * so scripts, event handlers, styles, iframes and `javascript:` links render inert.
 */
const marked = new Marked({ gfm: true, breaks: true, async: false });

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
	allowedTags: [
		'p',
		'br',
		'strong',
		'em',
		'b',
		'i',
		'a',
		'ul',
		'ol',
		'li',
		'h2',
		'h3',
		'h4',
		'blockquote',
		'code',
		'pre',
		'hr',
		'table',
		'thead',
		'tbody',
		'tr',
		'th',
		'td',
		'del'
	],
	allowedAttributes: { a: ['href', 'title', 'rel'], th: ['scope'], td: [], ol: ['start'] },
	allowedSchemes: ['http', 'https', 'mailto', 'tel'],
	allowProtocolRelative: false,
	// Headings start at h2: the page owns its h1.
	transformTags: {
		h1: 'h2',
		a: (tagName, attribs) => ({
			tagName,
			attribs: { ...attribs, rel: 'nofollow noopener noreferrer' }
		})
	},
	disallowedTagsMode: 'discard'
};

/** Markdown → sanitised HTML, safe to render with {@html}. */
export function renderMarkdown(markdown: string | null | undefined): string {
	if (!markdown) return '';
	const html = marked.parse(markdown) as string;
	return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/** Plain text of a Markdown text (for meta descriptions, emails, search snippets). */
export function markdownToText(markdown: string | null | undefined, maxLength = 300): string {
	const text = sanitizeHtml(renderMarkdown(markdown), { allowedTags: [], allowedAttributes: {} })
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > maxLength ? text.slice(0, maxLength - 1).trimEnd() + '…' : text;
}

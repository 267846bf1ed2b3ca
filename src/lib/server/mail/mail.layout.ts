import { translate, type Locale } from '../../i18n/index.ts';

export type MailLayoutInput = {
	locale: Locale;
	/** Heading of the message, usually the subject. */
	title: string;
	/** Plain-text paragraphs; they are escaped in the HTML part. */
	paragraphs: string[];
	/**
	 * Already sanitised HTML (renderMarkdown) that replaces the paragraphs in the HTML
	 * part; the text part still shows the paragraphs.
	 */
	bodyHtml?: string;
	/** One call to action, e.g. the password-reset link. Only http(s) URLs. */
	action?: { label: string; url: string };
	/** Who sends the message, shown in the footer; defaults to the site name. */
	senderName?: string;
};

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

function assertSafeUrl(url: string): string {
	const protocol = new URL(url).protocol;
	if (protocol !== 'https:' && protocol !== 'http:')
		throw new Error(`Mail links must be http(s), got ${protocol}`);
	return url;
}

/**
 * The text and HTML bodies of a soho message: title, paragraphs, an optional action
 * link and the translated footer. Every value is escaped in the HTML part.
 */
export function renderMailLayout({
	locale,
	title,
	paragraphs,
	bodyHtml,
	action,
	senderName
}: MailLayoutInput): {
	text: string;
	html: string;
} {
	const sender = senderName ?? translate(locale, 'common_site_name');
	const footer = translate(locale, 'mail_layout_footer', { sender });
	const url = action ? assertSafeUrl(action.url) : undefined;

	const textParts = [title, '', ...paragraphs.flatMap((paragraph) => [paragraph, ''])];
	if (action && url) textParts.push(`${action.label}:`, url, '');
	textParts.push('--', footer);
	const text = textParts.join('\n');

	const paragraphStyle = 'margin:0 0 16px;line-height:1.5';
	const htmlParts = [
		`<!doctype html>`,
		`<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>`,
		`<body style="margin:0;padding:24px;background:#f6f6f4;color:#1f1f1f;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:16px">`,
		`<div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px">`,
		`<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(title)}</h1>`,
		...(bodyHtml !== undefined
			? [`<div style="line-height:1.5">${bodyHtml}</div>`]
			: paragraphs.map((paragraph) => `<p style="${paragraphStyle}">${escapeHtml(paragraph)}</p>`))
	];
	if (action && url) {
		htmlParts.push(
			`<p style="${paragraphStyle}"><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;background:#1f4e3d;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(action.label)}</a></p>`,
			`<p style="${paragraphStyle};font-size:14px;color:#555555">${escapeHtml(translate(locale, 'mail_layout_link_fallback'))}<br><a href="${escapeHtml(url)}" style="color:#1f4e3d;word-break:break-all">${escapeHtml(url)}</a></p>`
		);
	}
	htmlParts.push(
		`</div>`,
		`<p style="max-width:560px;margin:16px auto 0;font-size:13px;color:#666666">${escapeHtml(footer)}</p>`,
		`</body></html>`
	);
	return { text, html: htmlParts.join('\n') };
}

import { expect, test } from 'vitest';
import { markdownToText, renderMarkdown } from './markdown.ts';

test('Markdown renders headings, lists, emphasis and links', () => {
	const html = renderMarkdown(
		'# Simorre\n\nUn village **vivant**.\n\n- école\n- [mairie](https://simorre.example)'
	);
	expect(html).toContain('<h2>Simorre</h2>');
	expect(html).toContain('<strong>vivant</strong>');
	expect(html).toContain('<li>école</li>');
	expect(html).toContain('<a href="https://simorre.example" rel="nofollow noopener noreferrer">mairie</a>');
});

test('scripts, event handlers, styles, iframes and javascript: links render inert', () => {
	const attacks = [
		'<script>alert(1)</script>',
		'<img src=x onerror="alert(1)">',
		'<a href="javascript:alert(1)">click</a>',
		'[click](javascript:alert(1))',
		'<p onclick="alert(1)" style="position:fixed">hi</p>',
		'<iframe src="https://evil.example"></iframe>',
		'<svg onload=alert(1)>',
		'[x](JaVaScRiPt:alert(1))',
		'<a href="data:text/html,<script>alert(1)</script>">d</a>'
	];
	for (const attack of attacks) {
		const html = renderMarkdown(attack);
		expect(html, attack).not.toMatch(
			/<script|onerror|onclick|onload|javascript:|<iframe|<svg|style=|data:text/i
		);
	}
	expect(renderMarkdown('<p onclick="alert(1)">hi</p>')).toBe('<p>hi</p>');
});

test('plain text for descriptions is stripped, unescaped and shortened', () => {
	expect(markdownToText('**Éauze** & <b>ses</b> arènes')).toBe('Éauze & ses arènes');
	expect(markdownToText('a '.repeat(400), 20)).toHaveLength(20);
	expect(renderMarkdown(null)).toBe('');
});

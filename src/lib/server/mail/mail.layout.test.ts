import { expect, test } from 'vitest';
import { renderMailLayout } from './mail.layout.ts';

test('the HTML part escapes every value and the text part keeps them as written', () => {
	const { text, html } = renderMailLayout({
		locale: 'en',
		title: 'Hello <Anna> & "friends"',
		paragraphs: ['<script>alert(1)</script>', "It's fine"],
		action: { label: 'Open <it>', url: 'https://example.org/reset?token=a&b="c"' }
	});
	expect(html).not.toContain('<script>');
	expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
	expect(html).toContain('Hello &lt;Anna&gt; &amp; &quot;friends&quot;');
	expect(html).toContain('href="https://example.org/reset?token=a&amp;b=&quot;c&quot;"');
	expect(text).toContain('Hello <Anna> & "friends"');
	expect(text).toContain('https://example.org/reset?token=a&b="c"');
	expect(text).toContain('Message sent by soho.');
});

test('the footer is translated and names the sender', () => {
	const { text, html } = renderMailLayout({
		locale: 'fr',
		title: 'Bienvenue',
		paragraphs: ['Bonjour'],
		senderName: 'Gers'
	});
	expect(text).toContain('Message envoyé par Gers.');
	expect(html).toContain('lang="fr"');
});

test('a link that is not http(s) is refused', () => {
	expect(() =>
		renderMailLayout({
			locale: 'en',
			title: 't',
			paragraphs: [],
			action: { label: 'x', url: 'javascript:alert(1)' }
		})
	).toThrow(/http/);
});

import { describe, expect, test } from 'vitest';
import { e2eSkipReason, useDemoServer } from './support.ts';

/**
 * Bytes a database cannot store, and bodies that cannot be read, are the sender's mistake: a
 * 400 with a translated message, never a 500 (issue 13, finding 8).
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e bad input skipped: ${skipReason}`);

describe.skipIf(skipReason)('hostile input', () => {
	const demo = useDemoServer();
	/** SvelteKit checks the Origin of form posts (CSRF): a form post comes from the site. */
	const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
		fetch(`${demo.url}${path}`, {
			method: 'POST',
			body,
			redirect: 'manual',
			headers: { origin: demo.url, accept: 'text/html', ...headers }
		});

	test('a NUL byte in a search, a path or a query answers 400 with a translated message', async () => {
		for (const [path, text] of [
			['/villages?q=%00&lang=fr', 'caractère invalide'],
			['/villages?q=%00&lang=en', 'invalid character'],
			['/backoffice/cases/cas_%00?lang=en', 'invalid character'],
			['/offers/off_%00', 'caractère invalide'],
			['/api/v1/observatory/fun%00nel', '']
		] as const) {
			const response = await fetch(`${demo.url}${path}`, { redirect: 'manual' });
			expect(response.status, path).toBe(400);
			if (text) expect(await response.text(), path).toContain(text);
		}
		const json = await fetch(`${demo.url}/api/v1/observatory?x=%00`, {
			headers: { accept: 'application/json' }
		});
		expect(json.status).toBe(400);
		expect(((await json.json()) as { error: { code: string } }).error.code).toBe('input.invalid_characters');
	});

	test('a first name with a NUL byte in an otherwise valid application to /apply answers 400', async () => {
		const form = new URLSearchParams({
			firstName: 'A\u0000B',
			lastName: 'Martin',
			email: 'a.martin@example.org',
			timeline: 'within_6_months',
			wouldMoveWithoutProgramme: 'unsure',
			consentContact: 'on'
		});
		const response = await post('/apply?lang=en', form);
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('invalid character');
		const enhanced = await post('/apply', form, { 'x-sveltekit-action': 'true', accept: 'application/json' });
		expect(enhanced.status).toBe(400);
	});

	test('a malformed multipart or urlencoded body sent to /apply answers 400, not 500', async () => {
		const broken = await post(
			'/apply?lang=fr',
			'--xyz\r\nContent-Disposition: form-data; name="firstName"\r\n\r\nA',
			{
				'content-type': 'multipart/form-data; boundary=xyz'
			}
		);
		expect(broken.status).toBe(400);
		expect(await broken.text()).toContain('illisible');
		const noBoundary = await post('/apply', 'firstName=A', { 'content-type': 'multipart/form-data' });
		expect(noBoundary.status).toBe(400);
	});
});

import { expect, test } from 'vitest';
import { isDomainError } from '../errors.ts';
import { printToPdf } from './chromium.ts';

test('without Chromium the PDF is unavailable (503) and the page is never fetched', async () => {
	let fetched = 0;
	const fetchPage = async () => {
		fetched++;
		return new Response('<html></html>');
	};
	const err = await printToPdf(
		{ path: '/backoffice/observatory/report?year=2025', fetchPage },
		{ chromiumPath: '/nonexistent/chromium' }
	).catch((e: unknown) => e);
	expect(isDomainError(err, 'observatory_report.pdf_unavailable')).toBe(true);
	expect((err as { kind: string }).kind).toBe('unavailable');
	expect(fetched).toBe(0);
	// The queue goes on after a failure.
	await expect(
		printToPdf({ path: '/x', fetchPage }, { chromiumPath: '/nonexistent/chromium' })
	).rejects.toSatisfy((e) => isDomainError(e, 'observatory_report.pdf_unavailable'));
});

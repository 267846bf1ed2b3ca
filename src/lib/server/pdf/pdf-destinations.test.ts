import { expect, test } from 'vitest';
import { pdfDestinationPages } from './pdf-destinations.ts';

/** A PDF as Chromium writes it: numbered objects, a classic cross-reference table, a trailer. */
function pdfOf(objects: string[], root: number): Uint8Array {
	let body = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((text, i) => {
		offsets.push(body.length);
		body += `${i + 1} 0 obj\n${text}\nendobj\n`;
	});
	const xref = body.length;
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
	body += `trailer\n<</Size ${objects.length + 1}\n/Root ${root} 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
	return new Uint8Array(Buffer.from(body, 'latin1'));
}

test('each linked destination is on the page where the page tree puts its page object, nested trees read in order', () => {
	const pdf = pdfOf(
		[
			'<</Type /Catalog\n/Pages 2 0 R\n/Dests 9 0 R>>',
			'<</Type /Pages\n/Count 4\n/Kids [3 0 R 4 0 R]>>',
			'<</Type /Pages\n/Count 2\n/Kids [5 0 R 6 0 R]>>',
			'<</Type /Pages\n/Count 2\n/Kids [7 0 R 8 0 R]>>',
			'<</Type /Page\n/Parent 3 0 R>>',
			'<</Type /Page\n/Parent 3 0 R>>',
			'<</Type /Page\n/Parent 4 0 R>>',
			'<</Type /Page\n/Parent 4 0 R>>',
			'<</section-flows [6 0 R /XYZ 6 828.63 0]\n/section#2Dfunnel [8 0 R /XYZ 6 828.63 0]\n/report-method [7 0 R /XYZ 6 828.63 0]>>'
		],
		1
	);
	expect(pdfDestinationPages(pdf)).toEqual({ 'section-flows': 2, 'section-funnel': 4, 'report-method': 3 });
});

test('a PDF without destinations or that cannot be read gives no page rather than a wrong one', () => {
	expect(
		pdfDestinationPages(pdfOf(['<</Type /Catalog\n/Pages 2 0 R>>', '<</Type /Pages\n/Kids []>>'], 1))
	).toEqual({});
	expect(pdfDestinationPages(new Uint8Array(Buffer.from('%PDF-1.4\nnot a pdf', 'latin1')))).toEqual({});
});

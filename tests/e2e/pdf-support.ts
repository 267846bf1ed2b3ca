import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Reading a PDF as a reader would, with poppler-utils (`pdftotext`, `pdffonts`; installed by
 * .ci/run beside chromium): its text line by line, the fonts it embeds, and where each word is
 * drawn on its page.
 */

/** Why the PDF checks cannot run here (poppler-utils missing), or null. */
export function popplerSkipReason(): string | null {
	for (const tool of ['pdftotext', 'pdffonts']) {
		const probe = spawnSync(tool, ['-v'], { encoding: 'utf8' });
		if (probe.error) return `${tool} is not installed (apt-get install poppler-utils)`;
	}
	return null;
}

function run(tool: string, args: string[]): string {
	const result = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (result.error) throw result.error;
	if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr}`);
	return result.stdout;
}

/** Writes the PDF's bytes to a new temporary file and returns its path. */
export function savePdf(bytes: Uint8Array, name: string): string {
	const file = join(mkdtempSync(join(tmpdir(), 'soho-pdf-')), name);
	writeFileSync(file, bytes);
	return file;
}

/** Spaces of every kind (no-break, narrow no-break, thin) removed: the PDF's spacing is not the text's. */
export const withoutSpaces = (text: string): string => text.replace(/[\s\u00a0\u2000-\u200b\u202f]/g, '');

/** The lines of `pdftotext -layout`, each without its spaces (see `withoutSpaces`). */
export function pdfLines(file: string): string[] {
	return run('pdftotext', ['-layout', file, '-']).split('\n').map(withoutSpaces).filter(Boolean);
}

export type PdfFont = { name: string; type: string; isEmbedded: boolean };

/** The fonts `pdffonts` lists, with whether each is embedded. */
export function pdfFonts(file: string): PdfFont[] {
	const lines = run('pdffonts', [file]).split('\n');
	const rule = lines.findIndex((line) => line.startsWith('---'));
	return lines
		.slice(rule + 1)
		.filter((line) => line.trim())
		.map((line) => {
			// name, type (may hold spaces), encoding, emb, sub, uni, object, generation
			const columns = line.trim().split(/\s+/);
			const [emb] = columns.slice(-5, -4);
			return { name: columns[0] ?? '', type: columns.slice(1, -6).join(' '), isEmbedded: emb === 'yes' };
		});
}

export type PdfWord = { text: string; xMin: number; yMin: number; xMax: number; yMax: number };
export type PdfPage = { width: number; height: number; words: PdfWord[] };

/** Every page's size and every word's box (points), from `pdftotext -bbox-layout`. */
export function pdfPages(file: string): PdfPage[] {
	const xml = run('pdftotext', ['-bbox-layout', file, '-']);
	const pages: PdfPage[] = [];
	const unescape = (text: string) =>
		text
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&amp;/g, '&');
	for (const page of xml.split(/<page /).slice(1)) {
		const size = /^width="([\d.]+)" height="([\d.]+)"/.exec(page);
		if (!size) continue;
		const words = [
			...page.matchAll(
				/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g
			)
		].map(([, xMin, yMin, xMax, yMax, text]) => ({
			text: unescape(text ?? ''),
			xMin: Number(xMin),
			yMin: Number(yMin),
			xMax: Number(xMax),
			yMax: Number(yMax)
		}));
		pages.push({ width: Number(size[1]), height: Number(size[2]), words });
	}
	return pages;
}

/** Millimetres in PDF points. */
export const mm = (value: number): number => (value * 72) / 25.4;

/** The words drawn outside the page's box less `margin` points on every side. */
export function wordsOutside(page: PdfPage, margin: number): PdfWord[] {
	return page.words.filter(
		(word) =>
			word.xMin < margin ||
			word.yMin < margin ||
			word.xMax > page.width - margin ||
			word.yMax > page.height - margin
	);
}

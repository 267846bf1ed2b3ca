/**
 * On which page of a PDF each named destination lies: Chromium writes one destination per
 * element that a link of the printed page targets (`<a href="#section-flows">` → `/section-flows`),
 * so a report can print its contents with page numbers by printing twice (`printToPdf`'s
 * `pathWithPages`). Reads the classic cross-reference table and uncompressed dictionaries that
 * Chromium (Skia) writes; a PDF it cannot read gives no destination rather than a wrong page.
 */

/** Destination name → page number (1 for the first page). */
export function pdfDestinationPages(pdf: Uint8Array): Record<string, number> {
	// latin1: one character per byte, so the table's byte offsets index the text.
	const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
	const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
	if (!start) return {};
	const offsets = readXref(text, Number(start[1]));
	if (!offsets) return {};
	const object = (ref: number): string | null => {
		const at = offsets.get(ref);
		if (at === undefined) return null;
		const end = text.indexOf('endobj', at);
		return end < 0 ? null : text.slice(at, end);
	};
	const trailer = text.slice(text.indexOf('trailer', Number(start[1])));
	const root = refOf(trailer, 'Root');
	const catalog = root === null ? null : object(root);
	if (!catalog) return {};
	const pagesRef = refOf(catalog, 'Pages');
	const destsRef = refOf(catalog, 'Dests');
	if (pagesRef === null || destsRef === null) return {};

	// The page objects in reading order: the page tree's leaves, depth first.
	const pageNumbers = new Map<number, number>();
	const visit = (ref: number, depth: number) => {
		const node = object(ref);
		if (!node || depth > 32) return;
		const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node);
		if (/\/Type\s*\/Pages\b/.test(node) && kids) {
			for (const kid of kids[1].matchAll(/(\d+)\s+\d+\s+R/g)) visit(Number(kid[1]), depth + 1);
		} else pageNumbers.set(ref, pageNumbers.size + 1);
	};
	visit(pagesRef, 0);

	const dests = object(destsRef) ?? '';
	const pages: Record<string, number> = {};
	for (const match of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+\d+\s+R/g)) {
		const page = pageNumbers.get(Number(match[2]));
		if (page !== undefined) pages[decodeName(match[1])] = page;
	}
	return pages;
}

/** `/Key 12 0 R` in a dictionary → 12. */
function refOf(dictionary: string, key: string): number | null {
	const match = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(dictionary);
	return match ? Number(match[1]) : null;
}

/** Object number → byte offset, from the cross-reference table at `at` (its sections in order). */
function readXref(text: string, at: number): Map<number, number> | null {
	if (!text.startsWith('xref', at)) return null;
	const offsets = new Map<number, number>();
	const lines = text.slice(at + 4, text.indexOf('trailer', at)).split(/\r?\n|\r/);
	let next = 0;
	for (const raw of lines) {
		const line = raw.trim();
		if (!line) continue;
		const section = /^(\d+)\s+(\d+)$/.exec(line);
		if (section) {
			next = Number(section[1]);
			continue;
		}
		const entry = /^(\d{10})\s+\d{5}\s+([nf])$/.exec(line);
		if (!entry) return null;
		if (entry[2] === 'n') offsets.set(next, Number(entry[1]));
		next += 1;
	}
	return offsets;
}

/** A PDF name's `#xx` escapes decoded (`section#2Dflows` → `section-flows`). */
function decodeName(name: string): string {
	return name.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

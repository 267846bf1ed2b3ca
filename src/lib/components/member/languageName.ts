/** A language's name in the reader's language ("nl" → "néerlandais" / "Dutch"); the code if unknown. */
export function languageName(code: string, locale: string): string {
	try {
		return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
	} catch {
		return code;
	}
}

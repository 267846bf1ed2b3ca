import { getContext, setContext } from 'svelte';
import { createTranslator, type Locale, type Translate } from './index.ts';

const KEY = Symbol('i18n');
export type I18n = { locale: Locale; t: Translate };

/** Called by the root layout with the request's locale. */
export function setI18n(locale: Locale): I18n {
	const i18n = { locale, t: createTranslator(locale) };
	setContext(KEY, i18n);
	return i18n;
}

export function getI18n(): I18n {
	const i18n = getContext<I18n | undefined>(KEY);
	if (!i18n) throw new Error('getI18n() called outside the root layout');
	return i18n;
}

import { defineError } from '../../errors.ts';

/** The portal was asked for a language it does not speak. */
export const portalInvalidLocale = defineError('portal.invalid_locale', 'invalid');

import { defineError } from '../../errors.ts';

/** The daily mail of matching offers follows the saved needs: the household has not saved them yet. */
export const offerMatchNeedsNotFilled = defineError('offer_match.needs_not_filled', 'invalid');

/**
 * The case tests still import the user fixture from here while their area is being split; the
 * fixtures live in `testing/factories.ts` (import them from there, then delete this file).
 */
export { insertTestUsers } from '../../testing/factories.ts';

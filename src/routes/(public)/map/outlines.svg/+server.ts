import { serveOutlines } from '../outlines.server.ts';
import type { RequestHandler } from './$types';

/** The public programme's commune outlines as an SVG drawing (the map without JavaScript), cacheable for ever by version. */
export const GET: RequestHandler = (event) => serveOutlines(event, 'svg');

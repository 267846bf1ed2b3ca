import type { Reroute } from '@sveltejs/kit';
import { splitProgrammePath } from '$lib/domain/programme-address.ts';

/**
 * A programme without a host name of its own is reached on a shared host at `/p/<slug>/…`
 * (lib/domain/programme-address.ts): its pages are the ordinary routes, so `/p/lot/villages` is
 * routed as `/villages` (in the server and in the browser). `event.url` keeps the prefix: the
 * server hook resolves it to the programme (an unknown slug answers 404) and keeps it in the
 * page's links and redirects (hooks.server.ts).
 */
export const reroute: Reroute = ({ url }) => splitProgrammePath(url.pathname)?.path;

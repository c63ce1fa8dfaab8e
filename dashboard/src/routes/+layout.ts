// A client-only app: every page needs the key held in session storage, so nothing renders on a server.
export const ssr = false;
export const prerender = false;

/**
 * How a judge downloads a `file` URL (spec section 2: "no response headers within 8 s, or any
 * download failure, is a 400"), so every judge gives the same answer to the same URL.
 */

/** Milliseconds a `file` URL gets to send its response headers, and at most between two body chunks (spec). */
export const FILE_URL_TIMEOUT_MS = 8000

/** Redirects a `file` URL download follows; one more is a download failure (ours). */
export const MAX_FILE_URL_REDIRECTS = 5

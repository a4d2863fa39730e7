/**
 * The cap on the text fields of one upload request (ours; ImageKit publishes none). A server that
 * held every text field whole could be made to hold any amount of memory by anyone, before any
 * authentication: many fields, or one endless one. The fields an upload needs (auth, options, a
 * v2 JWT over them) fit in a few KiB, so a server counts the bytes of every text field's name and
 * value as they arrive (the `file` field aside: it has its own limit) and refuses the request the
 * moment the total passes the cap, reading no further.
 *
 * Self-contained on purpose (no import), so any server can use it.
 */

/** The default cap on the text fields of one request, names and values together: 2 MiB. */
export const DEFAULT_MAX_FIELDS_SIZE = 2 * 1024 * 1024

/** The 400 message for a request whose text fields pass the cap of `limit` bytes (ours). */
export const fieldsTooLarge = (limit: number): string =>
  `Your request contains too much field data. The text fields other than file may hold at most ${limit} bytes in total.`

/**
 * The most text fields (`file` aside) one upload request may hold (ours). An upload needs about 25;
 * a server that kept them all could be made to hold any number of them, and one that dropped the
 * rest would answer a missing field the client did send.
 */
export const MAX_FIELDS = 200

/** The 400 message for a request with more than `limit` text fields (ours). */
export const tooManyFields = (limit: number): string =>
  `Your request contains too many fields. A request may hold at most ${limit} text fields other than file.`

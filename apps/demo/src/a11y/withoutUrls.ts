// Any scheme://… run of characters, up to a space or a closing bracket or quote.
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)'"»]+/gi

/**
 * A message fit to be read aloud: URLs become "the server". A screen reader spells a URL out
 * character by character, which says nothing a listener can act on.
 */
export function withoutUrls(message: string): string {
  return message.replace(URL_PATTERN, 'the server')
}

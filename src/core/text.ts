/** Text read from files written by other tools (Windows editors, PowerShell's `Out-File`). */

/** The text without a leading UTF-8 byte-order mark, which JSON.parse rejects. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

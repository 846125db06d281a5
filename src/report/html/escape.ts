const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text from the lab or a student, made safe for HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char);
}

/**
 * JSON for a `<script type="application/json">` element: with every `<` written as `\u003c`, no
 * `</script>` or `<!--` inside the data can end the element early, and JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A library's code inlined in a `<script>`: an HTML parser would end the element at a literal `</script`. */
export function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

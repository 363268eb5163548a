/** Authentication headers shared by providers. */

/** `Authorization: Bearer <key>`, as Krea and AI/ML API (and most HTTP APIs) expect it. */
export function bearerAuth(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` };
}

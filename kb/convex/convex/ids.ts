// Stable ids and hashes, byte-for-byte those of kb/models.py, so both backends name things alike.

const encoder = new TextEncoder();

/** sha256 hex of the parts, each prefixed by its UTF-8 length as 8 big-endian bytes. */
export async function contentHash(...parts: string[]): Promise<string> {
  const chunks = parts.map((part) => encoder.encode(part));
  const total = chunks.reduce((n, c) => n + 8 + c.length, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const chunk of chunks) {
    view.setBigUint64(at, BigInt(chunk.length));
    bytes.set(chunk, at + 8);
    at += 8 + chunk.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Id of the tree node at (client, parent, slug): kb.models.node_id. */
export async function nodeId(clientId: string, parentId: string | null, slug: string) {
  return (await contentHash("node", clientId, parentId ?? "", slug)).slice(0, 32);
}

/** Content hash of an entry for one client: kb.models.EntryDraft.hash. */
export async function entryHash(clientId: string, locator: string, title: string, content: string) {
  return await contentHash(clientId, locator, title, content);
}

/** Id of an entry from its client and content hash: kb.models.entry_id. */
export async function entryId(clientId: string, hash: string) {
  return (await contentHash("entry", clientId, hash)).slice(0, 32);
}

// The one way the screens find their elements: by id, of the expected type, or a clear error
// naming what index.html lacks (a broken page says what is broken rather than failing later).

export function byId<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html lacks the #${id} element`);
  return found;
}

type Purify = typeof import('dompurify').default;

let purify: Promise<Purify> | null = null;

/**
 * Sanitizes untrusted rich text (info hotspots, custom templates) with
 * DOMPurify, loaded on first use as its own chunk. Links open in a new tab.
 */
export async function sanitize(html: string): Promise<string> {
  const instance = await (purify ??= import('dompurify').then(({ default: DOMPurify }) => {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
    return DOMPurify;
  }));
  return instance.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'], FORBID_ATTR: ['style'] });
}

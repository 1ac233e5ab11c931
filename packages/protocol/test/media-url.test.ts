import { describe, expect, it } from 'vitest';
import { isRootRelativePath, mediaUrlSchema } from '../src/index.js';

// Issue 11, point 4: a media URL is an absolute http(s) URL or a path on the
// document's own host. Each refused form below is one that a browser's URL
// parser (WHATWG, as Node's) resolves to another host, or that a server
// decoding before it routes could.

const DOCUMENT = 'https://tours.example/api/v1/public/tours/1';

describe('mediaUrlSchema: root-relative forms that reach another host are refused', () => {
  it.each([
    ['scheme-relative', '//evil.example/x.jpg'],
    ['backslash as the second slash', '/\\evil.example/x.jpg'],
    ['two backslashes', '\\\\evil.example/x.jpg'],
    ['backslash, then slash', '\\/evil.example/x.jpg'],
    ['a tab between the slashes (browsers strip tabs)', '/\t/evil.example/x.jpg'],
    ['a newline between the slashes (browsers strip newlines)', '/\n/evil.example/x.jpg'],
    ['a CR LF between the slashes', '/\r\n/evil.example/x.jpg'],
    ['a leading space (browsers trim it)', ' //evil.example/x.jpg'],
    ['a leading tab before a backslash form', '\t/\\evil.example/x.jpg'],
    ['a trailing control character', '/media/a.jpg\u0000'],
    ['an encoded slash', '/%2F/evil.example/x.jpg'],
    ['an encoded slash, lower case', '/%2f%2fevil.example/x.jpg'],
    ['an encoded backslash', '/%5Cevil.example/x.jpg'],
    ['a backslash later in the path', '/media/..\\..\\x.jpg'],
  ])('%s: %j', (_name, value) => {
    expect(mediaUrlSchema.safeParse(value).success).toBe(false);
  });

  it('each refused form is one a browser would resolve off the host, or a decoded path that would', () => {
    for (const value of ['//evil.example/x', '/\\evil.example/x', '/\t/evil.example/x', ' //evil.example/x']) {
      expect(new URL(value, DOCUMENT).host).toBe('evil.example');
    }
    expect(new URL(decodeURIComponent('/%2F/evil.example/x'), DOCUMENT).host).toBe('evil.example');
  });

  it.each(['javascript:alert(1)', 'data:image/png;base64,AAAA', 'media/a.jpg', '', 'ftp://host/a.jpg'])('not a path or an http(s) URL: %j', (value) => {
    expect(mediaUrlSchema.safeParse(value).success).toBe(false);
  });
});

describe('mediaUrlSchema: what media URLs are still accepts', () => {
  it.each([
    '/media/ab/cd/abcdef.jpg',
    '/media/preview.jpg?v=2',
    '/media/a%20b.jpg',
    '/',
    'https://cdn.example.com/a.jpg',
    'http://cdn.example.com/a.jpg',
  ])('%j', (value) => {
    expect(mediaUrlSchema.safeParse(value).success).toBe(true);
  });

  it('every accepted root-relative path stays on the document’s host', () => {
    for (const value of ['/media/a.jpg', '/media/a%20b.jpg', '/a/../b', '/.%2e/x']) {
      if (isRootRelativePath(value)) expect(new URL(value, DOCUMENT).host).toBe('tours.example');
    }
  });
});

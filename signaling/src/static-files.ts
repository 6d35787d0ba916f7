// Serves the built PWA from a folder: content types, cache headers and the index.html fallback.

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  wasm: 'application/wasm',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  webm: 'video/webm',
  mp4: 'video/mp4',
}

export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.')
  const ext = dot < 0 ? '' : path.slice(dot + 1).toLowerCase()
  return CONTENT_TYPES[ext] ?? 'application/octet-stream'
}

/** URL path -> safe relative file path, or undefined for traversal attempts and junk. */
export function safeRelativePath(pathname: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.some((p) => p === '..')) return undefined
  return parts.join('/')
}

/** Paths that look like a file (last segment has an extension) get a 404 instead of index.html. */
function looksLikeAsset(relative: string): boolean {
  const last = relative.slice(relative.lastIndexOf('/') + 1)
  return last.includes('.')
}

async function fileResponse(
  dir: string,
  relative: string,
  head: boolean,
): Promise<Response | undefined> {
  const path = `${dir}/${relative}`
  let info: Deno.FileInfo
  try {
    info = await Deno.stat(path)
  } catch {
    return undefined
  }
  if (!info.isFile) return undefined
  const headers = new Headers({
    'content-type': contentTypeFor(relative),
    'content-length': String(info.size),
    'x-content-type-options': 'nosniff',
    // Vite fingerprints everything under assets/; the rest (index.html, sw.js) must revalidate.
    'cache-control': relative.startsWith('assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  })
  if (head) return new Response(null, { status: 200, headers })
  const file = await Deno.open(path, { read: true })
  return new Response(file.readable, { status: 200, headers })
}

/** GET/HEAD of a static path. Unknown non-asset paths get index.html (client-side routing). */
export async function serveStatic(dir: string, pathname: string, head: boolean): Promise<Response> {
  const relative = safeRelativePath(pathname)
  if (relative === undefined) return new Response('bad path\n', { status: 400 })
  const wanted = relative === '' ? 'index.html' : relative
  const direct = await fileResponse(dir, wanted, head) ??
    (looksLikeAsset(wanted) ? undefined : await fileResponse(dir, `${wanted}/index.html`, head))
  if (direct) return direct
  if (!looksLikeAsset(wanted)) {
    const index = await fileResponse(dir, 'index.html', head)
    if (index) return index
    return new Response(`no PWA build in ${dir} (run npm run build)\n`, {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  }
  return new Response('not found\n', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}

// The worker serves the built PWA: files with their types, index.html for app routes, no escapes.

import { deepStrictEqual as assertEquals } from 'node:assert/strict'
import { startWorker, testConfig } from './support/start-worker.ts'

Deno.test('the PWA is served with content types, the SPA fallback and no path traversal', async () => {
  const dir = await Deno.makeTempDir({ prefix: 'conch-dist-' })
  await Deno.mkdir(`${dir}/assets`)
  await Deno.writeTextFile(`${dir}/index.html`, '<!doctype html><title>Conch</title>')
  await Deno.writeTextFile(`${dir}/assets/app-1234.js`, 'export {}')
  await Deno.writeTextFile(`${dir}/manifest.webmanifest`, '{}')
  const run = await startWorker({ config: testConfig({ open: true, staticDir: dir }) })
  try {
    const get = async (path: string) => {
      const r = await fetch(`${run.url}${path}`)
      return { status: r.status, type: r.headers.get('content-type'), body: await r.text() }
    }
    assertEquals(await get('/'), {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><title>Conch</title>',
    })
    assertEquals((await get('/channels/general')).body, '<!doctype html><title>Conch</title>')
    assertEquals((await get('/assets/app-1234.js')).type, 'text/javascript; charset=utf-8')
    assertEquals(
      (await get('/manifest.webmanifest')).type,
      'application/manifest+json; charset=utf-8',
    )
    assertEquals((await get('/assets/missing.js')).status, 404)
    // URL parsing already resolves `/../`; an encoded slash reaches the server and is refused.
    assertEquals((await get('/..%2f..%2f..%2fetc%2fpasswd')).status, 400)
    assertEquals((await get('/../../etc/passwd')).body, '<!doctype html><title>Conch</title>')
    assertEquals((await fetch(`${run.url}/`, { method: 'DELETE' })).status, 405)
  } finally {
    await run.stop()
    await Deno.remove(dir, { recursive: true })
  }
})

Deno.test('a malformed WebSocket upgrade gets 400 on both transports', async () => {
  for (const leanWebSocket of [true, false]) {
    const run = await startWorker({ config: testConfig({ open: true, leanWebSocket }) })
    try {
      const r = await fetch(`${run.url}/`, {
        headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-version': '13' },
      })
      assertEquals(r.status, 400, `lean=${leanWebSocket}`)
      await r.body?.cancel()
    } finally {
      await run.stop()
    }
  }
})

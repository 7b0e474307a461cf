import { serve } from '@hono/node-server'
import { Hono } from 'hono'

// The baseline: Hono on @hono/node-server doing the least each route shape can do.
const app = new Hono()
app.get('/healthz', (c) => c.json({ status: 'ok' }))
app.get('/json', (c) =>
  c.json({ data: { id: '550e8400-e29b-41d4-a716-446655440000', name: 'Acme Corp' } }),
)
app.post('/json', async (c) => c.json({ data: await c.req.json() }, 201))
app.get('/html', (c) => c.html('<!doctype html><html><body><h1>Hello</h1></body></html>'))

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })

// Copies GOV.UK Frontend's precompiled assets and our own scripts and styles
// into static/dist, which the Go binary embeds. Node is a build-time tool only.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises'

const govuk = 'node_modules/govuk-frontend/dist/govuk'
const out = 'static/dist'

await rm(out, { recursive: true, force: true })
await mkdir(out, { recursive: true })
for (const f of ['govuk-frontend.min.css', 'govuk-frontend.min.css.map', 'govuk-frontend.min.js', 'govuk-frontend.min.js.map']) {
  await cp(`${govuk}/${f}`, `${out}/${f}`)
}
await cp(`${govuk}/assets`, out, { recursive: true })
await cp('static/src', out, { recursive: true })
await writeFile(`${out}/.gitkeep`, '')

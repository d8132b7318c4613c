// Starts GOV.UK Frontend's components. Loaded as a module, so browsers that
// GOV.UK Frontend does not support never run it and get the HTML-only pages.
import { initAll } from './govuk-frontend.min.js'

initAll()

/**
 * PyPI compares project names after PEP 503 normalisation: `Django`, `django` and `DJANGO` are one
 * project, and so are `zope.interface`, `zope-interface` and `zope_interface`. Every PyPI parser
 * normalises, so that the delta and the lookups (OSV keys PyPI by the normalised name) agree
 * whatever spelling a file uses.
 */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

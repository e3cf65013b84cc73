// What a version source may answer: WhatsApp's service worker script (the revision only, quotes
// escaped inside a JS string or not) or a bare version; anything else is no version at all.
import { describe, expect, it } from 'vitest'
import { parseVersion, versionInBody } from './version-source'

describe('versionInBody', () => {
  it('reads the revision as WhatsApp serves it, escaped or not, as 2.3000.N', () => {
    expect(versionInBody('self.__swData=JSON.parse("{\\"dynamic_data\\":{\\"SiteData\\":{\\"client_revision\\":1023456789}}}");')).toEqual([2, 3000, 1023456789])
    expect(versionInBody('{"client_revision": 1023456790}')).toEqual([2, 3000, 1023456790])
  })

  it('takes a body that is just a version, around whitespace', () => {
    expect(versionInBody('2.3000.1023456789\n')).toEqual([2, 3000, 1023456789])
  })

  it('finds no version in anything else', () => {
    for (const body of ['', '<html>maintenance</html>', '2.3000', '2.3000.x', 'version 2.3000.1', '2.3000.99999999999']) expect(versionInBody(body)).toBeNull()
  })
})

describe('parseVersion', () => {
  it('keeps each number within the uint32 the login payload carries', () => {
    expect(parseVersion('2.3000.4294967295')).toEqual([2, 3000, 4294967295])
    expect(parseVersion('2.3000.4294967296')).toBeNull()
  })
})

// The modules the Worker bundle uses in place of packages it never reaches (wrangler.toml [alias],
// src/unreached/): they keep what their importers read when they load, and say what is missing if
// they are ever asked for more. That the PDFs never ask is test/worker/worker.test.ts's statement
// PDF, rendered in workerd with these in the bundle.
import * as standardFonts from '@pdf-lib/standard-fonts'
import { describe, expect, it } from 'vitest'
import PostalMime from '../../src/unreached/postal-mime'
import { Encodings, Font, FontNames } from '../../src/unreached/standard-fonts'

describe('the Worker’s stand-ins', () => {
  it('@pdf-lib/standard-fonts: the font names pdf-lib lists when it loads, and an error naming the font if one is embedded', () => {
    expect({ ...FontNames }).toEqual({ ...standardFonts.FontNames })
    expect(Encodings).toEqual({})
    expect(() => Font.load(FontNames.Helvetica)).toThrow('The standard PDF font Helvetica is not in the Worker bundle')
  })

  it('postal-mime: resend loads it, and parsing a received e-mail says it is not in the bundle', () => {
    expect(() => PostalMime.parse()).toThrow('Parsing received e-mail is not in the Worker bundle')
  })
})

// Codes, licence numbers and IBANs in their groups (issue 16): each group is one unbreakable span, a
// line may break only between groups, and the text is the value as written, so copying gives it back.
import { describe, expect, it } from 'vitest'
import { Grouped } from '../../src/views/components/grouped'

const html = (value: string, cls?: string) => String(<Grouped value={value} class={cls} />)
const text = (markup: string) => markup.replace(/<[^>]+>/g, '')

describe('Grouped', () => {
  it('puts each space-separated group of an IBAN in its own span, with the spaces between them', () => {
    const iban = 'PL61 1090 1014 0000 0712 1981 2874'
    const markup = html(iban)
    expect(markup).toBe(`<code class="key">${iban.split(' ').map((g) => `<span class="g">${g}</span>`).join(' ')}</code>`)
    expect(text(markup)).toBe(iban)
  })

  it('keeps the hyphens of a licence number with the group before them and offers a break after each', () => {
    const markup = html('KT-7QF3-9XMA-2B4K')
    expect(markup).toBe('<code class="key"><span class="g">KT-</span><wbr/><span class="g">7QF3-</span><wbr/><span class="g">9XMA-</span><wbr/><span class="g">2B4K</span></code>')
    expect(text(markup)).toBe('KT-7QF3-9XMA-2B4K')
  })

  it('takes the class it is given (the big code on the redemption page) and escapes what it shows', () => {
    expect(html('K7QF 3XMA', 'key big')).toBe('<code class="key big"><span class="g">K7QF</span> <span class="g">3XMA</span></code>')
    expect(html('<b> x')).toBe('<code class="key"><span class="g">&lt;b&gt;</span> <span class="g">x</span></code>')
  })
})

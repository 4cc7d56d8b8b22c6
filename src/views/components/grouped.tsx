// Codes people read out or type (e-codes, licence numbers, IBANs) shown in their groups: a line
// breaks between groups, never inside one ("…0712 19 / 81 2874" was hard to copy from a phone).
// The text stays exactly the value, so copying it gives what was shown.

/** `value` as written ("K7QF 3XMA 9B4K 2PZD", "KT-7QF3-9XMA-2B4K", "PL61 1090 …"): groups end at a space or a hyphen. */
export function Grouped({ value, class: cls = 'key' }: { value: string; class?: string }) {
  const parts = value.split(/(?<=-)|\s+/).filter(Boolean)
  return (
    <code class={cls}>
      {parts.map((g, i) => (
        <>
          {i > 0 && (parts[i - 1]!.endsWith('-') ? <wbr /> : ' ')}
          <span class="g">{g}</span>
        </>
      ))}
    </code>
  )
}

// A form that changes something. In a read-only org (SPEC §8) one the guard would refuse is shown
// with its controls disabled, so nobody fills in what can't be saved; the rules are the guard's own
// (src/domain/read-only.ts), and the guard still decides (src/routes/read-only.tsx).
import { useContext, type Child } from 'hono/jsx'
import { allowedWhileReadOnly, TENANT_ALLOWED, tenantPath } from '../../domain/read-only'
import { ViewContext } from '../context'

type Props = { action: string; children?: Child; class?: string; id?: string; novalidate?: boolean; enctype?: 'multipart/form-data' }

export function PostForm({ children, ...attrs }: Props) {
  const readOnly = useContext(ViewContext)?.readOnly
  const path = tenantPath(attrs.action)
  const locked = readOnly != null && path !== null && !allowedWhileReadOnly(TENANT_ALLOWED, 'POST', path, readOnly)
  return (
    <form method="post" {...attrs}>
      {locked ? (
        <fieldset class="locked" disabled>
          {children}
        </fieldset>
      ) : (
        children
      )}
    </form>
  )
}

// Messages of the lapse area (issue 7). Filled in by its owner.
import type { AreaCatalog } from '../index'

export const en = {} as const

export const pl: AreaCatalog<typeof en> = {}

export const it: AreaCatalog<typeof en> = {}

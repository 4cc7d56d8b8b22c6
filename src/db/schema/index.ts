// The database schema, one file per area. Times are UTC, stored as integer milliseconds.
export * from './accounts'
export * from './system'
export * from './orgs'
export * from './catalog'
export * from './subscriptions'
export * from './warehouse'
export * from './requests'

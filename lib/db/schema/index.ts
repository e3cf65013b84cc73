export * from './workers'
export * from './accounts'
export * from './instances'
export * from './keys'

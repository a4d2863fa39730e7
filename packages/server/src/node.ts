/**
 * `@ik-upload/server/node`: the adapter for Node's `http`, Express and Connect. It sits on its own
 * subpath because its types name `node:http`'s request and response: the main entry stays free of
 * Node types, so edge runtimes and apps without `@types/node` type-check against it.
 */
export type { NodeHandler } from './toNodeHandler'
export { createNodeAuthHandler, createNodeV2AuthHandler, toNodeHandler } from './toNodeHandler'

/**
 * The training engine. Entry point: `compileModel` (contract in ./api.ts).
 * Internals for extension (e.g. recurrent layers): graph/builder.ts (graph building),
 * autodiff/rules (gradient rule table), layers/index.ts (layer table).
 */
export { compileModel } from './compile';
export type * from './api';
export { ModelError } from './layers/context';

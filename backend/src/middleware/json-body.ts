/**
 * The JSON body limits under their old import path. The one body reader is http/body.ts, applied
 * per route from the routing table (http/route-table.ts), each route with its own limit.
 */
export { JSON_LIMIT_BYTES, NOTEBOOK_JSON_LIMIT_BYTES } from '../http/body.ts';
